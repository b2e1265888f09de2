import type {
  Autoscaling,
  GpuDemand,
  MlProfile,
  PodTemplate,
  ResourceAmounts,
  Serving,
  Workload,
} from '../../../core/model/index.ts';
import { formatSource, SLO_ANNOTATION } from '../../../core/model/index.ts';
import type { ManifestObject } from '../../sources/index.ts';
import type { ReadContext } from '../types.ts';
import { integer, metadataOf, text } from './fields.ts';
import { detectModelServer, isPlatformComponent, modelFromContainers } from './model-server.ts';
import { podResources } from './resources.ts';

export function workloadId(namespace: string, kind: string, name: string): string {
  return `${namespace}/${kind}/${name}`;
}

export function noAutoscaling(): Autoscaling {
  return {
    kind: 'none',
    by: null,
    minReplicas: null,
    maxReplicas: null,
    metrics: [],
    behavior: null,
    settings: {},
    source: null,
  };
}

export { SLO_ANNOTATION };

export function defaultServing(annotations: Record<string, string>, object: ManifestObject): Serving {
  const slo = integer(annotations[SLO_ANNOTATION]);
  return {
    containerConcurrency: null,
    timeoutSeconds: null,
    scaleToZero: false,
    sessionAffinity: false,
    sloMs: slo,
    source: slo === null ? null : object.locate(['metadata', 'annotations', SLO_ANNOTATION]),
  };
}

/** Model-server facts from containers; CRD readers override `server` when the CRD says more. */
export function mlFromPod(pod: PodTemplate): MlProfile {
  const detected = isPlatformComponent(pod.containers) ? null : detectModelServer(pod.containers);
  return {
    isModelServer: detected !== null,
    server: detected?.server ?? null,
    serverEvidence: detected?.evidence ?? null,
    model: detected ? modelFromContainers(pod.containers) : null,
    tensorParallel: detected ? tensorParallelOf(pod) : null,
    multiHost: false,
    runtime: null,
  };
}

function tensorParallelOf(pod: PodTemplate): number | null {
  for (const container of pod.containers) {
    const words = [...container.command, ...container.args].flatMap((word) => word.split(/[\s=]+/));
    const at = words.findIndex(
      (word) => word === '--tensor-parallel-size' || word === '-tp' || word === '--num-shard',
    );
    if (at !== -1) {
      const value = integer(words[at + 1]);
      if (value !== null) return value;
    }
    const shard = container.env.find(
      (env) => env.name === 'NUM_SHARD' || env.name === 'TENSOR_PARALLEL_SIZE',
    );
    if (shard?.value && integer(shard.value) !== null) return integer(shard.value);
  }
  return null;
}

/** Builds a workload from the parts every pod-running kind has; readers adjust what their kind adds. */
export function buildWorkload(
  object: ManifestObject,
  context: ReadContext,
  parts: {
    pod: PodTemplate;
    replicas: number | null;
    podPath: readonly (string | number)[];
    resources?: ResourceAmounts & { gpu: GpuDemand };
  },
): Workload {
  const metadata = metadataOf(object.obj);
  const kind = text(object.obj.kind) ?? '';
  const namespace = context.namespaceOf(object);
  const name = metadata.name ?? '(unnamed)';
  return {
    id: workloadId(namespace, kind, name),
    kind,
    apiVersion: text(object.obj.apiVersion) ?? '',
    namespace,
    name,
    sources: [{ file: object.file, line: object.line }],
    replicas: parts.replicas,
    resources: parts.resources ?? podResources(parts.pod, object.locate([...parts.podPath, 'nodeSelector'])),
    pod: parts.pod,
    components: [],
    ml: customServerIfNamed(mlFromPod(parts.pod), kind, parts.pod),
    autoscaling: noAutoscaling(),
    serving: defaultServing(metadata.annotations, object),
    state: { statefulSet: false, writablePvcs: [] },
    annotations: metadata.annotations,
    labels: metadata.labels,
    related: [],
    notes: [],
  };
}

/** Controllers that keep pods running; a one-off Pod or Job that names a model is a download, not a server. */
const LONG_RUNNING = ['Deployment', 'StatefulSet', 'ReplicaSet', 'DaemonSet'];

/**
 * A long-running workload whose container names a model (MODEL_ID, --model) serves it with its own code:
 * a `custom` model server, so the rules treat its model like any other.
 */
function customServerIfNamed(ml: MlProfile, kind: string, pod: PodTemplate): MlProfile {
  if (ml.isModelServer || !LONG_RUNNING.includes(kind) || isPlatformComponent(pod.containers)) return ml;
  const model = modelFromContainers(pod.containers);
  if (!model?.uri) return ml;
  return {
    ...ml,
    isModelServer: true,
    server: 'custom',
    serverEvidence: `names the model ${model.uri} (${formatSource(model.source!)})`,
    model,
  };
}
