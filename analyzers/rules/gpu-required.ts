import type { Finding, GpuDemand, TargetId } from '../../core/model/index.ts';
import { at, bytes, cpu, inComponent, podShapes, prose, reporter, sourceOf } from './format.ts';
import type { Rule } from './types.ts';

/** Evidence that a pod needs an accelerator even without a GPU count (an NVIDIA toleration alone is not). */
const DEMAND_EVIDENCE = ['resources', 'mig', 'operator-field', 'node-selector', 'instance-type'];

function needsGpu(gpu: GpuDemand): boolean {
  return gpu.count > 0 || gpu.evidence.some((evidence) => DEMAND_EVIDENCE.includes(evidence));
}

function describe(gpu: GpuDemand): string {
  const on = gpu.model ? ` on ${gpu.model}` : '';
  if (gpu.resource) return `${gpu.count} ${gpu.resource}${on}`;
  if (gpu.evidence.includes('instance-type')) return `a GPU VM${on}`;
  if (gpu.evidence.includes('node-selector'))
    return `a GPU node (node selector${gpu.model ? ` ${gpu.model}` : ''})`;
  return gpu.count > 1 ? `${gpu.count} GPUs${on}` : `a GPU${on}`;
}

/**
 * Lambda and Azure Functions have no GPUs (platform-facts.md e.1, decision-rules.md); Cloud Run offers one
 * NVIDIA GPU per instance, an L4 needing at least 4 vCPU / 16 GiB (platform-facts.md f).
 */
export const gpuRequired: Rule = {
  id: 'gpu-required',
  title: 'GPU required',
  description:
    'The workload asks for accelerators. Lambda and Azure Functions offer none; Cloud Run offers one NVIDIA GPU per instance with a minimum CPU and memory.',
  check(workload, context) {
    const say = reporter(this.id);
    const shapes = podShapes(workload).filter((shape) => needsGpu(shape.resources.gpu));
    if (shapes.length === 0) {
      if (!workload.resources.gpu.evidence.includes('toleration')) return [];
      const source = sourceOf(workload);
      return [say.info(`tolerates GPU nodes but requests no GPU${at(source)}; treated as CPU-only`, source)];
    }
    const shape = shapes.reduce((best, next) =>
      next.resources.gpu.count > best.resources.gpu.count ? next : best,
    );
    const { gpu, cpuMillis, memoryBytes } = shape.resources;
    const source = sourceOf(workload, gpu.source);
    const needs = `needs ${describe(gpu)} per replica${inComponent(shape)}${at(source)}`;
    const noGpu = (Object.keys(context.limits) as TargetId[]).filter(
      (target) => context.limits[target].gpus.length === 0,
    );
    const titles = prose(noGpu.map((target) => context.limits[target].title));
    const findings: Finding[] = [say.block(`${needs}; ${titles} offer no GPUs`, source, noGpu)];
    if (gpu.count > 1) {
      findings.push(say.block(`${needs}; Cloud Run gives one GPU per instance`, source, ['cloud-run']));
    } else if (gpu.resource && !gpu.resource.startsWith('nvidia.com/')) {
      findings.push(say.block(`${needs}; Cloud Run offers NVIDIA GPUs only`, source, ['cloud-run']));
    } else {
      const offer = context.limits['cloud-run'].gpus.find((entry) => !entry.preview)!;
      const low = [
        cpuMillis !== null && cpuMillis < offer.minCpuMillis ? cpu(cpuMillis) : null,
        memoryBytes !== null && memoryBytes < offer.minMemoryBytes ? bytes(memoryBytes) : null,
      ].filter((entry) => entry !== null);
      const raise = low.length > 0 ? ` (this replica asks for ${low.join(' / ')}: raise it)` : '';
      const message = `${needs}; Cloud Run can serve it on one ${offer.model} (${bytes(offer.memoryBytes)} VRAM), which needs at least ${cpu(offer.minCpuMillis)} and ${bytes(offer.minMemoryBytes)} per instance${raise}, instance-based billing, in GPU regions only`;
      findings.push(say.warn(message, source, ['cloud-run']));
    }
    return findings;
  },
};
