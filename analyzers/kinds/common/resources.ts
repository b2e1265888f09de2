import type { GpuDemand, PodTemplate, ResourceAmounts, SourceRef } from '../../../core/model/index.ts';
import { parseBytes, parseCount, parseCpuMillis, QuantityError } from '../../../core/quantity.ts';
import type { ManifestObject } from '../../sources/index.ts';
import type { ReadContext } from '../types.ts';
import { record, text } from './fields.ts';

/** Extended resources that are accelerators. MIG slices are `nvidia.com/mig-<profile>`. */
const GPU_RESOURCES = [
  'nvidia.com/gpu',
  'amd.com/gpu',
  'aws.amazon.com/neuron',
  'aws.amazon.com/neuroncore',
  'gpu.intel.com/i915',
  'google.com/tpu',
];

export function isGpuResource(name: string): boolean {
  return GPU_RESOURCES.includes(name) || name.startsWith('nvidia.com/mig-');
}

/** Node labels that pin pods to accelerator nodes on the big clouds and with the GPU operator. */
const ACCELERATOR_LABELS = [
  'cloud.google.com/gke-accelerator',
  'cloud.google.com/gke-tpu-accelerator',
  'nvidia.com/gpu.product',
  'nvidia.com/gpu.present',
  'k8s.amazonaws.com/accelerator',
  'karpenter.k8s.aws/instance-gpu-name',
  'accelerator',
  'kubernetes.azure.com/accelerator',
];

export function noGpu(): GpuDemand {
  return { count: 0, resource: null, model: null, evidence: [], source: null };
}

export interface ParsedResources {
  requests: ResourceAmounts;
  limits: ResourceAmounts;
  gpu: GpuDemand;
}

/** Reads one container's `resources`, reporting malformed quantities with their line and field. */
export function readContainerResources(
  object: ManifestObject,
  path: readonly (string | number)[],
  context: ReadContext,
): ParsedResources {
  const resources = record(getPath(object.obj, path));
  const parsed: ParsedResources = {
    requests: { cpuMillis: null, memoryBytes: null },
    limits: { cpuMillis: null, memoryBytes: null },
    gpu: noGpu(),
  };
  for (const bucket of ['requests', 'limits'] as const) {
    const values = record(resources[bucket]);
    for (const [name, raw] of Object.entries(values)) {
      const fieldPath = [...path, bucket, name];
      const source = object.locate(fieldPath);
      const value = text(raw);
      if (value === null) continue;
      try {
        if (name === 'cpu') parsed[bucket].cpuMillis = parseCpuMillis(value);
        else if (name === 'memory') parsed[bucket].memoryBytes = parseBytes(value);
        else if (isGpuResource(name)) {
          const count = parseCount(value);
          if (count >= parsed.gpu.count) {
            parsed.gpu = {
              count,
              resource: name,
              model: null,
              evidence: [name.startsWith('nvidia.com/mig-') ? 'mig' : 'resources'],
              source,
            };
          }
        }
      } catch (error) {
        if (!(error instanceof QuantityError)) throw error;
        context.reportError(source, `${source.field}: ${error.message}`);
      }
    }
  }
  // Kubernetes defaults a missing request to the limit.
  parsed.requests.cpuMillis ??= parsed.limits.cpuMillis;
  parsed.requests.memoryBytes ??= parsed.limits.memoryBytes;
  return parsed;
}

/**
 * One replica's effective demand, as the scheduler sees it: app containers and native sidecars add up,
 * and an init container only matters when it alone asks for more than that.
 */
export function podResources(
  pod: PodTemplate,
  nodeSource: SourceRef | null,
): ResourceAmounts & { gpu: GpuDemand } {
  const running = pod.containers.filter((container) => container.role !== 'init');
  const init = pod.containers.filter((container) => container.role === 'init');
  const sum = (key: keyof ResourceAmounts) => {
    const values = running.map((container) => container.requests[key]);
    if (values.every((value) => value === null)) return null;
    const total = values.reduce<number>((acc, value) => acc + (value ?? 0), 0);
    const initMax = Math.max(0, ...init.map((container) => container.requests[key] ?? 0));
    return Math.max(total, initMax);
  };
  let gpu = noGpu();
  for (const container of running) {
    if (container.gpu.count > 0) {
      gpu = gpu.count === 0 ? { ...container.gpu } : { ...gpu, count: gpu.count + container.gpu.count };
    }
  }
  return {
    cpuMillis: sum('cpuMillis'),
    memoryBytes: sum('memoryBytes'),
    gpu: withNodeHints(gpu, pod, nodeSource),
  };
}

/** Adds what node selectors and tolerations say about accelerators to a GPU demand. */
export function withNodeHints(gpu: GpuDemand, pod: PodTemplate, nodeSource: SourceRef | null): GpuDemand {
  const result: GpuDemand = { ...gpu, evidence: [...gpu.evidence] };
  for (const label of ACCELERATOR_LABELS) {
    const value = pod.nodeSelector[label];
    if (value === undefined) continue;
    result.model ??= value;
    if (!result.evidence.includes('node-selector')) result.evidence.push('node-selector');
    if (result.count === 0) {
      result.count = 1;
      result.resource = null;
      result.source = nodeSource;
    }
  }
  const gpuToleration = pod.tolerations.some(
    (toleration) => toleration.key !== null && isGpuResource(toleration.key),
  );
  if (gpuToleration && !result.evidence.includes('toleration')) result.evidence.push('toleration');
  return result;
}

function getPath(obj: unknown, path: readonly (string | number)[]): unknown {
  let current: unknown = obj;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

export { getPath };
