/** The sections of the PR comment, each a list of lines; render.ts decides how many of each fit. */

import type { ReplayReport } from '../../loadtests/engine/result.ts';
import {
  DASH,
  formatCount,
  formatMs,
  formatPct,
  formatRowCost,
  formatSeconds,
  formatSignedPct,
  formatSignedUsd,
  formatUsd,
  formatValue,
  VERDICT_MARKS,
} from '../pipeline/format.ts';
import type { ReportJson, ResultRow } from '../pipeline/model.ts';

export const cell = (text: string) => text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
const code = (text: string) => `\`${text.replace(/`/g, "'")}\``;
const html = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function summaryTable(report: ReportJson, maxRows: number): string[] {
  const noSpike = report.results.some((row) => row.spikeP99Ms === null && row.p99Ms !== null);
  const lines = [
    '| Workload | Target | Verdict | p99 in spike | Cold starts | Timeouts / throttles | GPU idle | Monthly cost | Δ vs cluster |',
    '| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  let previous = '';
  for (const row of report.results.slice(0, maxRows)) {
    const p99 = row.spikeP99Ms ?? row.p99Ms;
    lines.push(
      `| ${row.workload === previous ? '' : cell(row.workload)} | ${row.target} | ${VERDICT_MARKS[row.verdict]} | ${formatMs(p99)}${row.spikeP99Ms === null && p99 !== null ? '*' : ''} | ${formatCount(row.coldStarts)} | ${row.timeouts === null ? DASH : `${formatCount(row.timeouts)} / ${formatCount(row.throttles)}`} | ${formatPct(row.gpuIdlePct)} | ${formatRowCost(row)} | ${row.target === 'kubernetes' ? DASH : `${formatSignedPct(row.costDeltaPct)}`} |`,
    );
    previous = row.workload;
  }
  const left = report.results.length - maxRows;
  if (left > 0) lines.push('', `… and ${left} more row(s): see report.html or report.json.`);
  if (noSpike) lines.push('', '\\* no spike in the traffic: p99 over the whole window.');
  return lines;
}

export function thresholdSection(report: ReportJson, maxPerThreshold: number): string[] {
  const { checked, violated } = report.summary.thresholds;
  if (checked === 0) return ['### Thresholds', '', 'None given (`--fail-on`).'];
  const lines = [
    `### Thresholds: ${violated ? `❌ ${violated} of ${checked} violated` : `✅ all ${checked} hold`}`,
    '',
    '| | Threshold | Violated by |',
    '| --- | --- | --- |',
  ];
  for (const threshold of report.thresholds) {
    const shown = threshold.violations.slice(0, maxPerThreshold).map(
      (violation) =>
        `${violation.workload} on ${violation.target} (${Object.entries(violation.values)
          .map(([field, value]) => `${field} ${formatValue(value)}`)
          .join(', ')})`,
    );
    const more = threshold.violations.length - shown.length;
    if (more > 0) shown.push(`… and ${more} more`);
    lines.push(
      `| ${threshold.violations.length ? '❌' : '✅'} | ${cell(code(threshold.expression))} | ${cell(shown.join('; ')) || DASH} |`,
    );
  }
  return lines;
}

export function findingsSection(report: ReportJson, max: number): string[] {
  if (report.findings.length === 0) return [];
  const lines = [`### Top findings`, ''];
  report.findings.slice(0, max).forEach((finding, index) => {
    lines.push(
      `${index + 1}. **${finding.severity}** ${code(finding.workload)}${finding.target ? ` → ${finding.target}` : ''}: [${finding.rule}] ${finding.message.replace(/\r?\n/g, ' ')}`,
    );
  });
  const left = report.findings.length - max;
  if (left > 0) lines.push('', `… and ${left} more in report.json.`);
  return lines;
}

export function baselineSection(report: ReportJson, max: number): string[] {
  if (!report.baseline) return [];
  const changes = report.baseline.changes;
  if (changes.length === 0)
    return ['### Since the baseline', '', 'Nothing changed: verdicts, p99 and monthly costs are the same.'];
  const lines = [
    '### Since the baseline',
    '',
    '| Workload | Target | Change | Verdict | p99 | Monthly cost |',
    '| --- | --- | --- | --- | ---: | ---: |',
  ];
  for (const change of changes.slice(0, max)) {
    const arrow = (before: string, after: string) => (before === after ? after : `${before} → ${after}`);
    lines.push(
      `| ${cell(change.workload)} | ${change.target} | ${change.change} | ${arrow(change.verdict.before ?? DASH, change.verdict.after ?? DASH)} | ${arrow(formatMs(change.p99Ms.before), formatMs(change.p99Ms.after))} | ${arrow(formatUsd(change.monthlyCostUsd.before), formatUsd(change.monthlyCostUsd.after))}${change.monthlyCostUsd.deltaUsd ? ` (${formatSignedUsd(change.monthlyCostUsd.deltaUsd)})` : ''} |`,
    );
  }
  if (changes.length > max) lines.push('', `… and ${changes.length - max} more change(s) in report.json.`);
  return lines;
}

const MEASURES: [string, (row: ResultRow) => string][] = [
  ['requests', (row) => formatCount(row.requests)],
  ['served', (row) => formatCount(row.served)],
  ['timed out', (row) => formatCount(row.timeouts)],
  ['throttled', (row) => formatCount(row.throttles)],
  ['dropped', (row) => formatCount(row.drops)],
  ['cold starts', (row) => formatCount(row.coldStarts)],
  ['latency p50', (row) => formatMs(row.p50Ms)],
  ['latency p90', (row) => formatMs(row.p90Ms)],
  ['latency p99', (row) => formatMs(row.p99Ms)],
  ['latency max', (row) => formatMs(row.maxMs)],
  ['p99 in the spike', (row) => formatMs(row.spikeP99Ms)],
  ['queued p99', (row) => formatMs(row.waitP99Ms)],
  ['recovered after', (row) => (row.recoverySeconds === null ? DASH : formatSeconds(row.recoverySeconds))],
  ['pods/instances max', (row) => formatCount(row.instancesMax)],
  ['nodes max', (row) => formatCount(row.nodesMax)],
  [
    'GPU-hours allocated',
    (row) => (row.gpuAllocatedHours === null ? DASH : row.gpuAllocatedHours.toFixed(2)),
  ],
  ['GPU-hours busy', (row) => (row.gpuBusyHours === null ? DASH : row.gpuBusyHours.toFixed(2))],
  ['GPU idle', (row) => formatPct(row.gpuIdlePct)],
  ['cost of the window', (row) => formatUsd(row.costUsd)],
  ['monthly cost', (row) => formatRowCost(row)],
  ['Δ vs cluster', (row) => (row.target === 'kubernetes' ? DASH : formatSignedUsd(row.costDeltaUsd))],
];

/** One collapsible block per workload: every measure per target, then why each target is not ok. */
export function workloadDetails(
  report: ReportJson,
  replays: readonly ReplayReport[],
  index: number,
): string[] {
  const workload = report.workloads[index]!;
  const rows = report.results.filter((row) => row.workload === workload.id);
  const ran = rows.filter((row) => row.status === 'ok');
  const spike = workload.traffic.spike;
  const replay = replays[index];
  const lines = [
    `<details><summary><b>${html(workload.id)}</b> — ${workload.verdict}; ${formatCount(workload.traffic.requests)} requests; ${spike ? `spike ${formatCount(spike.startSeconds)}–${formatSeconds(spike.endSeconds)} into the window` : 'no spike'}</summary>`,
    '',
    `Traffic: ${cell(workload.traffic.origin)}, window ${formatSeconds(workload.traffic.window.startSeconds)}–${formatSeconds(workload.traffic.window.endSeconds)}${replay ? `; service time ${cell(replay.settings.serviceTime)}; client timeout ${formatMs(replay.settings.timeoutMs)}` : ''}. Replay: \`${workload.replayFile}\`.`,
    '',
  ];
  if (ran.length) {
    lines.push(
      `| | ${ran.map((row) => row.target).join(' | ')} |`,
      `| --- |${ran.map(() => ' ---: |').join('')}`,
    );
    for (const [label, value] of MEASURES)
      lines.push(`| ${label} | ${ran.map((row) => value(row)).join(' | ')} |`);
    lines.push('');
  }
  for (const row of rows) {
    const config = row.conversion ? ` Configs: \`${row.conversion.dir}/\` (${row.conversion.status}).` : '';
    if (row.reasons.length === 0 && !config) continue;
    lines.push(`- **${row.target}** ${VERDICT_MARKS[row.verdict]}.${config}`);
    for (const reason of row.reasons) lines.push(`  - ${reason.replace(/\r?\n/g, ' ')}`);
  }
  lines.push('', '</details>');
  return lines;
}
