import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { analyzePaths } from '../analyzers/analyze.ts';
import { convertSummaryJson, renderConvertTable } from '../converters/common/summary.ts';
import { CONVERTERS, convertReport, DEFAULT_WARM_QUANTILE, loadScaffoldHook } from '../converters/index.ts';
import { MigrateError, usageError } from '../core/errors.ts';
import { ExitCode } from '../core/exit-codes.ts';
import { TARGETS, type TargetId } from '../core/model/index.ts';
import type { TrafficProfile } from '../core/traffic/index.ts';
import { analyzeTraffic } from './analyze-traffic.ts';
import { type CliIo, writeFileAtomic } from './io.ts';
import { listOption, numberOption, parseVerbArgs, stringOption, type VerbSpec } from './options.ts';
import { PROMETHEUS_OPTIONS, SPIKE_OPTIONS, TRACE_OPTIONS } from './traffic-options.ts';
import { VERSION } from './version.ts';
import { whichOnPath } from './which.ts';

export const convertSpec: VerbSpec = {
  name: 'convert',
  summary: 'write deployable serverless configs per workload and target, with review notes',
  usage:
    'migrate convert <path…|-> --out DIR [--target aws-lambda,cloud-run,azure-functions] [--workload ID…] [--traffic FILE | --spike … | --prometheus URL]',
  description:
    'Analyses the manifests like `migrate analyze`, then writes, for every model server (or each --workload) and every target, ' +
    '<out>/<workload>/<target>/: the configs (AWS Lambda: template.yaml for AWS SAM and the equivalent serverless.yml) and MIGRATION.md, ' +
    'a table of every setting with where its value came from, what was not carried over, warm capacity sized from traffic and priced, and how to deploy and roll back. ' +
    'A target the analysis blocks (a GPU on Lambda, a model over 5 GB…) gets only MIGRATION.md, saying why and what to do instead. ' +
    'Secret values are never read or written: configs refer to AWS Secrets Manager and SSM. Existing files are not overwritten without --force; every file is written atomically.',
  positionals: 'paths to manifest files or directories, or - for stdin',
  options: [
    {
      name: 'target',
      short: 't',
      type: 'string',
      value: 'list',
      multiple: true,
      description: `Targets, comma-separated or repeated: ${TARGETS.join(', ')}. Default: all three.`,
    },
    {
      name: 'out',
      short: 'o',
      type: 'string',
      value: 'dir',
      description: 'Write under this folder (required unless --dry-run).',
    },
    {
      name: 'workload',
      short: 'w',
      type: 'string',
      value: 'ID',
      multiple: true,
      description:
        'Convert this workload (namespace/Kind/name, as analyze prints it); repeatable. Default: every model server. With --traffic or --spike, the traffic is this workload’s.',
    },
    { name: 'force', type: 'boolean', description: 'Overwrite files that already exist.' },
    { name: 'dry-run', type: 'boolean', description: 'Print what would be written; write nothing.' },
    {
      name: 'format',
      short: 'f',
      type: 'string',
      value: 'format',
      choices: ['table', 'json'],
      default: 'table',
      description:
        'What to print: a table, or JSON {artifacts: [{workload, target, status, files, reasons}]}.',
    },
    {
      name: 'traffic',
      type: 'string',
      value: 'file',
      description: "A trace file with one workload's traffic, to size warm capacity.",
    },
    {
      name: 'service-ms',
      type: 'string',
      value: 'ms',
      description: 'Service time per request, for warm-capacity sizing when the traffic has no durations.',
    },
    {
      name: 'warm-quantile',
      type: 'string',
      value: 'q',
      default: String(DEFAULT_WARM_QUANTILE),
      description:
        'Warm capacity covers this quantile of the 1-minute request rates (0.5 = the median minute).',
    },
    ...TRACE_OPTIONS,
    ...SPIKE_OPTIONS,
    ...PROMETHEUS_OPTIONS,
    {
      name: 'slo-ms',
      type: 'string',
      value: 'ms',
      description: 'Latency SLO for every workload, in ms (as for analyze).',
    },
    {
      name: 'default-namespace',
      type: 'string',
      value: 'ns',
      default: 'default',
      description: 'Namespace of objects that name none.',
    },
    {
      name: 'max-file-mb',
      type: 'string',
      value: 'MiB',
      default: '16',
      description: 'Refuse manifest files larger than this.',
    },
  ],
  examples: [
    {
      command: 'migrate convert ./k8s --out ./serverless',
      explanation:
        'Every model server × every target into ./serverless/<workload>/<target>/; start with each MIGRATION.md.',
    },
    {
      command: 'migrate convert examples/k8s --target aws-lambda --dry-run',
      explanation:
        'What would be written for AWS Lambda, and which workloads are blocked and why; nothing is written.',
    },
    {
      command:
        'migrate convert ./k8s -t aws-lambda -w ml/InferenceService/fraud-scoring --traffic requests.csv --out ./serverless',
      explanation:
        "Size provisioned concurrency from that workload's recorded traffic (the median minute, Little's law).",
    },
    {
      command:
        'migrate convert ./k8s --prometheus http://prometheus:9090 --since 7d --out ./serverless --force -f json',
      explanation: 'Traffic per model server from Prometheus; overwrite earlier output; print JSON for CI.',
    },
  ],
};

export async function runConvert(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseVerbArgs(convertSpec, argv);
  if (positionals.length === 0)
    throw usageError(
      'migrate convert needs at least one path (a file, a directory, or - for stdin)',
      'for example: migrate convert ./k8s --out ./serverless',
    );
  const targets = targetList(values);
  const dryRun = values['dry-run'] === true;
  const out = stringOption(values, 'out') ?? null;
  if (!out && !dryRun)
    throw usageError('migrate convert needs --out DIR (or --dry-run to only print what it would write)');
  const quantile = numberOption(values, 'warm-quantile', { min: 0 }) ?? DEFAULT_WARM_QUANTILE;
  if (quantile <= 0 || quantile > 1) throw usageError(`--warm-quantile must be in (0, 1]; got ${quantile}`);
  const workloads = listOption(values, 'workload');
  const traced = stringOption(values, 'traffic') ?? stringOption(values, 'spike');
  if (traced && workloads.length > 1)
    throw usageError('--traffic and --spike are one workload’s traffic: give a single --workload with them');

  // analyzeTraffic reads --workload as the one workload a traffic source belongs to: pass it only then.
  const sourced = traced || stringOption(values, 'prometheus');
  const base = await analyzeTraffic(
    { ...values, workload: sourced && workloads.length === 1 ? workloads[0] : undefined },
    io,
  );
  const traffic = new Map<string, TrafficProfile>();
  const trafficFor = base.trafficFor;
  const report = await analyzePaths(positionals, {
    maxFileBytes: (numberOption(values, 'max-file-mb', { min: 0 }) ?? 16) * 1024 * 1024,
    maxAliasCount: 100,
    which: whichOnPath(io.env),
    readStdin: () => io.readStdin(),
    defaultNamespace: stringOption(values, 'default-namespace') ?? 'default',
    sloMs: numberOption(values, 'slo-ms', { min: 0 }) ?? null,
    version: VERSION,
    serviceMs: base.serviceMs ?? null,
    ...(trafficFor
      ? {
          trafficFor: async (workload, all) => {
            const profile = await trafficFor(workload, all);
            if (profile) traffic.set(workload.id, profile);
            return profile;
          },
        }
      : {}),
  });
  if (report.errors.length > 0) {
    for (const error of report.errors)
      io.stderr.write(`${error.file}${error.line === null ? '' : `:${error.line}`}: ${error.message}\n`);
    throw new MigrateError(`${report.errors.length} input error(s): nothing was converted or written`, {
      hint: 'fix the input (migrate analyze shows the same errors), then convert again',
    });
  }

  const run = convertReport(report, {
    targets,
    workloads: workloads.length ? workloads : null,
    traffic,
    serviceMs: base.serviceMs ?? null,
    warmQuantile: quantile,
    scaffolds: await loadScaffoldHook(),
    version: VERSION,
    converters: CONVERTERS,
  });
  const pathOf = (dir: string, file: string) => (out ? join(out, dir, file) : `${dir}/${file}`);
  const summary = convertSummaryJson(run, pathOf, { dryRun, out });
  const print = () =>
    io.stdout.write(
      stringOption(values, 'format') === 'json'
        ? `${JSON.stringify(summary, null, 2)}\n`
        : renderConvertTable(summary),
    );

  if (dryRun || !out) {
    print();
    return ExitCode.ok;
  }
  const files = run.artifacts.flatMap((artifact) =>
    artifact.files.map((file) => ({
      path: resolve(io.cwd, out, artifact.dir, file.path),
      shown: pathOf(artifact.dir, file.path),
      content: file.content,
    })),
  );
  if (values.force !== true) {
    const existing = files.filter((file) => existsSync(file.path)).map((file) => file.shown);
    if (existing.length)
      throw usageError(
        `${existing.length} file(s) already exist; nothing was written: ${existing.slice(0, 10).join(', ')}${existing.length > 10 ? `, … (+${existing.length - 10})` : ''}`,
        'pass --force to overwrite them, or choose another --out',
      );
  }
  let written = 0;
  for (const file of files) {
    try {
      await writeFileAtomic(file.path, file.content);
    } catch (error) {
      throw new MigrateError(
        `could not write ${file.shown}: ${(error as Error).message}; ${written} file(s) were written before it and are complete, the rest were not written`,
        {
          hint: `each file is written atomically: fix the cause, then run again with --force to finish ${out}`,
          cause: error,
        },
      );
    }
    written += 1;
  }
  print();
  return ExitCode.ok;
}

function targetList(values: Parameters<typeof listOption>[0]): TargetId[] {
  const requested = listOption(values, 'target');
  if (requested.length === 0) return [...TARGETS];
  const unknown = requested.filter((target) => !(TARGETS as readonly string[]).includes(target));
  if (unknown.length)
    throw usageError(`--target does not know ${unknown.join(', ')}; use ${TARGETS.join(', ')}`);
  return [...new Set(requested)] as TargetId[];
}
