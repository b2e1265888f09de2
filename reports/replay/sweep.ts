/**
 * `migrate replay --sweep` output: one row per setting tried, the winner marked, as a terminal
 * table, Markdown, or JSON (loadtests/sweep/report.ts holds the shape).
 */

import type { ReplayReport } from '../../loadtests/engine/result.ts';
import type { SweepReport } from '../../loadtests/sweep/report.ts';
import { SWEEP_KNOBS } from '../../loadtests/sweep/spec.ts';
import { headline } from './format.ts';

const integer = (value: number) => value.toLocaleString('en-US', { maximumFractionDigits: 0 });
const fixed = (value: number, digits: number) =>
  value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const ms = (value: number | null) => (value === null ? '–' : value >= 100 ? integer(value) : fixed(value, 1));
// Four decimals: settings of one short replay often differ by fractions of a cent.
const usd = (value: number) => fixed(value, 4);
const percent = (fraction: number) => `${fixed(fraction * 100, 2)} %`;

export function renderSweepJson(report: SweepReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

function rows(report: SweepReport): string[][] {
  const header = [
    report.sweep.name,
    'p99 ms',
    'spike p99 ms',
    'cold starts',
    'error rate',
    'cost $',
    'meets SLO',
    '',
  ];
  return [
    header,
    ...report.results.map((row) => [
      integer(row.value),
      ms(row.latencyMs.p99),
      ms(row.spikeP99Ms),
      integer(row.coldStarts),
      percent(row.errorRate),
      `${row.costLowerBound ? '≥ ' : ''}${usd(row.costUsd)}`,
      row.meetsSlo ? '✓' : '✗',
      report.best?.value === row.value ? '← best' : report.closest?.value === row.value ? '← closest' : '',
    ]),
  ];
}

function verdict(report: SweepReport): string {
  const { sweep, best, closest } = report;
  if (best)
    return `best: ${sweep.name} = ${best.value} on ${sweep.target}, ${best.costLowerBound ? '≥ ' : ''}$${usd(best.costUsd)} for the replay`;
  return `no setting meets p99 ≤ ${integer(sweep.sloP99Ms)} ms within the error budget${
    closest
      ? `; closest: ${sweep.name} = ${closest.value} (${closest.costLowerBound ? '≥ ' : ''}$${usd(closest.costUsd)})`
      : ''
  }`;
}

function title(report: SweepReport): string {
  const { sweep } = report;
  return `sweep of ${sweep.target} ${SWEEP_KNOBS[sweep.name].what} over ${sweep.values.length} setting(s): SLO p99 ≤ ${integer(sweep.sloP99Ms)} ms, error budget ${percent(sweep.errorBudget)}`;
}

/** `first` is the replay of the first setting: its headline describes the traffic every setting saw. */
export function renderSweepTable(report: SweepReport, first: ReplayReport): string {
  const table = rows(report);
  const widths = table[0]!.map((_, column) => Math.max(...table.map((row) => row[column]!.length)));
  const lines = [title(report), ...headline(first), ''];
  for (const row of table)
    lines.push(
      row
        .map((cell, column) => (column === 7 ? cell : cell.padStart(widths[column]!)))
        .join('  ')
        .trimEnd(),
    );
  lines.push('', verdict(report));
  return `${lines.join('\n')}\n`;
}

export function renderSweepMarkdown(report: SweepReport, first: ReplayReport): string {
  const [header, ...body] = rows(report);
  const lines = [
    `### migrate replay --sweep: ${first.workload.id}`,
    '',
    title(report),
    '',
    `| ${header!.slice(0, 7).join(' | ')} | |`,
    `|${' ---: |'.repeat(6)} :---: | --- |`,
    ...body.map((row) => `| ${row.join(' | ')} |`),
    '',
    `**${verdict(report)}**`,
  ];
  return `${lines.join('\n')}\n`;
}
