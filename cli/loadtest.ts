import { readFile } from 'node:fs/promises';
import { MigrateError, usageError } from '../core/errors.ts';
import { ExitCode } from '../core/exit-codes.ts';
import { parseDurationSeconds } from '../core/traffic/index.ts';
import {
  buildTemplate,
  DEFAULT_CONNECTIONS,
  DEFAULT_MAX_IN_FLIGHT,
  DEFAULT_TIMEOUT_MS,
  type LiveProgress,
  liveTable,
  parseHeader,
  parseTargets,
  runLoadTest,
} from '../loadtests/live/index.ts';
import { parseWindow } from '../loadtests/traffic/window.ts';
import { type CliIo, writeFileAtomic } from './io.ts';
import {
  numberOption,
  type OptionSpec,
  type ParsedArgs,
  parseVerbArgs,
  stringOption,
  type VerbSpec,
} from './options.ts';
import {
  loadProfile,
  PROMETHEUS_OPTIONS,
  parseWorkloadRef,
  SPIKE_OPTIONS,
  seedOption,
  TRACE_OPTIONS,
} from './traffic-options.ts';

/** Flags shared with `migrate k6`: where the traffic comes from and where it goes. */
export const LIVE_TARGET_OPTIONS: OptionSpec[] = [
  {
    name: 'traffic',
    type: 'string',
    value: 'file',
    description: 'A trace file (CSV, TSV, JSON Lines or counts) to replay; or use --spike or --prometheus.',
  },
  {
    name: 'url',
    type: 'string',
    value: '[name=]URL',
    multiple: true,
    description:
      'Endpoint to load; give several as name=URL for an A/B run (each run is tagged with its name).',
  },
  {
    name: 'speedup',
    type: 'string',
    value: 'N',
    default: '1',
    description: 'Compress time N-fold: an hour of traffic in 60/N minutes at N× the rate.',
  },
  {
    name: 'workload',
    type: 'string',
    value: 'ID',
    description: 'With --prometheus: whose traffic, as namespace/Kind/name.',
  },
];

export const loadtestSpec: VerbSpec = {
  name: 'loadtest',
  summary: 'replay traffic against live endpoints (open model, no k6 needed): latency, errors, drops',
  usage:
    'migrate loadtest --traffic FILE | --spike NAME[:k=v,…] --url [name=]URL … [--speedup N] [--duration 60s] [--format table|json] [--out FILE]',
  description:
    'Sends requests on the schedule of recorded or synthetic traffic (open model: each request leaves at its time whether or not earlier ones ' +
    'came back) and measures each latency from its SCHEDULED send time, so a stalled server is charged for every request that waited (no ' +
    'coordinated omission). Arrivals are the same as the simulated replay for the same traffic and --seed. Several --url name=URL run side by side ' +
    'on the same schedule (A/B). Every request ends as served (2xx/3xx), failed (4xx/5xx or a connection error), timed out, or dropped (over ' +
    '--max-in-flight); nothing is left out. Only loopback URLs are accepted unless --allow-remote is given. Results: docs/loadtest.md.',
  positionals: null,
  options: [
    ...LIVE_TARGET_OPTIONS,
    {
      name: 'duration',
      type: 'string',
      value: 'duration',
      description: 'Stop after this wall time (60s, 5m); default: the end of the traffic.',
    },
    {
      name: 'window',
      type: 'string',
      value: 'START..END',
      description: 'Replay only this part of the traffic, in traffic time: 10m..25m, ..30m, 45m..',
    },
    {
      name: 'max-in-flight',
      type: 'string',
      value: 'N',
      default: String(DEFAULT_MAX_IN_FLIGHT),
      description: 'Requests outstanding per target at most; requests due beyond it are counted as dropped.',
    },
    {
      name: 'connections',
      type: 'string',
      value: 'N',
      default: String(DEFAULT_CONNECTIONS),
      description:
        'Keep-alive connections per target at most; requests beyond wait for one, and the wait counts as latency.',
    },
    { name: 'method', type: 'string', value: 'METHOD', default: 'POST', description: 'HTTP method.' },
    {
      name: 'body',
      type: 'string',
      value: 'file',
      description: 'Send this file as every request body (default: seeded samples {"inputs":[[4 floats]]}).',
    },
    {
      name: 'header',
      type: 'string',
      value: 'Name: value',
      multiple: true,
      description: 'Extra request header.',
    },
    {
      name: 'timeout-ms',
      type: 'string',
      value: 'ms',
      default: String(DEFAULT_TIMEOUT_MS),
      description: 'A request without its response this long after its scheduled time is timed out.',
    },
    {
      name: 'allow-remote',
      type: 'boolean',
      description: 'Allow URLs whose host is not a loopback address.',
    },
    {
      name: 'format',
      short: 'f',
      type: 'string',
      value: 'format',
      choices: ['table', 'json'],
      description: 'Output format. Default: table on a terminal, json otherwise.',
    },
    {
      name: 'out',
      short: 'o',
      type: 'string',
      value: 'file',
      description: 'Write the results to this file (atomically).',
    },
    ...TRACE_OPTIONS,
    ...SPIKE_OPTIONS,
    ...PROMETHEUS_OPTIONS,
  ],
  examples: [
    {
      command:
        'migrate loadtest --spike constant:rate=200,duration=1m --url http://127.0.0.1:8080/v1/models/m:predict',
      explanation: 'One minute of Poisson arrivals at 200 req/s against a local model server, as a table.',
    },
    {
      command:
        'migrate loadtest --traffic traces/requests.csv --speedup 10 --duration 5m --url http://127.0.0.1:8080/predict -f json -o live.json',
      explanation: 'A recorded trace at 10× speed, cut at five minutes, results as JSON (docs/loadtest.md).',
    },
    {
      command:
        'migrate loadtest --spike trending:baseline=20,peak=10 --speedup 5 --url k8s=http://127.0.0.1:8080/predict --url lambda=http://127.0.0.1:9000/predict',
      explanation: 'A/B: the same burst against two endpoints at once; one run per target in the results.',
    },
    {
      command:
        "migrate loadtest --spike constant:rate=50,duration=30s --url http://127.0.0.1:8080/health --method GET --header 'X-Team: ml'",
      explanation: 'GET requests with an extra header and no body.',
    },
  ],
};

export async function runLoadtestVerb(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseVerbArgs(loadtestSpec, argv);
  const targets = parseTargets(urlValues(values), { allowRemote: values['allow-remote'] === true });
  const workload = stringOption(values, 'workload');
  const profile = await loadProfile(
    values,
    stringOption(values, 'traffic'),
    io,
    workload ? parseWorkloadRef(workload) : null,
  );
  const seed = seedOption(values);
  const maxInFlight =
    numberOption(values, 'max-in-flight', { integer: true, min: 1 }) ?? DEFAULT_MAX_IN_FLIGHT;
  const bodyFile = stringOption(values, 'body');
  const template = buildTemplate({
    method: stringOption(values, 'method'),
    headers: (values.header as string[] | undefined)?.map((header) => parseHeader(header)) ?? [],
    body: bodyFile ? { bytes: await readBody(bodyFile), file: bodyFile } : null,
    seed,
  });
  const duration = stringOption(values, 'duration');
  const durationSeconds = duration === undefined ? undefined : parseDurationSeconds(duration);
  if (durationSeconds === null || durationSeconds === 0)
    throw usageError(`--duration ${JSON.stringify(duration)} is not a duration`, 'e.g. --duration 90s or 5m');
  const controller = new AbortController();
  const interrupt = () => controller.abort();
  process.once('SIGINT', interrupt);
  try {
    const results = await runLoadTest(profile, {
      targets,
      template,
      bodyDescription: bodyFile ?? `sample (seed ${seed})`,
      seed,
      window: parseWindow(stringOption(values, 'window'), undefined, profile),
      speedup: speedupOption(values),
      ...(durationSeconds !== undefined ? { maxWallMs: durationSeconds * 1000 } : {}),
      maxInFlight,
      connections: numberOption(values, 'connections', { integer: true, min: 1 }) ?? DEFAULT_CONNECTIONS,
      timeoutMs: numberOption(values, 'timeout-ms', { min: 1 }) ?? DEFAULT_TIMEOUT_MS,
      onProgress: (progress) => reportProgress(io, progress),
      signal: controller.signal,
    });
    const format = stringOption(values, 'format') ?? (io.stdout.isTTY ? 'table' : 'json');
    const rendered = format === 'json' ? `${JSON.stringify(results, null, 2)}\n` : liveTable(results);
    const out = stringOption(values, 'out');
    if (out) await writeFileAtomic(out, rendered);
    else io.stdout.write(rendered);
    return ExitCode.ok;
  } finally {
    process.removeListener('SIGINT', interrupt);
  }
}

/** Repeated --url values as given: not split on commas, since a URL may hold one. */
export function urlValues(values: ParsedArgs['values']): string[] {
  const value = values.url;
  return Array.isArray(value) ? value : typeof value === 'string' ? [value] : [];
}

export function speedupOption(values: ParsedArgs['values']): number {
  const speedup = numberOption(values, 'speedup', { min: 0.001 }) ?? 1;
  if (speedup <= 0) throw usageError('--speedup must be above 0');
  return speedup;
}

export async function readBody(file: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (error) {
    throw new MigrateError(`cannot read --body ${file}: ${(error as Error).message}`, { cause: error });
  }
}

function reportProgress(io: CliIo, progress: LiveProgress): void {
  if (progress.elapsedSeconds % 5 !== 0) return;
  const parts = progress.perTarget.map(
    (target) =>
      `${target.name}: sent ${target.sent}, served ${target.served}, in flight ${target.inFlight}, dropped ${target.dropped}`,
  );
  io.stderr.write(`loadtest ${progress.elapsedSeconds}s  ${parts.join('  |  ')}\n`);
}
