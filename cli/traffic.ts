import { usageError } from '../core/errors.ts';
import { ExitCode } from '../core/exit-codes.ts';
import { trafficJson, trafficTable } from '../reports/traffic/summary.ts';
import { type CliIo, useColor, writeFileAtomic } from './io.ts';
import { parseVerbArgs, stringOption, type VerbSpec } from './options.ts';
import {
  loadProfile,
  PROMETHEUS_OPTIONS,
  parseWorkloadRef,
  SPIKE_OPTIONS,
  TRACE_OPTIONS,
} from './traffic-options.ts';

export const trafficSpec: VerbSpec = {
  name: 'traffic',
  summary: 'describe recorded or synthetic traffic: rates, peaks, idle time, bursts, a label',
  usage:
    'migrate traffic <trace-file> | --spike NAME[:k=v,…] | --prometheus URL --workload ID  [--format table|json]',
  description:
    'Reads traffic from a trace file (CSV, TSV or JSON Lines, one row per request, or counts per step; a ServeGen folder), a synthetic spike, ' +
    'or a Prometheus server, and prints its statistics at 1-minute resolution: duration, requests, mean and peak rate, peak-to-mean, the largest ' +
    'one-minute rise, idle time, bursts and a label (spiky, steady or mostly-idle). From Prometheus it also shows what the cluster did: replicas and ' +
    'GPU time allocated versus busy. Bad rows are counted and listed with their line numbers, never dropped silently.',
  positionals: 'a trace file, or a ServeGen folder',
  options: [
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
      description: 'Write the output to this file (atomically) instead of stdout.',
    },
    {
      name: 'workload',
      type: 'string',
      value: 'ID',
      description: 'With --prometheus: whose traffic, as namespace/Kind/name (as analyze prints it).',
    },
    ...TRACE_OPTIONS,
    ...SPIKE_OPTIONS,
    ...PROMETHEUS_OPTIONS,
  ],
  examples: [
    {
      command: 'migrate traffic traces/requests.csv',
      explanation: 'Statistics of a per-request trace, columns detected from the header.',
    },
    { command: 'migrate traffic counts.txt --step 60', explanation: 'A bare column of per-minute counts.' },
    {
      command: 'migrate traffic --spike trending:baseline=5,peak=10 --seed 7 --format json',
      explanation: 'A seeded synthetic burst, as JSON.',
    },
    {
      command:
        'migrate traffic --prometheus http://prometheus:9090 --workload ml/Deployment/llm-chat --since 7d',
      explanation: 'A week of history for one workload.',
    },
  ],
};

export async function runTraffic(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseVerbArgs(trafficSpec, argv);
  if (positionals.length > 1)
    throw usageError(
      `migrate traffic reads one trace at a time; got ${positionals.length}: ${positionals.join(' ')}`,
    );
  const workload = stringOption(values, 'workload');
  const profile = await loadProfile(values, positionals[0], io, workload ? parseWorkloadRef(workload) : null);
  const format = stringOption(values, 'format') ?? (io.stdout.isTTY ? 'table' : 'json');
  const out = stringOption(values, 'out');
  const rendered =
    format === 'json'
      ? `${JSON.stringify(trafficJson(profile), null, 2)}\n`
      : trafficTable(profile, { sparkline: !out && useColor(io) });
  if (out) await writeFileAtomic(out, rendered);
  else io.stdout.write(rendered);
  return ExitCode.ok;
}
