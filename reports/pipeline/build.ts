/**
 * The report, pure: analysis + replay results + conversions + thresholds (+ a baseline) → the value
 * every format renders. Sharded and unsharded runs feed it the same files, so they give the same bytes.
 */

import type { AnalysisReport, WorkloadReport } from '../../analyzers/report.ts';
import type { ReplayReport } from '../../loadtests/engine/result.ts';
import { holds, type Threshold } from '../thresholds/index.ts';
import { diffBaseline } from './baseline.ts';
import {
  type ConversionRef,
  type PlannedWorkload,
  REPORT_SCHEMA_VERSION,
  type ReportFinding,
  type ReportJson,
  type ResultRow,
  ROW_VERDICTS,
  type RowVerdict,
  type RunSettings,
  type ThresholdResult,
  type WorkloadSummary,
} from './model.ts';
import { resultRows, rowValues } from './rows.ts';

export interface ReportInputs {
  version: string;
  settings: RunSettings;
  analysis: AnalysisReport;
  plan: readonly PlannedWorkload[];
  /** One per planned workload, in plan order. */
  replays: readonly ReplayReport[];
  conversions: readonly ConversionRef[];
  thresholds: readonly Threshold[];
  baseline: ReportJson | null;
  /** `--now`: the only clock a report may carry. */
  now: string | null;
}

/** What every writer receives: the report, and the replays behind it (the HTML charts their timelines). */
export interface ReportBundle {
  report: ReportJson;
  replays: readonly ReplayReport[];
}

export function buildReport(inputs: ReportInputs): ReportBundle {
  const workloads = inputs.plan.map((planned, index) => {
    const workload = inputs.analysis.workloads.find((entry) => entry.id === planned.id);
    const replay = inputs.replays[index];
    if (!workload || !replay || replay.workload.id !== planned.id)
      throw new Error(`report inputs out of step at ${planned.id}: the loader must match them`);
    return { planned, workload, replay };
  });
  const results = workloads.flatMap(({ workload, replay }) =>
    resultRows(workload, replay, inputs.conversions),
  );
  const thresholds = inputs.thresholds.map((threshold) => checkThreshold(threshold, results));
  const verdicts = Object.fromEntries(ROW_VERDICTS.map((verdict) => [verdict, 0])) as Record<
    RowVerdict,
    number
  >;
  for (const row of results) verdicts[row.verdict] += 1;
  const violated = thresholds.filter((threshold) => threshold.violations.length > 0).length;
  const report: ReportJson = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'migrate', version: inputs.version },
    ...(inputs.now ? { generatedAt: inputs.now } : {}),
    settings: inputs.settings,
    summary: {
      workloads: workloads.length,
      rows: results.length,
      verdicts,
      monthlyCostUsdByTarget: costByTarget(inputs.settings.targets, results),
      thresholds: { checked: thresholds.length, violated },
      passed: violated === 0,
    },
    workloads: workloads.map(({ planned, workload, replay }) => workloadSummary(planned, workload, replay)),
    results,
    findings: findings(
      workloads.map((entry) => entry.workload),
      results,
    ),
    thresholds,
    baseline: inputs.baseline ? { changes: diffBaseline(inputs.baseline, results) } : null,
  };
  return { report, replays: workloads.map((entry) => entry.replay) };
}

function checkThreshold(threshold: Threshold, rows: readonly ResultRow[]): ThresholdResult {
  const violations = rows.flatMap((row) => {
    const values = rowValues(row);
    if (!holds(threshold, values)) return [];
    const shown = Object.fromEntries(threshold.fields.map((field) => [field, values[field] ?? null]));
    return [{ workload: row.workload, target: row.target, values: shown }];
  });
  return { expression: threshold.source, violations };
}

function costByTarget(targets: readonly string[], rows: readonly ResultRow[]): Record<string, number> {
  const totals: Record<string, number> = {};
  for (const target of targets) {
    const costs = rows.filter((row) => row.target === target && row.monthlyCostUsd !== null);
    if (costs.length)
      totals[target] = Math.round(costs.reduce((sum, row) => sum + row.monthlyCostUsd! * 100, 0)) / 100;
  }
  return totals;
}

function workloadSummary(
  planned: PlannedWorkload,
  workload: WorkloadReport,
  replay: ReplayReport,
): WorkloadSummary {
  return {
    id: workload.id,
    kind: workload.kind,
    verdict: workload.verdict,
    replayFile: `replay/${planned.slug}.json`,
    traffic: {
      origin: replay.traffic.origin,
      requests: replay.traffic.requests,
      window: replay.traffic.window,
      spike: replay.traffic.spike
        ? { startSeconds: replay.traffic.spike.startSeconds, endSeconds: replay.traffic.spike.endSeconds }
        : null,
    },
  };
}

/** Blocking findings first, then warnings; the analysis' own, then what the replay showed. */
function findings(workloads: readonly WorkloadReport[], rows: readonly ResultRow[]): ReportFinding[] {
  const all: ReportFinding[] = [];
  const seen = new Set<string>();
  const add = (finding: ReportFinding) => {
    const key = `${finding.workload}\u0000${finding.target}\u0000${finding.rule}\u0000${finding.message}`;
    if (seen.has(key)) return;
    seen.add(key);
    all.push(finding);
  };
  for (const workload of workloads)
    for (const finding of workload.findings)
      if (finding.severity !== 'info')
        add({
          severity: finding.severity,
          workload: workload.id,
          target: finding.targets.length ? finding.targets.join(',') : null,
          rule: finding.rule,
          message: finding.message,
        });
  for (const row of rows)
    for (const reason of row.reasons)
      if (reason.startsWith('[replay] '))
        add({
          severity: 'warn',
          workload: row.workload,
          target: row.target,
          rule: 'replay',
          message: reason.slice(9),
        });
  const rank = (finding: ReportFinding) => (finding.severity === 'block' ? 0 : 1);
  return all
    .map((finding, index) => ({ finding, index }))
    .sort((a, b) => rank(a.finding) - rank(b.finding) || a.index - b.index)
    .map((entry) => entry.finding);
}
