/** What `migrate run` and `migrate report` print on the terminal: the summary table, the thresholds, the files. */

import type { ReportBundle } from './build.ts';
import { formatCount, formatMs, formatRowCost, formatSignedPct, formatValue } from './format.ts';

export function renderSummaryText(bundle: ReportBundle, written: readonly string[]): string {
  const { report } = bundle;
  const header = ['WORKLOAD', 'TARGET', 'VERDICT', 'P99 SPIKE', 'COLD', 'TIMEOUTS', 'MONTHLY', 'Δ CLUSTER'];
  const rows = report.results.map((row) => [
    row.workload,
    row.target,
    row.verdict,
    formatMs(row.spikeP99Ms ?? row.p99Ms),
    formatCount(row.coldStarts),
    formatCount(row.timeouts),
    formatRowCost(row),
    row.target === 'kubernetes' ? '–' : formatSignedPct(row.costDeltaPct),
  ]);
  const widths = header.map((title, index) =>
    Math.max(title.length, ...rows.map((row) => row[index]!.length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, index) => (index < 3 ? cell.padEnd(widths[index]!) : cell.padStart(widths[index]!)))
      .join('  ')
      .trimEnd();
  const lines = [line(header), ...rows.map(line), ''];
  for (const threshold of report.thresholds) {
    const count = threshold.violations.length;
    lines.push(
      `${count ? 'FAIL' : 'ok  '}  --fail-on ${threshold.expression}${count ? `: ${count} row(s)` : ''}`,
    );
    for (const violation of threshold.violations.slice(0, 5))
      lines.push(
        `      ${violation.workload} on ${violation.target}: ${Object.entries(violation.values)
          .map(([field, value]) => `${field} ${formatValue(value)}`)
          .join(', ')}`,
      );
    if (count > 5) lines.push(`      … and ${count - 5} more`);
  }
  if (report.thresholds.length) lines.push('');
  for (const path of written) lines.push(`wrote ${path}`);
  return `${lines.join('\n')}\n`;
}
