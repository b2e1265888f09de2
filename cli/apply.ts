import { type ApplyResult, applyWorkload } from '../cloud/apply.ts';
import { loadCloudTarget } from '../cloud/index.ts';
import { readDesiredSet } from '../cloud/workloads.ts';
import { ExitCode } from '../core/exit-codes.ts';
import {
  CLOUD_OPTIONS,
  CONFIG_DIR_OPTIONS,
  cloudFlags,
  cloudTarget,
  desiredSelection,
} from './cloud-options.ts';
import type { CliIo } from './io.ts';
import { parseVerbArgs, stringOption, type VerbSpec } from './options.ts';

export const applySpec: VerbSpec = {
  name: 'apply',
  summary:
    'create or update the converted function, service or app and its warm capacity (dry run unless --yes)',
  usage:
    'migrate apply --target T --config-dir DIR [--workload NAME] [--name N] [--role ARN] [--image URI] [--yes] [--format text|json]',
  description:
    'For each converted workload in --config-dir, reads the deployed function, service or app through the provider SDK and plans ' +
    'the calls that make it match what `migrate convert` wrote: create it when missing, otherwise update only what differs, then ' +
    'set its warm capacity (Lambda provisioned concurrency on the alias, Cloud Run min instances, Azure always-ready). Every call ' +
    'is printed with its request before it is made. Without --yes nothing is called but the reads: a dry run. apply never deletes ' +
    'anything and never sets a value the files do not hold; settings it cannot apply through the SDK (secret references only a ' +
    'deployment engine resolves, resources another tool creates) are listed. Credentials come only from the SDK standard chain.',
  positionals: null,
  options: [
    ...CLOUD_OPTIONS,
    ...CONFIG_DIR_OPTIONS,
    {
      name: 'role',
      type: 'string',
      value: 'arn',
      description: 'aws-lambda: execution role ARN for a function apply creates (SAM would create one).',
    },
    {
      name: 'image',
      type: 'string',
      value: 'uri',
      description:
        'The image to deploy, when the converted one still holds ${…} placeholders the provider cannot fill (the rebuilt image).',
    },
    { name: 'yes', short: 'y', type: 'boolean', description: 'Make the calls. Without it: a dry run.' },
    {
      name: 'format',
      short: 'f',
      type: 'string',
      value: 'format',
      choices: ['text', 'json'],
      default: 'text',
      description:
        'text: the calls as they are made, on stdout; json: that on stderr and a JSON summary on stdout.',
    },
  ],
  examples: [
    {
      command:
        'migrate apply --target aws-lambda --config-dir out --role arn:aws:iam::123456789012:role/infer',
      explanation: 'Show the Lambda calls that would create or update every converted function (dry run).',
    },
    {
      command:
        'migrate apply -t cloud-run -c out --region us-central1 --workload ml-inferenceservice-fraud-scoring --yes',
      explanation: 'Create or update one Cloud Run service and its min instances.',
    },
  ],
};

export async function runApply(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseVerbArgs(applySpec, argv);
  const targetId = cloudTarget(values, 'apply');
  const yes = values.yes === true;
  const json = stringOption(values, 'format') === 'json';
  const extra: Record<string, string> = {};
  for (const key of ['role', 'image', 'name'] as const) {
    const value = stringOption(values, key);
    if (value !== undefined) extra[key] = value;
  }
  const flags = cloudFlags(values, extra);
  const target = await loadCloudTarget(targetId);
  const set = await readDesiredSet(target, desiredSelection(values, 'apply', io.cwd));
  const stream = json ? io.stderr : io.stdout;
  const log = { line: (text: string) => stream.write(`${text}\n`) };
  for (const item of set.skipped) log.line(`skipped ${item.slug}: ${item.reason}`);
  const results: ApplyResult[] = [];
  if (set.desired.length) {
    const session = await target.connect(flags);
    try {
      for (const desired of set.desired)
        results.push(await applyWorkload(target, session, desired, flags, { yes, log }));
    } finally {
      target.close(session);
    }
  }
  const callCount = results.reduce((sum, result) => sum + result.calls.length, 0);
  log.line(
    yes
      ? `made ${callCount} call(s) for ${results.length} workload(s)`
      : callCount
        ? `dry run: nothing changed. Run again with --yes to make these ${callCount} call(s).`
        : 'dry run: everything already matches.',
  );
  if (json)
    io.stdout.write(
      `${JSON.stringify({ schemaVersion: 1, target: targetId, dryRun: !yes, results, skipped: set.skipped }, null, 2)}\n`,
    );
  return ExitCode.ok;
}
