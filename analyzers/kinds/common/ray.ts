import type {
  Autoscaling,
  GpuDemand,
  PodTemplate,
  ResourceAmounts,
  SourceRef,
  Workload,
} from '../../../core/model/index.ts';
import type { ManifestObject } from '../../sources/index.ts';
import type { ReadContext } from '../types.ts';
import { bool, integer, list, record, stringMap, text } from './fields.ts';
import { readPodSpec } from './pod-template.ts';
import { getPath, podResources } from './resources.ts';
import { buildWorkload, noAutoscaling } from './workload.ts';

type Path = readonly (string | number)[];
type Component = Workload['components'][number];
type Note = Workload['notes'][number];

export interface RayCluster {
  head: PodTemplate;
  headResources: ResourceAmounts & { gpu: GpuDemand };
  workers: Component[];
  inTreeAutoscaling: boolean;
  notes: Note[];
}

/**
 * A GPU count Ray is told about (`rayStartParams.num-gpus`) when the pod itself requests none: Ray then
 * schedules GPU work there, so the operator field is the evidence.
 */
function rayStartGpus(
  object: ManifestObject,
  groupPath: Path,
  resources: Component['resources'],
): Component['resources'] {
  const declared = integer(stringMap(record(getPath(object.obj, groupPath)).rayStartParams)['num-gpus']);
  if (resources.gpu.count > 0 || declared === null || declared <= 0) return resources;
  const source = object.locate([...groupPath, 'rayStartParams', 'num-gpus']);
  return {
    ...resources,
    gpu: {
      ...resources.gpu,
      count: declared,
      evidence: [...resources.gpu.evidence, 'operator-field'],
      source,
    },
  };
}

/** The head and worker groups of a RayCluster spec (a RayCluster's `spec`, a RayService's `spec.rayClusterConfig`). */
export function readRayCluster(object: ManifestObject, clusterPath: Path, context: ReadContext): RayCluster {
  const cluster = record(getPath(object.obj, clusterPath));
  const headGroup = [...clusterPath, 'headGroupSpec'];
  const head = readPodSpec(
    object,
    [...headGroup, 'template', 'spec'],
    [...headGroup, 'template', 'metadata', 'labels'],
    context,
  );
  head.labels = { ...head.labels, 'ray.io/node-type': 'head' };
  const headResources = rayStartGpus(
    object,
    headGroup,
    podResources(head, object.locate([...headGroup, 'template', 'spec', 'nodeSelector'])),
  );
  const notes: Note[] = [];
  const workers = list(cluster.workerGroupSpecs).map((entry, index) => {
    const group = record(entry);
    const path = [...clusterPath, 'workerGroupSpecs', index];
    const pod = readPodSpec(
      object,
      [...path, 'template', 'spec'],
      [...path, 'template', 'metadata', 'labels'],
      context,
    );
    pod.labels = { ...pod.labels, 'ray.io/node-type': 'worker' };
    const hosts = integer(group.numOfHosts) ?? 1;
    // Multi-host groups scale in units of numOfHosts pods (TPU slices, multi-node GPU replicas).
    if (hosts > 1)
      notes.push({
        message: `worker group ${text(group.groupName) ?? index}: each replica is ${hosts} pods (numOfHosts)`,
        source: object.locate([...path, 'numOfHosts']),
      });
    if (bool(group.suspend))
      notes.push({
        message: `worker group ${text(group.groupName) ?? index} is suspended`,
        source: object.locate([...path, 'suspend']),
      });
    const replicas = integer(group.replicas);
    const component: Component = {
      name: text(group.groupName) ?? `group-${index}`,
      role: 'ray-worker',
      replicas: replicas === null ? null : replicas * hosts,
      minReplicas: integer(group.minReplicas),
      maxReplicas: integer(group.maxReplicas),
      pod,
      resources: rayStartGpus(
        object,
        path,
        podResources(pod, object.locate([...path, 'template', 'spec', 'nodeSelector'])),
      ),
    };
    return component;
  });
  return { head, headResources, workers, inTreeAutoscaling: bool(cluster.enableInTreeAutoscaling), notes };
}

/** The group that serves: the one with the most GPUs per worker, else the first. */
export function servingGroup(workers: Component[]): Component | null {
  return workers.reduce<Component | null>(
    (best, group) => (best === null || group.resources.gpu.count > best.resources.gpu.count ? group : best),
    null,
  );
}

/**
 * A Ray workload: the head pod is `pod`; worker groups are components. Resources are the head's CPU and
 * memory, and the GPU demand of one worker of the largest GPU group (the unit that scales).
 */
export function rayWorkload(
  object: ManifestObject,
  context: ReadContext,
  clusterPath: Path,
  cluster: RayCluster,
): Workload {
  const headPodPath = [...clusterPath, 'headGroupSpec', 'template', 'spec'];
  const largest = servingGroup(cluster.workers);
  const gpu =
    largest && largest.resources.gpu.count > cluster.headResources.gpu.count
      ? largest.resources.gpu
      : cluster.headResources.gpu;
  const workload = buildWorkload(object, context, {
    pod: cluster.head,
    replicas: 1,
    podPath: headPodPath,
    resources: { ...cluster.headResources, gpu },
  });
  workload.components = cluster.workers;
  workload.notes.push(...cluster.notes);
  if (gpu !== cluster.headResources.gpu && largest) {
    workload.notes.push({
      message: `GPU demand is per worker of group ${largest.name}; the head requests ${cluster.headResources.gpu.count}`,
      source: gpu.source,
    });
  }
  return workload;
}

/** KubeRay's in-tree autoscaler adds worker pods within each group's min/max when Ray has pending work. */
export function rayClusterAutoscaling(
  object: ManifestObject,
  clusterPath: Path,
  cluster: RayCluster,
  by: string,
): Autoscaling {
  const group = servingGroup(cluster.workers);
  const options = record(record(getPath(object.obj, clusterPath)).autoscalerOptions);
  const settings: Autoscaling['settings'] = { workerGroups: cluster.workers.length };
  if (group) settings.scaledGroup = group.name;
  const mode = text(options.upscalingMode);
  if (mode) settings.upscalingMode = mode;
  const idle = integer(options.idleTimeoutSeconds);
  if (idle !== null) settings.idleTimeoutSeconds = idle;
  return {
    ...noAutoscaling(),
    kind: 'ray-cluster',
    by,
    minReplicas: group?.minReplicas ?? null,
    maxReplicas: group?.maxReplicas ?? null,
    metrics: [
      {
        type: 'ray-resource-demand',
        name: 'pending Ray tasks and actors',
        target: null,
        source: object.locate([...clusterPath, 'enableInTreeAutoscaling']),
      },
    ],
    settings,
    source: object.locate([...clusterPath, 'enableInTreeAutoscaling']),
  };
}

/** Without the in-tree autoscaler KubeRay keeps each group at `replicas`; min/max are then unused. */
export function fixedGroupsNote(cluster: RayCluster, source: SourceRef): Note | null {
  const ranged = cluster.workers.filter(
    (group) =>
      group.minReplicas !== null && group.maxReplicas !== null && group.minReplicas !== group.maxReplicas,
  );
  if (ranged.length === 0) return null;
  const names = ranged.map((group) => `${group.name} (${group.minReplicas}–${group.maxReplicas})`).join(', ');
  return {
    message: `enableInTreeAutoscaling is off: worker groups ${names} stay at their replicas; min/max only apply with the autoscaler`,
    source,
  };
}
