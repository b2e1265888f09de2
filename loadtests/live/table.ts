/** `migrate loadtest --format table`: one row per target, then what failed and how faithful the schedule was. */

import type { LiveResults } from './results.ts';

export function liveTable(results: LiveResults): string {
  const t = results.traffic;
  const lines = [
    `live replay of ${t.source} (${t.arrivals} arrivals, seed ${t.seed})`,
    `  window ${t.windowSeconds} s of traffic${t.speedup !== 1 ? ` at ${t.speedup}× speed` : ''} = ${t.wallSeconds} s; ran ${results.elapsedSeconds} s${results.stoppedEarly ? ' (stopped early)' : ''}`,
    `  ${results.settings.method}, timeout ${results.settings.timeoutMs} ms, max in flight ${results.settings.maxInFlight}, connections ≤ ${results.settings.connections}, body ${results.settings.body}`,
    '',
  ];
  const header = [
    'target',
    'total',
    'served',
    'failed',
    'timedOut',
    'dropped',
    'sched/s',
    'sent/s',
    'p50 ms',
    'p90 ms',
    'p99 ms',
    'p99.9 ms',
    'max ms',
  ];
  const fixed = (value: number | null, digits = 1) => (value === null ? '–' : value.toFixed(digits));
  const rows = results.runs.map((run) => [
    run.target,
    String(run.requests.total),
    String(run.requests.served),
    String(run.requests.failed),
    String(run.requests.timedOut),
    String(run.requests.dropped),
    fixed(run.scheduledRatePerSecond),
    fixed(run.achievedRatePerSecond),
    fixed(run.latencyMs.p50, 2),
    fixed(run.latencyMs.p90, 2),
    fixed(run.latencyMs.p99, 2),
    fixed(run.latencyMs.p999, 2),
    fixed(run.latencyMs.max, 2),
  ]);
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]!.length)));
  const render = (cells: string[]) =>
    `  ${cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ')}`;
  lines.push(render(header), ...rows.map(render), '');
  for (const run of results.runs) {
    const statuses = Object.entries(run.statusCodes).map(([code, count]) => `${code}×${count}`);
    const errors = Object.entries(run.errors).map(([code, count]) => `${code}×${count}`);
    lines.push(
      `  ${run.target}: ${run.url}; status ${statuses.join(' ') || 'none'}${errors.length ? `; errors ${errors.join(' ')}` : ''}; send lag p99 ${fixed(run.sendLagMs.p99, 2)} ms; ${run.connectionsOpened} connection(s) opened`,
    );
  }
  lines.push(
    '',
    "Latency is measured from each request's scheduled send time (open model: waiting for a stalled server or a free connection counts).",
    '',
  );
  return lines.join('\n');
}
