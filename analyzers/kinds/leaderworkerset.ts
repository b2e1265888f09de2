import type { Workload } from '../../core/model/index.ts';
import { integer, record, text } from './common/fields.ts';
import { detectModelServer, isPlatformComponent, modelFromContainers } from './common/model-server.ts';
import { readPodSpec } from './common/pod-template.ts';
import { podResources } from './common/resources.ts';
import { buildWorkload } from './common/workload.ts';
import type { KindReader } from './types.ts';

const GROUP = ['spec', 'leaderWorkerTemplate'] as const;

/**
 * A LeaderWorkerSet runs `replicas` groups of `size` pods: one leader and size−1 workers, scheduled and
 * restarted together (multi-host inference). A replica of the workload is a whole group; the leader pod is
 * `pod` and the workers are a component. Without a leaderTemplate the leader uses the worker template.
 */
export const leaderworkerset: KindReader = {
  id: 'leaderworkerset',
  title: 'LeaderWorkerSet (leaderworkerset.x-k8s.io/v1)',
  matches: [{ group: 'leaderworkerset.x-k8s.io', versions: ['v1'], kind: 'LeaderWorkerSet' }],
  read(object, context) {
    const group = record(record(object.obj.spec).leaderWorkerTemplate);
    const size = integer(group.size) ?? 1;
    const groups = integer(record(object.obj.spec).replicas) ?? 1;
    const workerTemplate = [...GROUP, 'workerTemplate'];
    const leaderTemplate = group.leaderTemplate ? [...GROUP, 'leaderTemplate'] : workerTemplate;
    const worker = readPodSpec(
      object,
      [...workerTemplate, 'spec'],
      [...workerTemplate, 'metadata', 'labels'],
      context,
    );
    // Read a shared template once, so a bad field in it is reported once.
    const leader = group.leaderTemplate
      ? readPodSpec(object, [...leaderTemplate, 'spec'], [...leaderTemplate, 'metadata', 'labels'], context)
      : worker;
    const name = text(record(object.obj.metadata).name) ?? '';
    // The controller labels every pod of the set, so Services written against it still select.
    for (const pod of [leader, worker])
      pod.labels = { ...pod.labels, 'leaderworkerset.sigs.k8s.io/name': name };
    const workload = buildWorkload(object, context, {
      pod: leader,
      replicas: groups,
      podPath: [...leaderTemplate, 'spec'],
    });
    const workerResources = podResources(worker, object.locate([...workerTemplate, 'spec', 'nodeSelector']));
    if (size > 1) {
      workload.components.push({
        name: 'workers',
        role: 'lws-worker',
        replicas: groups * (size - 1),
        minReplicas: null,
        maxReplicas: null,
        pod: worker,
        resources: workerResources,
      });
      workload.ml.multiHost = true;
    }
    // The leader may request no GPU while its workers do: the group still needs them on every host.
    if (workload.resources.gpu.count === 0 && workerResources.gpu.count > 0)
      workload.resources = { ...workload.resources, gpu: workerResources.gpu };
    groupServer(workload, [...leader.containers, ...worker.containers]);
    if (size > 1) {
      const gpus = workload.resources.gpu.count;
      workload.notes.push({
        message: `each replica is a group of ${size} pods (1 leader + ${size - 1} workers)${gpus > 0 ? `: about ${gpus * size} GPUs per replica` : ''}`,
        source: object.locate([...GROUP, 'size']),
      });
    }
    return { type: 'workload', workload };
  },
};

/** A server detected in the workers (the leader may only run a launcher) still makes the set a model server. */
function groupServer(workload: Workload, containers: Workload['pod']['containers']): void {
  if (workload.ml.isModelServer || isPlatformComponent(containers)) return;
  const detected = detectModelServer(containers);
  if (!detected) return;
  workload.ml = {
    ...workload.ml,
    isModelServer: true,
    server: detected.server,
    serverEvidence: detected.evidence,
    model: modelFromContainers(containers),
  };
}
