import { sparkline } from '../../core/traffic/index.ts';
import type { OkRun, ReplayReport } from '../../loadtests/engine/result.ts';
import { comparisonRows, headline, runNotes } from './format.ts';

const escapeCell = (text: string) => text.replace(/\|/g, '\\|');

/** Markdown for a pull-request comment: the comparison table, the timelines, cost lines and assumptions. */
export function renderReplayMarkdown(report: ReplayReport): string {
  const rows = comparisonRows(report);
  const [header, ...body] = rows;
  const lines = [
    `### migrate replay: ${report.workload.id}`,
    '',
    ...headline(report).map((line) => `> ${line.trim()}`),
    '',
  ];
  lines.push(
    `| ${header!.map(escapeCell).join(' | ')} |`,
    `|${header!.map((_, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|')}|`,
  );
  for (const row of body)
    lines.push(
      `| ${row.map((cell) => escapeCell(cell.trim() === cell ? cell : `· ${cell.trim()}`)).join(' | ')} |`,
    );
  const notes = report.runs.flatMap(runNotes);
  if (notes.length) lines.push('', ...notes.map((note) => `- ${escapeCell(note)}`));
  for (const run of report.runs) if (run.status === 'ok') lines.push('', ...runSection(run));
  return `${lines.join('\n')}\n`;
}

function runSection(run: OkRun): string[] {
  const columns = run.timeline.columns;
  const column = (name: string) => run.timeline.rows.map((row) => row[columns.indexOf(name)]!);
  const lines = [
    `#### ${run.target}: ${run.title}`,
    '',
    `Timeline (${run.timeline.stepSeconds}-s steps): arrivals \`${sparkline(column('arrivals'))}\`, pods \`${sparkline(column('instancesMax'))}\`, nodes \`${sparkline(column('nodesMax'))}\`, queued \`${sparkline(column('queuedMax'))}\``,
    '',
    '| cost line | quantity | unit price | USD | source |',
    '| --- | ---: | ---: | ---: | --- |',
    ...run.cost.lines.map(
      (line) =>
        `| ${escapeCell(line.item)} | ${line.quantity} ${line.unit} | ${line.unitPriceUsd} | ${line.usd} | ${escapeCell(line.source)} |`,
    ),
    '',
    '<details><summary>assumptions</summary>',
    '',
    '| name | value | source |',
    '| --- | --- | --- |',
    ...run.assumptions.map(
      (entry) => `| ${escapeCell(entry.name)} | ${escapeCell(entry.value)} | ${escapeCell(entry.source)} |`,
    ),
    '',
    '</details>',
  ];
  return lines;
}
