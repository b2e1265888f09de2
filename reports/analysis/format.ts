import type { WorkloadReport } from '../../analyzers/report.ts';
import { formatBytes, formatCpu } from '../../core/quantity.ts';

/** Short cells shared by the table and Markdown views. */
export function gpuCell(workload: WorkloadReport): string {
  const gpu = workload.resources.gpu;
  const componentGpu = workload.components.reduce(
    (max, component) => Math.max(max, component.resources.gpu.count),
    0,
  );
  const count = Math.max(gpu.count, componentGpu);
  if (count === 0) return '-';
  return `${count}${gpu.model ? ` ${gpu.model}` : ''}`;
}

export function cpuCell(workload: WorkloadReport): string {
  return workload.resources.cpuMillis === null ? '?' : formatCpu(workload.resources.cpuMillis);
}

export function memoryCell(workload: WorkloadReport): string {
  return workload.resources.memoryBytes === null ? '?' : formatBytes(workload.resources.memoryBytes);
}

export function autoscalerCell(workload: WorkloadReport): string {
  const scaling = workload.autoscaling;
  if (scaling.kind === 'none') return workload.replicas === null ? '-' : `fixed ${workload.replicas}`;
  const range = `${scaling.minReplicas ?? '?'}-${scaling.maxReplicas ?? '?'}`;
  const metric = scaling.metrics[0];
  return `${scaling.kind} ${range}${metric ? ` ${metric.name || metric.type}` : ''}`;
}

export function serverCell(workload: WorkloadReport): string {
  return workload.ml.isModelServer ? (workload.ml.server ?? 'model server') : '-';
}
