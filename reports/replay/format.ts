/**
 * The figures of a replay report as rows of text, shared by the terminal table and the Markdown:
 * one row per measure, one column per target (targets side by side read better than five wide rows).
 */

import type { OkRun, ReplayReport, RunResult } from '../../loadtests/engine/result.ts';

const integer = (value: number) => value.toLocaleString('en-US', { maximumFractionDigits: 0 });
const fixed = (value: number, digits: number) =>
  value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const ms = (value: number | null) => (value === null ? '–' : value >= 100 ? integer(value) : fixed(value, 1));
const percent = (fraction: number) => `${fixed(fraction * 100, 1)} %`;
const share = (part: number, total: number) => (total > 0 ? ` (${percent(part / total)})` : '');

type Cell = (run: OkRun) => string;

const ROWS: [string, Cell][] = [
  ['requests', (run) => integer(run.requests.total)],
  ['  served', (run) => `${integer(run.requests.served)}${share(run.requests.served, run.requests.total)}`],
  ['  timed out', (run) => integer(run.requests.timedOut)],
  ['  throttled', (run) => integer(run.requests.throttled)],
  ['  dropped', (run) => integer(run.requests.dropped)],
  ['cold starts', (run) => integer(run.coldStarts)],
  [
    '  requests that waited',
    (run) => `${integer(run.coldStartWaits.requests)} (${percent(run.coldStartWaits.share)})`,
  ],
  ['latency ms  mean', (run) => ms(run.latencyMs.mean)],
  ['  p50', (run) => ms(run.latencyMs.p50)],
  ['  p90', (run) => ms(run.latencyMs.p90)],
  ['  p95', (run) => ms(run.latencyMs.p95)],
  ['  p99', (run) => ms(run.latencyMs.p99)],
  ['  p99.9', (run) => ms(run.latencyMs.p999)],
  ['  max', (run) => ms(run.latencyMs.max)],
  ['in the spike  p50', (run) => ms(run.spikeLatencyMs?.p50 ?? null)],
  ['  p99', (run) => ms(run.spikeLatencyMs?.p99 ?? null)],
  ['queued ms  mean', (run) => ms(run.waitMs.mean)],
  ['  p99', (run) => ms(run.waitMs.p99)],
  ['recovered after', (run) => recovery(run)],
  ['pods/instances  max', (run) => integer(run.instances.max)],
  ['  mean ready', (run) => fixed(run.instances.meanReady, 2)],
  ['nodes  max', (run) => integer(run.nodes.max)],
  ['GPU-hours  allocated', (run) => (run.gpu ? fixed(run.gpu.allocatedSeconds / 3600, 2) : '–')],
  ['  busy', (run) => (run.gpu ? fixed(run.gpu.busySeconds / 3600, 2) : '–')],
  [
    '  idle',
    (run) => (run.gpu ? `${percent(run.gpu.idleFraction)} ($${fixed(run.gpu.idleCostUsd, 2)})` : '–'),
  ],
  ['cost $', (run) => fixed(run.cost.totalUsd, 2)],
];

function recovery(run: OkRun): string {
  if (!run.recovery) return '–';
  if (!run.recovery.exceededSlo) return `never over ${integer(run.recovery.sloMs)} ms`;
  return run.recovery.seconds === null ? 'not within the run' : `${integer(run.recovery.seconds)} s`;
}

/** Header row, then one row per measure; skipped targets show their status on the first row only. */
export function comparisonRows(report: ReplayReport): string[][] {
  const header = ['', ...report.runs.map((run) => run.target)];
  const status = ['status', ...report.runs.map((run) => run.status)];
  const rows = ROWS.map(([label, cell]) => [
    label,
    ...report.runs.map((run) => (run.status === 'ok' ? cell(run) : '')),
  ]);
  return [header, status, ...rows];
}

export function headline(report: ReplayReport): string[] {
  const { traffic, settings } = report;
  const lines = [
    `replay of ${report.workload.id}: ${integer(traffic.requests)} requests from ${traffic.origin}`,
    `  window ${integer(traffic.window.startSeconds)}–${integer(traffic.window.endSeconds)} s, arrivals ${ARRIVAL_WORDS[traffic.mode]}, seed ${settings.seed}`,
    `  service time ${settings.serviceTime}; client timeout ${integer(settings.timeoutMs)} ms; SLO ${settings.sloMs === null ? 'none' : `${integer(settings.sloMs)} ms`}; lb ${settings.lb}`,
  ];
  const spike = traffic.spike;
  lines.push(
    spike
      ? `  spike ${integer(spike.startSeconds)}–${integer(spike.endSeconds)} s (bins ≥ ${integer(spike.thresholdRequestsPerMinute)} req/min, peak ${integer(spike.peakRequestsPerMinute)} req/min)`
      : '  spike: none (no minute reaches twice the mean)',
  );
  return lines;
}

const ARRIVAL_WORDS = {
  exact: 'at the trace’s own times',
  counts: 'the recorded count per step, at seeded random times',
  poisson: 'a seeded Poisson process at the recorded rates',
} as const;

/** Why a target has no figures, and the moments each run recorded. */
export function runNotes(run: RunResult): string[] {
  if (run.status !== 'ok') return run.reasons.map((reason) => `${run.target}: ${run.status} — ${reason}`);
  const lines: string[] = [];
  const moments = Object.entries(run.milestones).map(
    ([name, seconds]) => `${MILESTONE_WORDS[name] ?? name} at ${fixed(seconds, 1)} s`,
  );
  if (moments.length) lines.push(`${run.target}: ${moments.join('; ')}`);
  for (const note of run.notes) lines.push(`${run.target}: ${note}`);
  return lines;
}

const MILESTONE_WORDS: Record<string, string> = {
  firstScaleUpSeconds: 'first scale-up',
  firstNodeRequestedSeconds: 'first node requested',
  firstNewNodeReadySeconds: 'first new node ready',
  firstNewPodReadySeconds: 'first new pod ready',
};
