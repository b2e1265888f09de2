/**
 * One result row per workload × target, from the analysis, the replay and the conversions — and the
 * fields the thresholds read, each a column of the row with a documented name (docs/report.md).
 */

import type { WorkloadReport } from '../../analyzers/report.ts';
import { TARGETS, type TargetId } from '../../core/model/index.ts';
import type { OkRun, ReplayReport, RunResult } from '../../loadtests/engine/result.ts';
import { TARGET_IDS } from '../../loadtests/platforms/index.ts';
import type { FieldSpec, FieldValues } from '../thresholds/index.ts';
import { integer } from './format.ts';
import { type ConversionRef, type ResultRow, ROW_VERDICTS } from './model.ts';

/** The month the monthly cost assumes: 8,760 h ÷ 12, as convert's warm-capacity prices do. */
export const HOURS_PER_MONTH = 730;

const round = (value: number, digits: number) => {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
};

export function resultRows(
  workload: WorkloadReport,
  replay: ReplayReport,
  conversions: readonly ConversionRef[],
): ResultRow[] {
  const windowSeconds = replay.traffic.window.endSeconds - replay.traffic.window.startSeconds;
  const monthly = (usd: number) =>
    windowSeconds > 0 ? round((usd * HOURS_PER_MONTH * 3600) / windowSeconds, 2) : null;
  const rows = replay.runs.map((run) => baseRow(workload, run, conversions, monthly));
  const cluster = rows.find((row) => row.target === 'kubernetes' && row.monthlyCostUsd !== null);
  for (const row of rows) {
    // A lower-bound cost against a complete one would show a saving that is only a missing price.
    if (!cluster || row.monthlyCostUsd === null || row.costLowerBound || cluster.costLowerBound) continue;
    row.costDeltaUsd = round(row.monthlyCostUsd - cluster.monthlyCostUsd!, 2);
    row.costDeltaPct =
      cluster.monthlyCostUsd! > 0 ? round((100 * row.costDeltaUsd) / cluster.monthlyCostUsd!, 1) : null;
  }
  return rows;
}

function baseRow(
  workload: WorkloadReport,
  run: RunResult,
  conversions: readonly ConversionRef[],
  monthly: (usd: number) => number | null,
): ResultRow {
  const serverless = (TARGETS as readonly string[]).includes(run.target);
  const fit = serverless ? workload.targets[run.target as TargetId].fit : null;
  const conversion = conversions.find(
    (entry) => entry.workload === workload.id && entry.target === run.target,
  );
  const ok = run.status === 'ok' ? run : null;
  const { verdict, reasons } = rowVerdict(workload, run, fit);
  return {
    workload: workload.id,
    target: run.target,
    status: run.status,
    verdict,
    reasons,
    workloadVerdict: workload.verdict,
    fit,
    conversion: conversion ? { status: conversion.status, dir: conversion.dir } : null,
    requests: ok?.requests.total ?? null,
    served: ok?.requests.served ?? null,
    timeouts: ok?.requests.timedOut ?? null,
    throttles: ok?.requests.throttled ?? null,
    drops: ok?.requests.dropped ?? null,
    coldStarts: ok?.coldStarts ?? null,
    p50Ms: ok?.latencyMs.p50 ?? null,
    p90Ms: ok?.latencyMs.p90 ?? null,
    p99Ms: ok?.latencyMs.p99 ?? null,
    maxMs: ok?.latencyMs.max ?? null,
    spikeP99Ms: ok?.spikeLatencyMs?.p99 ?? null,
    waitP99Ms: ok?.waitMs.p99 ?? null,
    recoverySeconds: ok?.recovery ? (ok.recovery.exceededSlo ? ok.recovery.seconds : 0) : null,
    sloMs: workload.serving.sloMs,
    instancesMax: ok?.instances.max ?? null,
    nodesMax: ok?.nodes.max ?? null,
    gpuAllocatedHours: ok?.gpu ? round(ok.gpu.allocatedSeconds / 3600, 3) : null,
    gpuBusyHours: ok?.gpu ? round(ok.gpu.busySeconds / 3600, 3) : null,
    gpuIdlePct: ok?.gpu ? round(ok.gpu.idleFraction * 100, 1) : null,
    costUsd: ok ? round(ok.cost.totalUsd, 4) : null,
    monthlyCostUsd: ok ? monthly(ok.cost.totalUsd) : null,
    costLowerBound: ok?.cost.lowerBound === true,
    costDeltaUsd: null,
    costDeltaPct: null,
  };
}

/**
 * Blocked and not-implemented say so; kubernetes is the baseline the others are measured against;
 * any other target is `warn` when the analysis warns about it or the replay failed requests or
 * breached the SLO, else `ok`.
 */
function rowVerdict(
  workload: WorkloadReport,
  run: RunResult,
  fit: ResultRow['fit'],
): { verdict: ResultRow['verdict']; reasons: string[] } {
  if (run.status !== 'ok') return { verdict: run.status, reasons: run.reasons };
  if (fit === 'blocked')
    return { verdict: 'blocked', reasons: analysisReasons(workload, run.target, 'block') };
  const reasons = [
    ...(fit === 'warn' ? analysisReasons(workload, run.target, 'warn') : []),
    ...replayReasons(run, workload),
  ];
  if (run.target === 'kubernetes') return { verdict: 'baseline', reasons };
  return { verdict: reasons.length ? 'warn' : 'ok', reasons };
}

function analysisReasons(workload: WorkloadReport, target: string, severity: 'warn' | 'block'): string[] {
  const findings = workload.targets[target as TargetId]?.findings ?? [];
  return findings
    .filter((finding) => finding.severity === severity)
    .map((finding) => `[${finding.rule}] ${finding.message}`);
}

function replayReasons(run: OkRun, workload: WorkloadReport): string[] {
  const reasons: string[] = [];
  const { total, timedOut, throttled, dropped } = run.requests;
  const failed = timedOut + throttled + dropped;
  if (failed > 0)
    reasons.push(
      `[replay] ${integer(failed)} of ${integer(total)} requests failed: ${timedOut} timed out, ${throttled} throttled, ${dropped} dropped`,
    );
  const slo = workload.serving.sloMs;
  const p99 = run.spikeLatencyMs?.p99 ?? run.latencyMs.p99;
  if (slo !== null && p99 !== null && p99 > slo)
    reasons.push(
      `[replay] p99 latency ${run.spikeLatencyMs ? 'inside the spike ' : ''}${integer(p99)} ms exceeds the ${integer(slo)} ms SLO`,
    );
  return reasons;
}

interface RowField extends FieldSpec {
  get: (row: ResultRow) => number | string | null;
}

const numberField = (name: string, description: string, get: RowField['get']): RowField => ({
  name,
  type: 'number',
  description,
  get,
});

/** Every field a threshold can read; docs/report.md lists the same table (a test keeps them in step). */
export const ROW_FIELDS: readonly RowField[] = [
  {
    name: 'workload',
    type: 'string',
    description: 'workload id, namespace/Kind/name',
    get: (row) => row.workload,
  },
  {
    name: 'target',
    type: 'string',
    values: TARGET_IDS,
    description: 'replay target',
    get: (row) => row.target,
  },
  {
    name: 'status',
    type: 'string',
    values: ['ok', 'blocked', 'not-implemented'],
    description: 'replay status',
    get: (row) => row.status,
  },
  {
    name: 'verdict',
    type: 'string',
    values: ROW_VERDICTS,
    description: 'verdict of the row',
    get: (row) => row.verdict,
  },
  {
    name: 'workload_verdict',
    type: 'string',
    values: ['serverless-function', 'container-service', 'stay-on-cluster'],
    description: "the analysis' verdict for the workload",
    get: (row) => row.workloadVerdict,
  },
  {
    name: 'fit',
    type: 'string',
    values: ['ok', 'warn', 'blocked'],
    description: "the analysis' fit (serverless targets)",
    get: (row) => row.fit,
  },
  {
    name: 'conversion',
    type: 'string',
    values: ['converted', 'blocked', 'not-implemented'],
    description: 'status of the configs convert wrote',
    get: (row) => row.conversion?.status ?? null,
  },
  numberField('requests', 'requests replayed', (row) => row.requests),
  numberField('served', 'requests answered before the client timeout', (row) => row.served),
  numberField('timeouts', 'requests timed out', (row) => row.timeouts),
  numberField('throttles', 'requests throttled by a platform limit', (row) => row.throttles),
  numberField('drops', 'requests dropped', (row) => row.drops),
  numberField('failed', 'timeouts + throttles + drops', (row) =>
    row.timeouts === null ? null : row.timeouts + row.throttles! + row.drops!,
  ),
  numberField('cold_starts', 'instances started during the run', (row) => row.coldStarts),
  numberField('p50_ms', 'latency p50, ms', (row) => row.p50Ms),
  numberField('p90_ms', 'latency p90, ms', (row) => row.p90Ms),
  numberField('p99_ms', 'latency p99, ms', (row) => row.p99Ms),
  numberField('max_ms', 'latency max, ms', (row) => row.maxMs),
  numberField(
    'spike_p99_ms',
    'latency p99 of requests that arrived inside the spike, ms',
    (row) => row.spikeP99Ms,
  ),
  numberField('wait_p99_ms', 'queueing delay p99, ms', (row) => row.waitP99Ms),
  numberField(
    'recovery_s',
    'seconds from the spike to recovery (0: SLO never breached)',
    (row) => row.recoverySeconds,
  ),
  numberField('slo_ms', "the workload's SLO, ms", (row) => row.sloMs),
  numberField('instances_max', 'largest number of pods or instances', (row) => row.instancesMax),
  numberField('nodes_max', 'largest number of nodes', (row) => row.nodesMax),
  numberField('gpu_idle_pct', 'share of allocated GPU time that was idle, %', (row) => row.gpuIdlePct),
  numberField('gpu_allocated_h', 'GPU-hours allocated', (row) => row.gpuAllocatedHours),
  numberField('gpu_busy_h', 'GPU-hours busy', (row) => row.gpuBusyHours),
  numberField('cost_usd', 'cost of the replayed window, USD', (row) => row.costUsd),
  numberField('monthly_cost_usd', 'the window’s cost scaled to 730 h, USD', (row) => row.monthlyCostUsd),
  numberField('cost_delta_usd', 'monthly cost minus the kubernetes row’s, USD', (row) => row.costDeltaUsd),
  numberField(
    'cost_delta_pct',
    'cost_delta_usd as a percentage of the kubernetes row’s monthly cost',
    (row) => row.costDeltaPct,
  ),
];

export function rowValues(row: ResultRow): FieldValues {
  return Object.fromEntries(ROW_FIELDS.map((field) => [field.name, field.get(row)]));
}
