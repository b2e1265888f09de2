import { resolve } from 'node:path';
import { diffConfig, type VerifyResult } from '../cloud/diff.ts';
import { loadCloudTarget } from '../cloud/index.ts';
import { verifyMarkdown, verifyReport, verifyTable } from '../cloud/verify-render.ts';
import { readDesiredSet } from '../cloud/workloads.ts';
import { usageError } from '../core/errors.ts';
import { ExitCode } from '../core/exit-codes.ts';
import {
  CLOUD_OPTIONS,
  CONFIG_DIR_OPTIONS,
  cloudFlags,
  cloudTarget,
  desiredSelection,
} from './cloud-options.ts';
import { type CliIo, writeFileAtomic } from './io.ts';
import { listOption, parseVerbArgs, stringOption, type VerbSpec } from './options.ts';

const FAIL_ON = ['drift', 'not-deployed', 'any'] as const;

export const verifySpec: VerbSpec = {
  name: 'verify',
  summary: 'diff what is deployed on AWS, Google Cloud or Azure against what migrate convert wrote',
  usage:
    'migrate verify --target T --config-dir DIR [--workload NAME] [--name N] [--format table|json|md] [--out FILE] [--fail-on drift|not-deployed|any]',
  description:
    'Reads each converted workload in --config-dir (the folder `migrate convert --out` wrote) for the target, reads the deployed ' +
    'function, service or app of the same name through the provider SDK, and compares memory, CPU, concurrency, warm capacity ' +
    '(provisioned concurrency, min instances, always-ready), maximum instances, timeout and image. Each difference is a finding ' +
    'that names the file and line the expected value came from. Credentials come only from the SDK standard chain ' +
    '(docs/cloud/README.md); nothing is changed. Workloads the analysis blocked for the target are listed as skipped.',
  positionals: null,
  options: [
    ...CLOUD_OPTIONS,
    ...CONFIG_DIR_OPTIONS,
    {
      name: 'format',
      short: 'f',
      type: 'string',
      value: 'format',
      choices: ['table', 'json', 'md'],
      default: 'table',
      description: 'Output format.',
    },
    { name: 'out', short: 'o', type: 'string', value: 'file', description: 'Write the output here.' },
    {
      name: 'fail-on',
      type: 'string',
      value: 'list',
      description: `Exit 1 when one of these holds: ${FAIL_ON.join(', ')} (any = drift or not deployed).`,
    },
  ],
  examples: [
    {
      command: 'migrate verify --target aws-lambda --config-dir migration/convert --fail-on drift',
      explanation: 'Compare every converted function with the deployed one; exit 1 on drift.',
    },
    {
      command:
        'migrate verify -t cloud-run -c out --region europe-west4 --workload ml-inferenceservice-fraud-scoring --format md',
      explanation: 'One Cloud Run service, as Markdown for a pull request.',
    },
  ],
};

export async function runVerify(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseVerbArgs(verifySpec, argv);
  const targetId = cloudTarget(values, 'verify');
  const failOn = listOption(values, 'fail-on');
  const unknown = failOn.filter((condition) => !(FAIL_ON as readonly string[]).includes(condition));
  if (unknown.length)
    throw usageError(`--fail-on does not know ${unknown.join(', ')}; use ${FAIL_ON.join(', ')}`);
  const flags = cloudFlags(values);
  const target = await loadCloudTarget(targetId);
  const set = await readDesiredSet(target, desiredSelection(values, 'verify', io.cwd));
  const results: VerifyResult[] = [];
  if (set.desired.length) {
    const session = await target.connect(flags);
    try {
      for (const desired of set.desired) {
        io.stderr.write(`reading ${targetId} ${desired.name} …\n`);
        results.push(diffConfig(desired, await target.readLive(session, desired.name)));
      }
    } finally {
      target.close(session);
    }
  }
  const report = verifyReport(targetId, results, set.skipped);
  const format = stringOption(values, 'format');
  const text =
    format === 'json'
      ? `${JSON.stringify(report, null, 2)}\n`
      : format === 'md'
        ? verifyMarkdown(report)
        : verifyTable(report);
  const out = stringOption(values, 'out');
  if (out) await writeFileAtomic(resolve(io.cwd, out), text);
  else io.stdout.write(text);
  const met = failOn.filter(
    (condition) =>
      (condition !== 'not-deployed' && report.summary.drifted > 0) ||
      (condition !== 'drift' && report.summary.notDeployed > 0),
  );
  if (met.length) {
    io.stderr.write(`--fail-on: ${met.join(', ')} met\n`);
    return ExitCode.failOn;
  }
  return ExitCode.ok;
}
