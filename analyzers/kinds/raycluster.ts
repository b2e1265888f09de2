import { detectModelServer, isPlatformComponent, modelFromContainers } from './common/model-server.ts';
import { fixedGroupsNote, rayClusterAutoscaling, rayWorkload, readRayCluster } from './common/ray.ts';
import type { KindReader } from './types.ts';

const CLUSTER = ['spec'] as const;

/**
 * A KubeRay RayCluster: a head pod and worker groups. Unlike a RayService it serves nothing by itself, so
 * it is a model server only when its containers say so (a `serve run` command, a server image).
 */
export const raycluster: KindReader = {
  id: 'raycluster',
  title: 'KubeRay RayCluster (ray.io/v1, v1alpha1)',
  matches: [{ group: 'ray.io', versions: ['v1', 'v1alpha1'], kind: 'RayCluster' }],
  read(object, context) {
    const cluster = readRayCluster(object, CLUSTER, context);
    const workload = rayWorkload(object, context, CLUSTER, cluster);
    const containers = [
      ...cluster.head.containers,
      ...cluster.workers.flatMap((group) => group.pod.containers),
    ];
    const detected = isPlatformComponent(containers) ? null : detectModelServer(containers);
    if (detected) {
      workload.ml = {
        ...workload.ml,
        isModelServer: true,
        server: detected.server,
        serverEvidence: detected.evidence,
        model: modelFromContainers(containers),
      };
    }
    // KubeRay labels every pod with its cluster's name, which Services and monitors select on.
    for (const pod of [cluster.head, ...cluster.workers.map((group) => group.pod)])
      pod.labels['ray.io/cluster'] = workload.name;
    if (cluster.inTreeAutoscaling) {
      workload.autoscaling = rayClusterAutoscaling(object, CLUSTER, cluster, workload.id);
    } else {
      const note = fixedGroupsNote(cluster, object.locate(['spec', 'workerGroupSpecs']));
      if (note) workload.notes.push(note);
    }
    return { type: 'workload', workload };
  },
};
