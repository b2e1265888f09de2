import type { ReportBundle } from '../pipeline/build.ts';

/** The report as JSON: stable key order (the model's), two-space indent, a final newline. */
export function renderJson(bundle: ReportBundle): string {
  return `${JSON.stringify(bundle.report, null, 2)}\n`;
}
