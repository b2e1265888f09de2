/**
 * Markdown for a pull-request comment. It always fits GitHub's comment limit (65,536 characters):
 * when the whole report would not, it drops the per-workload details first, then shortens the
 * lists, then the summary table — each cut says what was left out and where to find it.
 */

import type { ReportBundle } from '../pipeline/build.ts';
import { formatUsd } from '../pipeline/format.ts';
import {
  baselineSection,
  cell,
  findingsSection,
  summaryTable,
  thresholdSection,
  workloadDetails,
} from './sections.ts';

/** CI finds its earlier comment by this line and updates it instead of adding a new one. */
export const REPORT_MARKER = '<!-- migrate-report -->';
/** GitHub's limit on a comment body, in characters. */
export const GITHUB_COMMENT_LIMIT = 65_536;
/** Left free under the limit for CI to append a line (a link to the run and its HTML artifact). */
export const COMMENT_RESERVE = 1024;

interface Budget {
  details: number;
  findings: number;
  violations: number;
  changes: number;
  rows: number;
}

export function renderMarkdown(bundle: ReportBundle, limit = GITHUB_COMMENT_LIMIT - COMMENT_RESERVE): string {
  const all = Number.MAX_SAFE_INTEGER;
  const { report } = bundle;
  const attempts: Budget[] = [
    { details: all, findings: 10, violations: 10, changes: 50, rows: all },
    ...[...Array(Math.min(report.workloads.length, 50)).keys()]
      .reverse()
      .map((details) => ({ details, findings: 10, violations: 10, changes: 50, rows: all })),
    { details: 0, findings: 5, violations: 3, changes: 20, rows: all },
  ];
  const memo = new Map<string, string[]>();
  const fullTable = summaryTable(report, all);
  memo.set(`rows:${all}`, fullTable);
  // A table that alone is over the limit makes every attempt with all rows pointless.
  const tableFits = fullTable.reduce((sum, line) => sum + line.length + 1, 0) < limit;
  for (const budget of tableFits ? attempts : []) {
    const text = compose(bundle, budget, memo);
    if (text.length <= limit) return text;
  }
  // The summary table alone is too long: keep as many rows as fit, halving the surplus each try.
  let rows = report.results.length;
  for (;;) {
    rows = Math.max(0, Math.floor(rows * 0.8));
    const text = compose(bundle, { details: 0, findings: 5, violations: 3, changes: 10, rows }, memo);
    if (text.length <= limit || rows === 0) return text;
  }
}

/** Sections are rendered once per size and reused across attempts: a fleet's table is the costly part. */
function compose(bundle: ReportBundle, budget: Budget, memo: Map<string, string[]>): string {
  const { report, replays } = bundle;
  const once = (key: string, make: () => string[]) => {
    let lines = memo.get(key);
    if (!lines) {
      lines = make();
      memo.set(key, lines);
    }
    return lines;
  };
  const { summary } = report;
  const lines = [
    REPORT_MARKER,
    `## migrate: ${summary.workloads} workload(s) × ${report.settings.targets.length} target(s) — ${summary.passed ? '✅ thresholds hold' : `❌ ${summary.thresholds.violated} threshold(s) violated`}`,
    '',
    `Traffic: \`${cell(`${report.settings.traffic}${report.settings.window ? ` ${report.settings.window}` : ''}`).replace(/`/g, "'")}\`; seed ${report.settings.seed}. Monthly cost assumes the replayed window repeats for 730 h.`,
    '',
    ...once(`rows:${budget.rows}`, () => summaryTable(report, budget.rows)),
    '',
    monthlyTotals(bundle),
    '',
    ...once(`violations:${budget.violations}`, () => thresholdSection(report, budget.violations)),
  ];
  const findings = once(`findings:${budget.findings}`, () => findingsSection(report, budget.findings));
  if (findings.length) lines.push('', ...findings);
  const baseline = once(`changes:${budget.changes}`, () => baselineSection(report, budget.changes));
  if (baseline.length) lines.push('', ...baseline);
  const shown = Math.min(budget.details, report.workloads.length);
  if (report.workloads.length) lines.push('', '### Details', '');
  for (let index = 0; index < shown; index += 1)
    lines.push(...once(`details:${index}`, () => workloadDetails(report, replays, index)), '');
  if (shown < report.workloads.length)
    lines.push(
      `Details of ${report.workloads.length - shown} workload(s) are left out to stay under GitHub's ${GITHUB_COMMENT_LIMIT.toLocaleString('en-US')}-character comment limit: see report.html.`,
      '',
    );
  lines.push(
    `<sub>migrate ${report.tool.version}${report.generatedAt ? ` · ${report.generatedAt}` : ''} · charts: report.html · data: report.json · configs: configs/ · replays: replay/</sub>`,
  );
  return `${lines.join('\n')}\n`;
}

function monthlyTotals({ report }: ReportBundle): string {
  const totals = Object.entries(report.summary.monthlyCostUsdByTarget);
  if (totals.length === 0) return 'No target ran, so there is no cost to compare.';
  return `Monthly cost of every workload that ran, by target: ${totals.map(([target, usd]) => `${target} ${formatUsd(usd)}`).join(' · ')}.`;
}
