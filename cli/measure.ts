import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { describeFailures, measuredCalibration } from '../cloud/calibration.ts';
import { loadCloudTarget } from '../cloud/index.ts';
import { MigrateError, usageError } from '../core/errors.ts';
import { ExitCode } from '../core/exit-codes.ts';
import { CLOUD_OPTIONS, cloudFlags, cloudTarget } from './cloud-options.ts';
import { type CliIo, writeFileAtomic } from './io.ts';
import { numberOption, parseVerbArgs, stringOption, type VerbSpec } from './options.ts';
import { VERSION } from './version.ts';

export const measureSpec: VerbSpec = {
  name: 'measure',
  summary: 'invoke a deployed function or service, read its real cold starts and write a calibration file',
  usage:
    'migrate measure --target T --name N [--requests 50] [--concurrency 1] [--payload JSON|@file] [--path /p] [--out calibration.json]',
  description:
    'Sends --requests requests to the deployed function, service or app in bursts of --concurrency and reads what each cost. ' +
    'On Lambda, Invoke with LogType Tail returns the REPORT line: Init Duration on a cold start, Duration on every call. On Cloud ' +
    'Run and Azure Functions the first burst after scale-to-zero is timed against the warm requests that follow. A burst of N ' +
    'against an idle deployment meets N new instances, so --concurrency sets how many cold starts one run sees. Writes a ' +
    'calibration file `migrate replay --calibration` reads: serviceMs samples, coldStartMs p50/p99, measuredAtCpuMillis ' +
    '(docs/measure.md). This calls the real deployment: it costs the invocations it makes.',
  positionals: null,
  options: [
    ...CLOUD_OPTIONS,
    {
      name: 'name',
      short: 'n',
      type: 'string',
      value: 'name',
      description: 'The deployed function, service or app.',
    },
    { name: 'requests', type: 'string', value: 'N', default: '50', description: 'Requests to send in all.' },
    {
      name: 'concurrency',
      type: 'string',
      value: 'N',
      default: '1',
      description: 'Requests in flight at once (each burst from idle meets this many new instances).',
    },
    {
      name: 'payload',
      type: 'string',
      value: 'json|@file',
      description:
        'Request body: JSON text, or @file to read it from a file (default: {} on Lambda, GET elsewhere).',
    },
    {
      name: 'path',
      type: 'string',
      value: '/path',
      description: 'HTTP path for cloud-run and azure-functions (default: / and the function route).',
    },
    {
      name: 'qualifier',
      type: 'string',
      value: 'version|alias',
      description: 'aws-lambda: invoke this version or alias (default: $LATEST, on-demand environments).',
    },
    {
      name: 'out',
      short: 'o',
      type: 'string',
      value: 'file',
      description: 'Write the calibration file here (default: stdout).',
    },
  ],
  examples: [
    {
      command:
        'migrate measure --target aws-lambda --name ml-fraud-scoring --requests 50 --concurrency 10 --out lambda.json',
      explanation: '50 invocations, 10 at a time: up to 10 cold starts with their Init Duration.',
    },
    {
      command: 'migrate replay k8s/ --traffic trace.csv --target aws-lambda --calibration lambda.json',
      explanation: 'Replay a recorded spike with the measured cold starts and service times.',
    },
  ],
};

export async function runMeasure(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseVerbArgs(measureSpec, argv);
  const targetId = cloudTarget(values, 'measure');
  const name = stringOption(values, 'name');
  if (name === undefined)
    throw usageError('migrate measure needs --name', 'the deployed function, service or app');
  const requests = numberOption(values, 'requests', { min: 1, integer: true }) ?? 50;
  const concurrency = numberOption(values, 'concurrency', { min: 1, integer: true }) ?? 1;
  if (concurrency > requests)
    throw usageError(`--concurrency ${concurrency} is more than --requests ${requests}`);
  // A flag the target has no use for is an error, not silently ignored.
  if (targetId === 'aws-lambda' && stringOption(values, 'path') !== undefined)
    throw usageError(
      '--path is for HTTP targets (cloud-run, azure-functions); Lambda is invoked, not requested',
    );
  if (targetId !== 'aws-lambda' && stringOption(values, 'qualifier') !== undefined)
    throw usageError(`--qualifier is for aws-lambda (a version or alias); ${targetId} has none`);
  const payload = await readPayload(stringOption(values, 'payload'), io.cwd);
  const extra: Record<string, string> = {};
  const qualifier = stringOption(values, 'qualifier');
  if (qualifier !== undefined) extra.qualifier = qualifier;
  const flags = cloudFlags(values, extra);
  const target = await loadCloudTarget(targetId);
  const session = await target.connect(flags);
  let lastShown = -1;
  const samples = await (async () => {
    try {
      return await target.measure(session, name, {
        requests,
        concurrency,
        payload,
        path: stringOption(values, 'path') ?? null,
        progress: (done, total) => {
          const tenth = Math.floor((done / total) * 10);
          if (tenth === lastShown) return;
          lastShown = tenth;
          io.stderr.write(`measure ${name}: ${done}/${total} requests\n`);
        },
      });
    } finally {
      target.close(session);
    }
  })();
  const calibration = measuredCalibration(samples, {
    target: targetId,
    name,
    requests,
    concurrency,
    tool: `migrate ${VERSION}`,
    measuredAt: new Date().toISOString(),
  });
  const cold = calibration.measurements[0]!.coldStartMs;
  io.stderr.write(
    `${name}: ${samples.coldStartMs.length} cold start(s)${cold ? ` p50 ${cold.p50} ms p99 ${cold.p99} ms` : ''}; ${samples.serviceMs.length} warm request(s) p50 ${calibration.measurements[0]!.serviceMs.p50} ms p99 ${calibration.measurements[0]!.serviceMs.p99} ms; ${describeFailures(samples.failures)}\n`,
  );
  const text = `${JSON.stringify(calibration, null, 2)}\n`;
  const out = stringOption(values, 'out');
  if (out) await writeFileAtomic(resolve(io.cwd, out), text);
  else io.stdout.write(text);
  return ExitCode.ok;
}

async function readPayload(value: string | undefined, cwd: string): Promise<string | null> {
  if (value === undefined) return null;
  const text = value.startsWith('@')
    ? await readFile(resolve(cwd, value.slice(1)), 'utf8').catch((error: Error) => {
        throw new MigrateError(`--payload ${value}: ${error.message}`);
      })
    : value;
  try {
    JSON.parse(text);
  } catch (error) {
    throw new MigrateError(
      `--payload${value.startsWith('@') ? ` ${value}` : ''} is not JSON: ${(error as Error).message}`,
      {
        hint: `for example --payload '{"inputs": [[1, 2, 3, 4]]}' or --payload @request.json`,
      },
    );
  }
  return text;
}
