import {
  createPrometheusClient,
  type PrometheusClient,
  type PrometheusProfileOptions,
  parseQueryOverrides,
  profileFromPrometheus,
  readTraceFile,
  type TraceReadOptions,
} from '../analyzers/metrics/index.ts';
import { usageError } from '../core/errors.ts';
import { spikeProfile, type TrafficProfile } from '../core/traffic/index.ts';
import type { CliIo } from './io.ts';
import { listOption, numberOption, type OptionSpec, type ParsedArgs, stringOption } from './options.ts';

/**
 * Where traffic comes from, declared once for every verb that takes it (traffic, analyze, and later
 * replay and k6), so the flags mean the same thing everywhere.
 */
export const TRACE_OPTIONS: OptionSpec[] = [
  {
    name: 'time-column',
    type: 'string',
    value: 'name|N',
    description: "Trace column holding each request's time (name, or 1-based index without a header).",
  },
  {
    name: 'time-format',
    type: 'string',
    value: 'format',
    description: 'iso, epoch-s, epoch-ms, epoch-us, relative-s or relative-ms (detected when unambiguous).',
  },
  {
    name: 'count-column',
    type: 'string',
    value: 'name|N',
    description: 'Trace column holding a request count per step: the file is a count file.',
  },
  {
    name: 'duration-column',
    type: 'string',
    value: 'name|N',
    description: "Trace column holding each request's service time.",
  },
  {
    name: 'duration-unit',
    type: 'string',
    value: 'unit',
    choices: ['ns', 'us', 'ms', 's'],
    description: 'Unit of --duration-column when its name does not say.',
  },
  {
    name: 'step',
    type: 'string',
    value: 'seconds',
    description: 'Step of a count file, or of the Prometheus query range (default 60).',
  },
];

export const PROMETHEUS_OPTIONS: OptionSpec[] = [
  {
    name: 'prometheus',
    type: 'string',
    value: 'url',
    description: 'Read request history (and replicas, GPU use) from this Prometheus server.',
  },
  {
    name: 'since',
    type: 'string',
    value: 'duration',
    description: 'Window ending now (or at --end): 7d, 6h, 90m. Default 7d.',
  },
  { name: 'start', type: 'string', value: 'time', description: 'Window start: ISO-8601 or epoch ms.' },
  {
    name: 'end',
    type: 'string',
    value: 'time',
    description: 'Window end: ISO-8601 or epoch ms (default now).',
  },
  {
    name: 'query',
    type: 'string',
    value: 'name=PROMQL',
    multiple: true,
    description:
      'Override a query preset (requests, latency, replicas, gpus, …); $namespace, $pod, $step are filled in.',
  },
  {
    name: 'prometheus-token',
    type: 'string',
    value: 'token',
    description: 'Bearer token (better: env MIGRATE_PROMETHEUS_TOKEN, which keeps it out of shell history).',
  },
  {
    name: 'prometheus-user',
    type: 'string',
    value: 'user',
    description: 'Basic-auth user; the password comes from env MIGRATE_PROMETHEUS_PASSWORD.',
  },
  {
    name: 'prometheus-header',
    type: 'string',
    value: 'Name: value',
    multiple: true,
    description: 'Extra HTTP header for every request (e.g. X-Scope-OrgID: team).',
  },
  {
    name: 'prometheus-ca',
    type: 'string',
    value: 'file',
    description: 'PEM file of the CA that signed the server certificate.',
  },
  {
    name: 'prometheus-insecure',
    type: 'boolean',
    description: 'Accept any TLS certificate (lab servers only).',
  },
  {
    name: 'prometheus-timeout',
    type: 'string',
    value: 'seconds',
    description:
      'Timeout per request attempt (default 30); failed attempts are retried 3 times with backoff.',
  },
];

export const SPIKE_OPTIONS: OptionSpec[] = [
  {
    name: 'spike',
    type: 'string',
    value: 'NAME[:k=v,…]',
    description:
      'Synthetic traffic: constant, trending or diurnal, e.g. trending:baseline=5,peak=10 (see docs/traffic.md).',
  },
  {
    name: 'seed',
    type: 'string',
    value: 'N',
    default: '1',
    description:
      'Seed for everything random: synthetic arrivals, and in replay the whole simulation. The same seed gives the same bytes.',
  },
];

export function traceReadOptions(values: ParsedArgs['values']): TraceReadOptions {
  const options: TraceReadOptions = {};
  const set = <K extends keyof TraceReadOptions>(key: K, value: TraceReadOptions[K] | undefined) => {
    if (value !== undefined) options[key] = value;
  };
  set('timeColumn', stringOption(values, 'time-column'));
  set('timeFormat', stringOption(values, 'time-format'));
  set('countColumn', stringOption(values, 'count-column'));
  set('durationColumn', stringOption(values, 'duration-column'));
  set('durationUnit', stringOption(values, 'duration-unit'));
  set('stepSeconds', numberOption(values, 'step', { min: 0.001 }));
  return options;
}

export function prometheusClient(values: ParsedArgs['values'], io: CliIo): PrometheusClient | null {
  const baseUrl = stringOption(values, 'prometheus');
  if (!baseUrl) return null;
  const headers: Record<string, string> = {};
  for (const header of listOption(values, 'prometheus-header')) {
    const colon = header.indexOf(':');
    if (colon < 1) throw usageError(`--prometheus-header ${JSON.stringify(header)} is not "Name: value"`);
    headers[header.slice(0, colon).trim()] = header.slice(colon + 1).trim();
  }
  const token = stringOption(values, 'prometheus-token') ?? io.env.MIGRATE_PROMETHEUS_TOKEN;
  const user = stringOption(values, 'prometheus-user');
  if (user && io.env.MIGRATE_PROMETHEUS_PASSWORD === undefined) {
    throw usageError('--prometheus-user needs the password in env MIGRATE_PROMETHEUS_PASSWORD');
  }
  const timeoutSeconds = numberOption(values, 'prometheus-timeout', { min: 0.001 });
  const ca = stringOption(values, 'prometheus-ca');
  return createPrometheusClient({
    baseUrl,
    headers,
    ...(token ? { bearerToken: token } : {}),
    ...(user ? { basicAuth: { username: user, password: io.env.MIGRATE_PROMETHEUS_PASSWORD ?? '' } } : {}),
    ...(ca ? { caFile: ca } : {}),
    ...(values['prometheus-insecure'] ? { insecureSkipVerify: true } : {}),
    ...(timeoutSeconds ? { timeoutMs: timeoutSeconds * 1000 } : {}),
  });
}

export function prometheusProfileOptions(values: ParsedArgs['values']): PrometheusProfileOptions {
  const options: PrometheusProfileOptions = { since: stringOption(values, 'since') ?? '7d' };
  const start = stringOption(values, 'start');
  const end = stringOption(values, 'end');
  const asTime = (text: string) => (/^\d+$/.test(text) ? Number(text) : text);
  if (start) {
    options.start = asTime(start);
    delete options.since;
  }
  if (end) options.end = asTime(end);
  const step = numberOption(values, 'step', { min: 0.001 });
  if (step) options.stepSeconds = step;
  const overrides = listOption(values, 'query');
  if (overrides.length) options.overrides = parseQueryOverrides(overrides);
  return options;
}

export function seedOption(values: ParsedArgs['values']): number {
  return numberOption(values, 'seed', { integer: true, min: 0 }) ?? 1;
}

/** One profile from exactly one source: a trace file, a synthetic spike, or Prometheus for one workload. */
export async function loadProfile(
  values: ParsedArgs['values'],
  file: string | undefined,
  io: CliIo,
  workload: { namespace: string; name: string; kind?: string } | null,
): Promise<TrafficProfile> {
  const spike = stringOption(values, 'spike');
  const client = prometheusClient(values, io);
  const sources = [
    file ? 'a trace file' : null,
    spike ? '--spike' : null,
    client ? '--prometheus' : null,
  ].filter(Boolean);
  if (sources.length !== 1) {
    throw usageError(
      sources.length === 0
        ? 'no traffic given: pass a trace file, --spike NAME or --prometheus URL'
        : `traffic from ${sources.join(' and ')}: give exactly one source`,
    );
  }
  if (file) return readTraceFile(file, traceReadOptions(values));
  if (spike) return spikeProfile(spike, seedOption(values));
  if (!workload)
    throw usageError('--prometheus needs --workload namespace/Kind/name to know whose traffic to read');
  return profileFromPrometheus(client!, workload, prometheusProfileOptions(values));
}

/** `ns/Kind/name` (as analyze prints ids) or `ns/name` into a Prometheus workload reference. */
export function parseWorkloadRef(id: string): { namespace: string; name: string; kind?: string } {
  const parts = id.split('/');
  if (parts.length === 3 && parts.every(Boolean))
    return { namespace: parts[0]!, kind: parts[1]!, name: parts[2]! };
  if (parts.length === 2 && parts.every(Boolean)) return { namespace: parts[0]!, name: parts[1]! };
  throw usageError(
    `--workload ${JSON.stringify(id)} is not namespace/Kind/name (as migrate analyze prints it) or namespace/name`,
  );
}
