import type { AnalyzeOptions } from '../analyzers/analyze.ts';
import { profileFromPrometheus, readTraceFile } from '../analyzers/metrics/index.ts';
import { MigrateError, usageError } from '../core/errors.ts';
import type { Workload } from '../core/model/index.ts';
import { spikeProfile, type TrafficProfile } from '../core/traffic/index.ts';
import type { CliIo } from './io.ts';
import { numberOption, type OptionSpec, type ParsedArgs, stringOption } from './options.ts';
import {
  PROMETHEUS_OPTIONS,
  prometheusClient,
  prometheusProfileOptions,
  SPIKE_OPTIONS,
  seedOption,
  TRACE_OPTIONS,
  traceReadOptions,
} from './traffic-options.ts';

export const ANALYZE_TRAFFIC_OPTIONS: OptionSpec[] = [
  {
    name: 'traffic',
    type: 'string',
    value: 'file',
    description: 'A trace file with the traffic of one workload (--workload, or the only model server).',
  },
  {
    name: 'workload',
    type: 'string',
    value: 'ID',
    description: 'The workload --traffic or --spike belongs to, as namespace/Kind/name.',
  },
  {
    name: 'service-ms',
    type: 'string',
    value: 'ms',
    description: 'Service time per request, for peak concurrency when the traffic has no durations.',
  },
  ...TRACE_OPTIONS,
  ...SPIKE_OPTIONS,
  ...PROMETHEUS_OPTIONS,
];

/**
 * Turns the traffic flags of `migrate analyze` into a per-workload traffic source: one profile for
 * one named workload (a trace or a spike), or a Prometheus profile per model server.
 */
export async function analyzeTraffic(
  values: ParsedArgs['values'],
  io: CliIo,
): Promise<Pick<AnalyzeOptions, 'trafficFor' | 'serviceMs'>> {
  const serviceMs = numberOption(values, 'service-ms', { min: 0 }) ?? null;
  const file = stringOption(values, 'traffic');
  const spike = stringOption(values, 'spike');
  const client = prometheusClient(values, io);
  const named = stringOption(values, 'workload');
  if ([file, spike, client].filter(Boolean).length > 1)
    throw usageError('give one traffic source: --traffic, --spike or --prometheus');
  if (file || spike) {
    const profile = file
      ? await readTraceFile(file, traceReadOptions(values))
      : spikeProfile(spike!, seedOption(values));
    return {
      serviceMs,
      trafficFor: async (workload, all) =>
        workload.id === targetOf(named, all, file ? '--traffic' : '--spike') ? profile : null,
    };
  }
  if (client) {
    const options = prometheusProfileOptions(values);
    let failures = 0;
    let attempts = 0;
    let firstError: unknown = null;
    return {
      serviceMs,
      trafficFor: async (workload, all) => {
        const wanted = named ? workload.id === named : workload.ml.isModelServer;
        if (!wanted) return null;
        attempts += 1;
        const total = named ? 1 : all.filter((entry) => entry.ml.isModelServer).length;
        io.stderr.write(`querying ${client.baseUrl} for ${workload.id} (${attempts}/${total})\n`);
        try {
          return await profileFromPrometheus(
            client,
            { namespace: workload.namespace, name: workload.name, kind: workload.kind },
            options,
          );
        } catch (error) {
          if (!(error instanceof MigrateError)) throw error;
          failures += 1;
          firstError ??= error;
          workload.notes.push({ message: `no traffic from Prometheus: ${error.message}`, source: null });
          // One workload without data is a note; every workload failing is the server or the flags.
          if (failures === attempts && attempts === total) throw firstError;
          return null;
        }
      },
    };
  }
  if (named) throw usageError('--workload names whose traffic --traffic or --spike is; give one of them too');
  return { serviceMs };
}

function targetOf(named: string | undefined, all: readonly Workload[], flag: string): string {
  if (named) {
    if (!all.some((workload) => workload.id === named)) {
      throw usageError(
        `--workload ${named} is not in the input; workloads: ${all.map((workload) => workload.id).join(', ') || '(none)'}`,
      );
    }
    return named;
  }
  const servers = all.filter((workload) => workload.ml.isModelServer);
  if (servers.length === 1) return servers[0]!.id;
  throw usageError(
    `${flag} is one workload's traffic: name it with --workload (model servers: ${servers.map((workload) => workload.id).join(', ') || 'none'})`,
  );
}

export type { TrafficProfile };
