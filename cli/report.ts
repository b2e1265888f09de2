import { readFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { MigrateError, usageError } from '../core/errors.ts';
import { ExitCode } from '../core/exit-codes.ts';
import { parseBaseline } from '../reports/pipeline/baseline.ts';
import { FORMAT_IDS, type ReportFormat } from '../reports/pipeline/formats.ts';
import type { ReportJson } from '../reports/pipeline/model.ts';
import { reportStage } from '../reports/pipeline/report-stage.ts';
import { ROW_FIELDS } from '../reports/pipeline/rows.ts';
import { renderSummaryText } from '../reports/pipeline/summary-text.ts';
import { parseThresholds, type Threshold } from '../reports/thresholds/index.ts';
import { type CliIo, writeFileAtomic } from './io.ts';
import {
  listOption,
  type OptionSpec,
  type ParsedArgs,
  parseVerbArgs,
  stringOption,
  type VerbSpec,
} from './options.ts';
import { VERSION } from './version.ts';

/** The flags of the report stage, shared by `migrate run` (which ends with it) and `migrate report`. */
export const REPORT_OPTIONS: OptionSpec[] = [
  {
    name: 'format',
    short: 'f',
    type: 'string',
    value: 'list',
    multiple: true,
    description: 'Report formats to write: md, html, json, junit (comma-separated or repeated; default all).',
  },
  {
    name: 'fail-on',
    type: 'string',
    value: 'expr',
    multiple: true,
    description:
      'Exit 1 when the expression holds for any workload × target, e.g. \'p99_ms > 800 and target == "aws-lambda"\' (docs/report.md#thresholds); several may be comma-separated.',
  },
  {
    name: 'baseline',
    type: 'string',
    value: 'file',
    description: 'A previous report.json: show what changed since (cost, p99, verdicts).',
  },
  {
    name: 'now',
    type: 'string',
    value: 'time',
    description: 'Stamp the reports with this time (ISO-8601, or "now"); without it they carry no clock.',
  },
];

export const reportSpec: VerbSpec = {
  name: 'report',
  summary:
    'write Markdown, HTML, JSON and JUnit reports from the results of migrate run, and check thresholds',
  usage:
    'migrate report --from DIR [--out DIR] [--format md,html,json,junit] [--fail-on EXPR…] [--baseline FILE]',
  description:
    'Reads what `migrate run` wrote under DIR (analysis.json, configs/, replay/, shards/) — merging the results of every shard of a sharded run — and writes report.md (a pull-request comment ' +
    'under GitHub’s size limit, with a hidden marker so CI updates one comment), report.html (one self-contained file with charts), report.json (with a JSON Schema: docs/report.schema.json) ' +
    'and report.junit.xml (one test case per workload × target × threshold). --fail-on thresholds are listed in every format, and the exit code is 1 when any is violated.',
  positionals: null,
  options: [
    {
      name: 'from',
      type: 'string',
      value: 'dir',
      description: 'The --out folder of `migrate run` (all its shards).',
    },
    {
      name: 'out',
      short: 'o',
      type: 'string',
      value: 'dir',
      description: 'Write the reports here (default: the --from folder).',
    },
    ...REPORT_OPTIONS,
  ],
  examples: [
    {
      command: 'migrate report --from ./migration',
      explanation: 'Rewrite every report of a finished run (or merge the shards of a sharded one).',
    },
    {
      command:
        "migrate report --from ./migration --fail-on 'cost_delta_pct > 10' --baseline main/report.json -f md",
      explanation:
        'A PR comment that shows what changed since main, failing the build when a target costs 10 % more than the cluster.',
    },
  ],
};

export async function runReport(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseVerbArgs(reportSpec, argv);
  const from = stringOption(values, 'from');
  if (!from) throw usageError('migrate report needs --from DIR: the --out folder of migrate run');
  const settings = await reportSettings(values, io);
  const dir = resolve(io.cwd, from);
  return writeReports(io, dir, resolve(io.cwd, stringOption(values, 'out') ?? from), settings);
}

export interface ReportSettings {
  formats: ReportFormat['id'][];
  thresholds: Threshold[];
  baseline: ReportJson | null;
  now: string | null;
}

/** Parses and checks the report flags before anything runs: a typo in --fail-on costs no replay. */
export async function reportSettings(values: ParsedArgs['values'], io: CliIo): Promise<ReportSettings> {
  const formats = formatList(values);
  const expressions = Array.isArray(values['fail-on']) ? values['fail-on'] : [];
  const thresholds = expressions.flatMap((text) => parseThresholds(text, ROW_FIELDS));
  const baselineFile = stringOption(values, 'baseline');
  const baseline = baselineFile
    ? parseBaseline(
        await readFile(resolve(io.cwd, baselineFile), 'utf8').catch((error: NodeJS.ErrnoException) => {
          throw new MigrateError(
            `cannot read --baseline ${baselineFile}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`,
          );
        }),
        baselineFile,
      )
    : null;
  return { formats, thresholds, baseline, now: nowOption(stringOption(values, 'now')) };
}

/** The report stage and what the terminal shows of it; the exit code says whether every threshold held. */
export async function writeReports(
  io: CliIo,
  from: string,
  out: string,
  settings: ReportSettings,
): Promise<number> {
  const result = await reportStage({ from, out, ...settings, version: VERSION, writeFile: writeFileAtomic });
  const shown = result.written.map((entry) => relative(io.cwd, entry.path) || entry.path);
  io.stdout.write(renderSummaryText(result.bundle, shown));
  const html = result.written.find((entry) => entry.format === 'html');
  if (html) io.stderr.write(`report: ${relative(io.cwd, html.path)}\n`);
  return result.bundle.report.summary.passed ? ExitCode.ok : ExitCode.failOn;
}

function formatList(values: ParsedArgs['values']): ReportFormat['id'][] {
  const given = listOption(values, 'format').map((name) => (name === 'md' ? 'markdown' : name));
  if (given.length === 0) return [...FORMAT_IDS];
  const unknown = given.filter((name) => !(FORMAT_IDS as readonly string[]).includes(name));
  if (unknown.length)
    throw usageError(`--format does not know ${unknown.join(', ')}`, 'formats: md, html, json, junit');
  return FORMAT_IDS.filter((id) => given.includes(id));
}

function nowOption(text: string | undefined): string | null {
  if (text === undefined) return null;
  const time = text === 'now' ? Date.now() : Date.parse(text);
  if (Number.isNaN(time))
    throw usageError(
      `--now ${JSON.stringify(text)} is not a time`,
      'use ISO-8601 (2026-05-01T12:00:00Z) or "now"',
    );
  return new Date(time).toISOString();
}
