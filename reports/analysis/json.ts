import type { AnalysisReport } from '../../analyzers/report.ts';

/** The machine-readable analysis (docs/analysis-json.md). Stable: same input, same bytes. */
export function renderAnalysisJson(report: AnalysisReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
