import type { WorkloadReport } from '../../analyzers/report.ts';
import { TARGET_LIMITS } from '../../core/limits/targets.ts';
import { TARGETS, type TargetId } from '../../core/model/index.ts';
import type { BlockReason } from '../types.ts';

/**
 * The analysis decides what blocks a target (analyzers/rules); converters honour it the same way for
 * every target: no config, only MIGRATION.md saying why and what to do instead.
 */
export function analysisBlockers(workload: WorkloadReport, target: TargetId): BlockReason[] {
  if (workload.targets[target].fit !== 'blocked') return [];
  return workload.targets[target].findings
    .filter((finding) => finding.severity === 'block')
    .map((finding) => ({ rule: finding.rule, message: finding.message, source: finding.source }));
}

/** What to do instead, per blocking rule, naming the other targets' fits from the same analysis. */
export function alternativesFor(
  workload: WorkloadReport,
  target: TargetId,
  reasons: BlockReason[],
): string[] {
  const fitOf = (other: TargetId) => workload.targets[other].fit;
  const open = TARGETS.filter((other) => other !== target && fitOf(other) !== 'blocked');
  const elsewhere = open.length
    ? `Targets the analysis does not block: ${open.map((other) => `${other} (fit: ${fitOf(other)}; \`migrate convert --target ${other}\`)`).join(', ')}.`
    : 'The analysis blocks every serverless target for this workload: keep it on the cluster.';
  const lines = new Set<string>();
  for (const reason of reasons) {
    const text = ALTERNATIVES[reason.rule]?.(workload, target) ?? null;
    lines.add(
      text ??
        `Resolve the ${reason.rule} finding above, then run migrate convert again; or keep the workload on the cluster.`,
    );
  }
  lines.add(elsewhere);
  return [...lines];
}

const cloudRunGpu = TARGET_LIMITS['cloud-run'].gpus.find((gpu) => !gpu.preview);

type Alternative = (workload: WorkloadReport, target: TargetId) => string;

const ALTERNATIVES: Record<string, Alternative> = {
  'gpu-required': (workload, target) =>
    target === 'cloud-run'
      ? 'Cloud Run gives one NVIDIA GPU per instance: shard or quantize the model to fit one GPU, run it on Azure Container Apps with GPU or another GPU service, or keep it on the cluster.'
      : `${TARGET_LIMITS[target].title} has no GPUs. Run it on Cloud Run with an NVIDIA GPU (${cloudRunGpu ? `${cloudRunGpu.model}, at least ${cloudRunGpu.minCpuMillis / 1000} vCPU / ${cloudRunGpu.minMemoryBytes / 2 ** 30} GiB; ` : ''}analysis fit: ${workload.targets['cloud-run'].fit}), on Azure Container Apps with GPU, or keep it on the cluster; a CPU-only build of a small or quantized model could come back to ${TARGET_LIMITS[target].title}.`,
  'multi-host': () =>
    'A model spread over several hosts has no serverless equivalent: keep it on the cluster, or serve a smaller model that fits one instance.',
  'memory-limit': (_workload, target) =>
    `Reduce the memory per replica below ${TARGET_LIMITS[target].labels.memory} (quantize the model, smaller batches), pick a target with larger instances (Cloud Run up to ${TARGET_LIMITS['cloud-run'].labels.memory}), or keep it on the cluster.`,
  'cpu-limit': (_workload, target) =>
    `Reduce the CPU per replica to ${TARGET_LIMITS[target].labels.cpu} or less, pick a target with more CPU per instance (Cloud Run up to ${TARGET_LIMITS['cloud-run'].labels.cpu}), or keep it on the cluster.`,
  'model-size': () =>
    'Bring the model under the limit (quantization: the article reports 4–8× smaller; distillation; pruning), or keep it on the cluster: decision-rules.md keeps models over 5 GB there.',
  'model-download': () =>
    'Bake the model into the image or mount it from a shared file system instead of downloading it at start-up.',
  'latency-slo': () =>
    'An SLO under 10 ms leaves no room for a cold start or a network hop to a function: keep it on the cluster (decision-rules.md).',
  'request-timeout': (_workload, target) =>
    `Requests run longer than ${TARGET_LIMITS[target].title} allows (${TARGET_LIMITS[target].labels.timeout}): make them asynchronous (queue in, callback or polling out), pick Cloud Run (up to ${TARGET_LIMITS['cloud-run'].labels.timeout}), or keep it on the cluster.`,
  stateful: () =>
    'Move the state out of the instance (objects to S3 / GCS / Blob Storage; sessions and context to Redis or DynamoDB; checkpoints to object storage), then convert again; or keep it on the cluster.',
  'host-access': () =>
    'Remove the dependency on the host (hostPath, hostNetwork, hostPID, privileged): serverless platforms give no access to one. Until then it stays on the cluster.',
  'platform-component': () =>
    'A platform component (operator, controller, agent) stays with the cluster it serves.',
  'traffic-shape': () =>
    'Throughput is consistently high: there is little idle time for scale-to-zero to save, so it is cheaper on the cluster or on a provisioned container service (decision-rules.md).',
};
