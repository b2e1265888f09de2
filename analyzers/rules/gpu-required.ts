import { formatSource } from '../../core/model/index.ts';
import type { Finding, TargetId } from '../../core/model/index.ts';
import type { Rule } from './types.ts';

/**
 * Lambda and Azure Functions have no GPUs; Cloud Run offers one GPU per instance (L4, or RTX PRO 6000 in
 * preview), each with a minimum CPU and memory the converter must meet.
 */
export const gpuRequired: Rule = {
  id: 'gpu-required',
  title: 'GPU required',
  description:
    'The workload asks for accelerators. Lambda and Azure Functions offer none; Cloud Run offers one NVIDIA GPU per instance with a minimum CPU and memory.',
  check(workload, context) {
    const gpu = workload.resources.gpu;
    const gpuComponents = workload.components.filter((component) => component.resources.gpu.count > 0);
    const count = Math.max(gpu.count, ...gpuComponents.map((component) => component.resources.gpu.count));
    if (count === 0) return [];
    const source = gpu.source ?? gpuComponents[0]?.resources.gpu.source ?? workload.sources[0] ?? null;
    const where = source ? ` (${formatSource(source)})` : '';
    const what = `${count} ${gpu.resource ?? gpuComponents[0]?.resources.gpu.resource ?? 'GPU'}${gpu.model ? ` on ${gpu.model}` : ''}`;
    const findings: Finding[] = [];
    const noGpuTargets = (Object.keys(context.limits) as TargetId[]).filter((target) => context.limits[target].gpus.length === 0);
    findings.push({
      rule: this.id,
      severity: 'block',
      message: `needs ${what} per replica${where}; ${noGpuTargets.map((target) => context.limits[target].title).join(' and ')} offer no GPUs`,
      source,
      targets: noGpuTargets,
    });
    const cloudRun = context.limits['cloud-run'];
    if (count > 1) {
      findings.push({
        rule: this.id,
        severity: 'block',
        message: `needs ${count} GPUs per replica${where}; Cloud Run gives one GPU per instance`,
        source,
        targets: ['cloud-run'],
      });
    } else if (gpu.resource && !gpu.resource.startsWith('nvidia.com/')) {
      findings.push({ rule: this.id, severity: 'block', message: `needs ${gpu.resource}${where}; Cloud Run offers NVIDIA GPUs only`, source, targets: ['cloud-run'] });
    } else {
      const offer = cloudRun.gpus.find((entry) => !entry.preview)!;
      findings.push({
        rule: this.id,
        severity: 'warn',
        message: `Cloud Run can serve it on one ${offer.model} (${Math.round(offer.memoryBytes / 2 ** 30)} GB) with at least ${offer.minCpuMillis / 1000} vCPU and ${Math.round(offer.minMemoryBytes / 2 ** 30)} GiB, instance-based billing, in GPU regions only${where}`,
        source,
        targets: ['cloud-run'],
      });
    }
    return findings;
  },
};
