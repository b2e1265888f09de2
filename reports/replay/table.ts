import type { ReplayReport } from '../../loadtests/engine/result.ts';
import { comparisonRows, headline, runNotes } from './format.ts';

/** The terminal view: a headline, the targets side by side, then why any target has no figures. */
export function renderReplayTable(report: ReplayReport): string {
  const rows = comparisonRows(report);
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  const lines = [...headline(report), ''];
  for (const row of rows) {
    lines.push(
      row
        .map((cell, column) => (column === 0 ? cell.padEnd(widths[0]!) : cell.padStart(widths[column]!)))
        .join('  ')
        .trimEnd(),
    );
  }
  const notes = report.runs.flatMap(runNotes);
  if (notes.length) lines.push('', ...notes);
  return `${lines.join('\n')}\n`;
}
