/**
 * What the cluster did over the window: replicas, CPU, GPUs attached versus GPUs' worth of work
 * (their difference is the GPU idle time that serverless would not bill), requests in flight.
 */

import type { GaugeSeries, ObservedCluster, PrometheusQueryRecord } from '../../../core/traffic/profile.ts';
import type { PrometheusClient, RangeQuery } from './client.ts';
import { onGrid } from './grid.ts';
import { type PresetKind, presetsOf, renderQuery, type WorkloadRef } from './presets.ts';

async function firstGauge(
  client: PrometheusClient,
  kind: PresetKind,
  workload: WorkloadRef,
  window: RangeQuery,
  overrides: Record<string, string> | undefined,
  records: PrometheusQueryRecord[],
): Promise<GaugeSeries | null> {
  const evalRange = { ...window, startSeconds: window.startSeconds + window.stepSeconds };
  const template = {
    stepSeconds: window.stepSeconds,
    windowSeconds: window.endSeconds - window.startSeconds,
  };
  let presets = presetsOf(kind, overrides);
  if (kind === 'replicas' && !overrides?.replicas) presets = replicaOrder(presets, workload.kind);
  for (const preset of presets) {
    const promql = renderQuery(preset.promql, workload, template);
    const result = await client.queryRange(promql, evalRange);
    const grid = onGrid(result.series, window);
    const points = grid.values.filter((v) => !Number.isNaN(v)).length;
    records.push({
      name: preset.name,
      promql,
      status: points > 0 ? 'data' : 'no-data',
      series: result.series.length,
      points,
    });
    if (points > 0) {
      return {
        startMs: evalRange.startSeconds * 1000,
        stepSeconds: window.stepSeconds,
        values: grid.values.map((v) => (Number.isNaN(v) ? null : v)),
        query: promql,
      };
    }
  }
  return null;
}

/** The replica metric of the workload's own kind first, running pods as the fallback. */
function replicaOrder<T extends { name: string }>(presets: T[], kind: string | undefined): T[] {
  const own = presets.find((p) => p.name === `replicas:${(kind ?? 'deployment').toLowerCase()}`);
  const pods = presets.filter((p) => p.name === 'replicas:pods');
  return own ? [own, ...pods] : [...pods, ...presets.filter((p) => p.name !== 'replicas:pods')];
}

export async function observeCluster(
  client: PrometheusClient,
  workload: WorkloadRef,
  window: RangeQuery,
  overrides: Record<string, string> | undefined,
  records: PrometheusQueryRecord[],
): Promise<ObservedCluster> {
  const gauge = (kind: PresetKind) => firstGauge(client, kind, workload, window, overrides, records);
  const replicas = await gauge('replicas');
  const cpuCores = await gauge('cpu');
  const gpusAllocated = await gauge('gpu-allocated');
  const gpusBusy = gpusAllocated ? await gauge('gpu-busy') : null;
  const inFlightRequests = await gauge('in-flight');
  return {
    replicas,
    cpuCores,
    gpusAllocated,
    gpusBusy,
    inFlightRequests,
    gpu: gpuSeconds(gpusAllocated, gpusBusy, window.stepSeconds),
    replicaStats: replicaStats(replicas),
  };
}

/** Each point stands for the step that ends at it; steps without an allocation point add nothing. */
function gpuSeconds(allocated: GaugeSeries | null, busy: GaugeSeries | null, stepSeconds: number) {
  if (!allocated) return null;
  let allocatedGpuSeconds = 0;
  let busyGpuSeconds = 0;
  allocated.values.forEach((gpus, i) => {
    if (gpus === null) return;
    allocatedGpuSeconds += gpus * stepSeconds;
    busyGpuSeconds += Math.min(gpus, busy?.values[i] ?? 0) * stepSeconds;
  });
  return {
    allocatedGpuSeconds,
    busyGpuSeconds,
    idleGpuSeconds: allocatedGpuSeconds - busyGpuSeconds,
    idleFraction:
      allocatedGpuSeconds > 0 ? (allocatedGpuSeconds - busyGpuSeconds) / allocatedGpuSeconds : null,
  };
}

function replicaStats(replicas: GaugeSeries | null) {
  const known = replicas?.values.filter((v): v is number => v !== null) ?? [];
  if (known.length === 0) return null;
  return {
    min: Math.min(...known),
    max: Math.max(...known),
    mean: known.reduce((a, b) => a + b, 0) / known.length,
  };
}
