/**
 * One self-contained HTML file: inline style, inline SVG charts (Vega-Lite rendered at build time in
 * Node), a few lines of inline script to sort tables, and a Content-Security-Policy that forbids any
 * fetch — the page works from a CI artifact, offline, in light and dark mode.
 */

import { Error as ERROR_LEVEL, logger, parse, View, Warn as WARN_LEVEL } from 'vega';
import { compile } from 'vega-lite';
import type { ReportBundle } from '../pipeline/build.ts';
import {
  DASH,
  formatCount,
  formatMs,
  formatPct,
  formatRowCost,
  formatSignedPct,
  formatUsd,
  formatValue,
} from '../pipeline/format.ts';
import type { ReportJson, ResultRow } from '../pipeline/model.ts';
import { costChart, type VegaLiteSpec, workloadCharts } from './charts.ts';
import { SCRIPT, STYLE } from './page.ts';

/** Symbols every font has: emoji need a colour-emoji font, which a CI runner or a server may lack. */
const VERDICT_MARKS: Record<string, string> = {
  ok: '✔ ok',
  warn: '⚠ warn',
  blocked: '✘ blocked',
  'not-implemented': '– not modelled',
  baseline: '● baseline',
};

export const escapeHtml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:";

/**
 * Renders a Vega-Lite spec to an SVG string; `renderer: 'none'` needs no canvas and no DOM. Vega's
 * warnings are returned, not printed: the page shows them under the chart (a test keeps them at none).
 */
export async function renderSvg(spec: VegaLiteSpec): Promise<{ svg: string; warnings: string[] }> {
  const warnings: string[] = [];
  const collect = logger(WARN_LEVEL, undefined, (_method, _level, args) => {
    warnings.push(args.map(String).join(' '));
  });
  const vega = compile(spec as unknown as Parameters<typeof compile>[0], { logger: collect }).spec;
  const view = new View(parse(vega), { renderer: 'none', logLevel: ERROR_LEVEL });
  try {
    return { svg: await view.toSVG(), warnings };
  } finally {
    view.finalize();
  }
}

export async function renderHtml(bundle: ReportBundle): Promise<string> {
  const { report } = bundle;
  const sections: string[] = [];
  const overall = costChart(report.results, true);
  if (overall && report.workloads.length > 1)
    sections.push(await figure('cost-all', 'Monthly cost by target, all workloads', overall));
  for (const [index, workload] of report.workloads.entries()) {
    const replay = bundle.replays[index]!;
    const charts = [];
    for (const chart of workloadCharts(report, replay, workload.id))
      charts.push(await figure(chart.id, chart.title, chart.spec));
    sections.push(workloadSection(report, index, charts));
  }
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>migrate report: ${report.summary.workloads} workload(s)</title>
<style>${STYLE}</style>
</head>
<body>
${header(report)}
${summaryTable(report.results)}
${thresholds(report)}
${baseline(report)}
${sections.join('\n')}
${findings(report)}
<footer class="muted"><p>migrate ${escapeHtml(report.tool.version)}${report.generatedAt ? ` · ${escapeHtml(report.generatedAt)}` : ''} · data: report.json · replays: replay/ · configs: configs/</p></footer>
<script id="migrate-report-data" type="application/json">${JSON.stringify(report).replace(/</g, '\\u003c')}</script>
<script>${SCRIPT}</script>
</body>
</html>
`;
}

async function figure(id: string, title: string, spec: VegaLiteSpec): Promise<string> {
  const { svg, warnings } = await renderSvg(spec);
  const notes = warnings
    .map((warning) => `<p class="muted chart-warning">chart warning: ${escapeHtml(warning)}</p>`)
    .join('');
  return `<figure class="chart" data-chart="${id}"><figcaption>${escapeHtml(title)}</figcaption>${svg}${notes}</figure>`;
}

function header(report: ReportJson): string {
  const { summary, settings } = report;
  const status = summary.passed
    ? `<span class="pass">✔ thresholds hold</span>`
    : `<span class="fail">✘ ${summary.thresholds.violated} of ${summary.thresholds.checked} threshold(s) violated</span>`;
  return `<header><h1>migrate: ${summary.workloads} workload(s) × ${settings.targets.length} target(s)</h1>
<p>${status}${summary.thresholds.checked === 0 ? ' <span class="muted">(no --fail-on given)</span>' : ''}</p>
<p class="muted">Traffic: ${escapeHtml(settings.traffic)}${settings.window ? ` ${escapeHtml(settings.window)}` : ''}; seed ${settings.seed}. Inputs: ${settings.inputs.map((input) => `<code>${escapeHtml(input)}</code>`).join(' ')}. Monthly cost assumes the replayed window repeats for 730 h.</p></header>`;
}

const num = (value: number | null, text: string) =>
  `<td class="num" data-value="${value === null ? '' : value}">${escapeHtml(text)}</td>`;

function summaryTable(rows: readonly ResultRow[]): string {
  const body = rows.map(
    (row) =>
      `<tr data-workload="${escapeHtml(row.workload)}" data-target="${row.target}"><td>${escapeHtml(row.workload)}</td><td>${row.target}</td><td class="verdict verdict-${row.verdict}">${escapeHtml(VERDICT_MARKS[row.verdict] ?? row.verdict)}</td>${num(row.p99Ms, formatMs(row.p99Ms))}${num(row.spikeP99Ms, formatMs(row.spikeP99Ms))}${num(row.coldStarts, formatCount(row.coldStarts))}${num(row.timeouts, formatCount(row.timeouts))}${num(row.throttles, formatCount(row.throttles))}${num(row.gpuIdlePct, formatPct(row.gpuIdlePct))}${num(row.monthlyCostUsd, formatRowCost(row))}${num(row.costDeltaPct, row.target === 'kubernetes' ? DASH : formatSignedPct(row.costDeltaPct))}</tr>`,
  );
  return `<h2>Summary</h2>
<table class="sortable" id="summary"><thead><tr><th>Workload</th><th>Target</th><th>Verdict</th><th class="num">p99</th><th class="num">p99 in spike</th><th class="num">Cold starts</th><th class="num">Timeouts</th><th class="num">Throttles</th><th class="num">GPU idle</th><th class="num">Monthly cost</th><th class="num">Δ vs cluster</th></tr></thead>
<tbody>
${body.join('\n')}
</tbody></table>`;
}

function thresholds(report: ReportJson): string {
  if (report.thresholds.length === 0)
    return '<h2>Thresholds</h2><p class="muted">None given (--fail-on).</p>';
  const rows = report.thresholds.map((threshold) => {
    const violations = threshold.violations
      .map(
        (violation) =>
          `${escapeHtml(violation.workload)} on ${violation.target} (${Object.entries(violation.values)
            .map(([field, value]) => `${field} ${escapeHtml(formatValue(value))}`)
            .join(', ')})`,
      )
      .join('<br>');
    return `<tr><td class="${threshold.violations.length ? 'fail' : 'pass'}">${threshold.violations.length ? '✘ violated' : '✔ holds'}</td><td><code>${escapeHtml(threshold.expression)}</code></td><td>${violations || DASH}</td></tr>`;
  });
  return `<h2>Thresholds</h2>
<table id="thresholds"><thead><tr><th></th><th>Threshold</th><th>Violated by</th></tr></thead><tbody>
${rows.join('\n')}
</tbody></table>`;
}

function baseline(report: ReportJson): string {
  if (!report.baseline) return '';
  if (report.baseline.changes.length === 0) return '<h2>Since the baseline</h2><p>Nothing changed.</p>';
  const rows = report.baseline.changes.map(
    (change) =>
      `<tr><td>${escapeHtml(change.workload)}</td><td>${change.target}</td><td>${change.change}</td><td>${escapeHtml(`${change.verdict.before ?? DASH} → ${change.verdict.after ?? DASH}`)}</td>${num(change.p99Ms.after, `${formatMs(change.p99Ms.before)} → ${formatMs(change.p99Ms.after)}`)}${num(change.monthlyCostUsd.deltaUsd, `${formatUsd(change.monthlyCostUsd.before)} → ${formatUsd(change.monthlyCostUsd.after)}`)}</tr>`,
  );
  return `<h2>Since the baseline</h2>
<table class="sortable" id="baseline"><thead><tr><th>Workload</th><th>Target</th><th>Change</th><th>Verdict</th><th class="num">p99</th><th class="num">Monthly cost</th></tr></thead><tbody>
${rows.join('\n')}
</tbody></table>`;
}

function workloadSection(report: ReportJson, index: number, charts: string[]): string {
  const workload = report.workloads[index]!;
  const rows = report.results.filter((row) => row.workload === workload.id);
  const spike = workload.traffic.spike;
  const reasons = rows
    .filter((row) => row.reasons.length > 0 || row.conversion)
    .map(
      (row) =>
        `<li><b>${row.target}</b> <span class="verdict-${row.verdict}">${escapeHtml(VERDICT_MARKS[row.verdict] ?? row.verdict)}</span>${row.conversion ? ` · configs <code>${escapeHtml(row.conversion.dir)}/</code> (${row.conversion.status})` : ''}${row.reasons.length ? `<ul>${row.reasons.map((reason) => `<li>${escapeHtml(reason)}</li>`).join('')}</ul>` : ''}</li>`,
    );
  return `<section class="workload" id="w-${index}" data-workload="${escapeHtml(workload.id)}">
<h2>${escapeHtml(workload.id)}</h2>
<p class="muted">${escapeHtml(workload.kind)} · analysis verdict ${escapeHtml(workload.verdict)} · ${formatCount(workload.traffic.requests)} requests from ${escapeHtml(workload.traffic.origin)} · ${spike ? `spike ${spike.startSeconds}–${spike.endSeconds} s into the window` : 'no spike'} · replay <code>${escapeHtml(workload.replayFile)}</code></p>
<div class="charts">${charts.join('\n') || '<p class="muted">No target ran for this workload: nothing to chart.</p>'}</div>
<ul class="reasons">${reasons.join('\n')}</ul>
</section>`;
}

function findings(report: ReportJson): string {
  if (report.findings.length === 0) return '';
  const items = report.findings.map(
    (finding) =>
      `<li><b class="${finding.severity === 'block' ? 'fail' : 'verdict-warn'}">${finding.severity}</b> <code>${escapeHtml(finding.workload)}</code>${finding.target ? ` → ${escapeHtml(finding.target)}` : ''}: [${escapeHtml(finding.rule)}] ${escapeHtml(finding.message)}</li>`,
  );
  return `<h2>Findings</h2><details open><summary>${report.findings.length} finding(s), blocking first</summary><ol>${items.join('\n')}</ol></details>`;
}
