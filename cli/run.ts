import { readFile, rm } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { profileFromPrometheus, readTraceFile } from '../analyzers/metrics/index.ts';
import { MigrateError, usageError } from '../core/errors.ts';
import { ExitCode } from '../core/exit-codes.ts';
import { TARGETS, type TargetId, type Workload } from '../core/model/index.ts';
import { NODE_TYPES } from '../core/pricing/nodes.ts';
import { spikeProfile, type TrafficProfile } from '../core/traffic/index.ts';
import { parseCalibration } from '../loadtests/engine/calibration.ts';
import { parseServiceSpec } from '../loadtests/engine/service-time.ts';
import { TARGET_IDS } from '../loadtests/platforms/index.ts';
import type { ReplayTargetId } from '../loadtests/platforms/types.ts';
import { renderJob, runArgsForJob } from '../reports/pipeline/emit-job.ts';
import type { RunSettings } from '../reports/pipeline/model.ts';
import { parseShard, WHOLE_RUN } from '../reports/pipeline/plan.ts';
import {
  type PerWorkload,
  type PipelineReplayOptions,
  parsePerWorkload,
} from '../reports/pipeline/replay-input.ts';
import { runStages, type TrafficSource } from '../reports/pipeline/stages.ts';
import { type CliIo, writeFileAtomic } from './io.ts';
import {
  listOption,
  numberOption,
  type OptionSpec,
  type ParsedArgs,
  parseVerbArgs,
  stringOption,
  type VerbSpec,
} from './options.ts';
import { REPORT_OPTIONS, reportSettings, writeReports } from './report.ts';
import {
  PROMETHEUS_OPTIONS,
  prometheusClient,
  prometheusProfileOptions,
  SPIKE_OPTIONS,
  seedOption,
  TRACE_OPTIONS,
  traceReadOptions,
} from './traffic-options.ts';
import { VERSION } from './version.ts';
import { whichOnPath } from './which.ts';

const text = (
  name: string,
  value: string,
  description: string,
  extra: Partial<OptionSpec> = {},
): OptionSpec => ({
  name,
  type: 'string',
  value,
  description,
  ...extra,
});

const RUN_OPTIONS: OptionSpec[] = [
  text('out', 'dir', 'Write everything here: analysis.json, configs/, replay/, shards/ and the reports.', {
    short: 'o',
  }),
  text(
    'traffic',
    'file',
    'A trace file (CSV, TSV, JSON Lines, counts, a ServeGen folder): the traffic of every workload.',
  ),
  text('workload', 'ID', 'Run this workload (namespace/Kind/name). Default: every model server.', {
    multiple: true,
  }),
  text(
    'targets',
    'list',
    `Replay targets (default all: ${TARGET_IDS.join(', ')}); configs are written for the serverless ones.`,
    {
      multiple: true,
    },
  ),
  text(
    'service-ms',
    '[ID=]dist',
    'Service time per request: fixed:MS, exp:MEAN_MS or lognormal:p50=MS,p99=MS; ID=DIST for one workload.',
    {
      multiple: true,
    },
  ),
  text(
    'pod-concurrency',
    '[ID=]N',
    'Requests one pod serves at once (default: containerConcurrency, else 1 / unlimited on knative); ID=N for one workload.',
    {
      multiple: true,
    },
  ),
  text(
    'calibration',
    'file',
    'A JSON file of measured numbers (docs/replay.md#calibration-file), for every workload.',
  ),
  text('timeout-ms', 'ms', "Client timeout (default: each workload's request timeout, else 60000)."),
  text('slo-ms', 'ms', 'SLO of workloads without a migrate.dev/slo-ms annotation, in ms.'),
  text('lb', 'policy', 'Kubernetes load balancing.', {
    choices: ['least-outstanding', 'random'],
    default: 'least-outstanding',
  }),
  text(
    'node-type',
    'id',
    `Node type for the cluster (default by accelerator; known: ${NODE_TYPES.map((type) => type.id).join(', ')}).`,
  ),
  text('max-nodes', 'N', 'Largest size of the node group (default unbounded).'),
  text('window', 'START..END', 'Replay only this part of the traffic, e.g. 10m..25m.'),
  text('max-seconds', 'N', 'Replay only the first N seconds of the traffic.'),
  text('jobs', 'N', 'Worker threads for the replays (default: every core).'),
  text(
    'shard',
    'I/N',
    'Run only slice I of N (0-based; workload k of the sorted ids goes to shard k mod N); merge with migrate report --from.',
  ),
  text(
    'emit-job',
    'file',
    'Write a Kubernetes Indexed Job that runs this command as --shards pods, instead of running it.',
  ),
  text('shards', 'N', 'With --emit-job: the number of pods (completions and parallelism).'),
  text('image', 'ref', 'With --emit-job: the container image with migrate installed.'),
  text('job-name', 'name', 'With --emit-job: the Job name.', { default: 'migrate-run' }),
  text('job-namespace', 'ns', 'With --emit-job: the namespace.'),
  text(
    'job-volume-claim',
    'pvc',
    'With --emit-job: a ReadWriteMany PVC with the inputs; the results go there too.',
    { default: 'migrate-work' },
  ),
  text('job-mount', 'path', 'With --emit-job: where the PVC is mounted (the working directory).', {
    default: '/work',
  }),
  text('job-cpu', 'cores', 'With --emit-job: CPU request per pod.', { default: '2' }),
  text('job-memory', 'size', 'With --emit-job: memory request per pod.', { default: '4Gi' }),
  text('default-namespace', 'ns', 'Namespace of objects that name none.', { default: 'default' }),
  text('max-file-mb', 'MiB', 'Refuse manifest files larger than this.', { default: '16' }),
];

const JOB_FLAGS = [
  'emit-job',
  'shards',
  'image',
  'job-name',
  'job-namespace',
  'job-volume-claim',
  'job-mount',
  'job-cpu',
  'job-memory',
];

export const runSpec: VerbSpec = {
  name: 'run',
  summary: 'the whole pipeline: analyze → convert → replay → report, everything written under --out',
  usage:
    'migrate run <manifests…> --out DIR (--traffic FILE | --spike NAME | --prometheus URL) [--targets …] [--service-ms [ID=]DIST…] [--fail-on EXPR…] [--shard I/N | --emit-job FILE --shards N --image REF]',
  description:
    'Analyses the manifests, writes configs for the serverless targets (configs/<workload>/<target>/), replays the traffic through every target for every model server (replay/<workload>.json), ' +
    'and writes the reports (report.md, report.html, report.json, report.junit.xml). Replays run in parallel on worker threads, one workload × target per task, merged in a fixed order. ' +
    '--shard I/N runs one deterministic slice; `migrate report --from DIR` merges the shards into the same report an unsharded run writes. --emit-job writes the Kubernetes Indexed Job that runs the shards. ' +
    'The same inputs and --seed give the same bytes. Exit 1 when a --fail-on threshold is violated.',
  positionals: 'manifest files or directories',
  options: [...RUN_OPTIONS, ...REPORT_OPTIONS, ...TRACE_OPTIONS, ...SPIKE_OPTIONS, ...PROMETHEUS_OPTIONS],
  examples: [
    {
      command:
        'migrate run examples/k8s --out ./migration --traffic examples/traces/azure-llm-code-first-20min.csv --service-ms lognormal:p50=120,p99=900',
      explanation: 'The bundled example platform under a real, spiky trace; open ./migration/report.html.',
    },
    {
      command:
        'migrate run ./k8s --out ./migration --prometheus http://prometheus:9090 --since 1d --fail-on \'p99_ms > 800 and target == "aws-lambda"\'',
      explanation:
        "Each model server's own traffic from Prometheus; exit 1 when Lambda's p99 would exceed 800 ms.",
    },
    {
      command:
        'migrate run ./k8s --out /work/out --spike trending --emit-job job.yaml --shards 8 --image ghcr.io/acme/migrate:1',
      explanation: 'An Indexed Job of 8 pods for a large fleet; then migrate report --from /work/out.',
    },
  ],
};

export async function runRun(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseVerbArgs(runSpec, argv);
  if (positionals.length === 0)
    throw usageError(
      'migrate run needs the manifests',
      'for example: migrate run ./k8s --out ./migration --traffic trace.csv',
    );
  const outText = stringOption(values, 'out');
  if (!outText) throw usageError('migrate run needs --out DIR: every stage writes its results there');
  const report = await reportSettings(values, io);
  const emit = stringOption(values, 'emit-job');
  if (emit) return emitJob(argv, values, emit, io);
  // Flags with a default are always set; the others mean the user expected a Job.
  const jobOnly = ['shards', 'image', 'job-namespace'].find((flag) => values[flag] !== undefined);
  if (jobOnly) throw usageError(`--${jobOnly} applies only with --emit-job`);
  const shardText = stringOption(values, 'shard');
  const shard = shardText ? parseShard(shardText) : WHOLE_RUN;
  const out = resolve(io.cwd, outText);
  const targets = targetList(values);
  const replay = await replayOptions(values, targets, io);
  const traffic = await trafficSource(values, io);
  // The whole run owns --out/shards: manifests of an earlier, sharded run would not merge with it.
  if (shard.count === 1) await rm(join(out, 'shards'), { recursive: true, force: true });
  await runStages({
    paths: positionals,
    out,
    source: {
      maxFileBytes: (numberOption(values, 'max-file-mb', { min: 0 }) ?? 16) * 1024 * 1024,
      maxAliasCount: 100,
      which: whichOnPath(io.env),
      readStdin: () => io.readStdin(),
    },
    defaultNamespace: stringOption(values, 'default-namespace') ?? 'default',
    workloads: listOption(values, 'workload').length ? listOption(values, 'workload') : null,
    traffic: traffic.source,
    replay,
    convertTargets: targets.filter((target): target is TargetId =>
      (TARGETS as readonly string[]).includes(target),
    ),
    settings: runSettings(values, positionals, targets, traffic.description),
    shard,
    threads: numberOption(values, 'jobs', { min: 1, integer: true }) ?? availableParallelism(),
    version: VERSION,
    writeFile: writeFileAtomic,
    log: (line) => io.stderr.write(`${line}\n`),
  });
  if (shard.count > 1) {
    io.stdout.write(
      `shard ${shard.index}/${shard.count} done: results in ${outText}. When every shard is done: migrate report --from ${outText}\n`,
    );
    return ExitCode.ok;
  }
  return writeReports(io, out, out, report);
}

function targetList(values: ParsedArgs['values']): ReplayTargetId[] {
  const given = listOption(values, 'targets');
  if (given.length === 0) return [...TARGET_IDS];
  const unknown = given.filter((target) => !(TARGET_IDS as readonly string[]).includes(target));
  if (unknown.length)
    throw usageError(`--targets: unknown ${unknown.join(', ')}`, `targets: ${TARGET_IDS.join(', ')}`);
  return TARGET_IDS.filter((target) => given.includes(target));
}

/** `--flag VALUE` for every workload and `--flag ns/Kind/name=VALUE` for one. */
function perWorkload<T>(
  values: ParsedArgs['values'],
  name: string,
  parse: (text: string) => T,
): PerWorkload<T> {
  return parsePerWorkload(Array.isArray(values[name]) ? (values[name] as string[]) : [], name, parse);
}

async function replayOptions(
  values: ParsedArgs['values'],
  targets: ReplayTargetId[],
  io: CliIo,
): Promise<PipelineReplayOptions> {
  const calibrationFile = stringOption(values, 'calibration');
  const calibration = calibrationFile
    ? parseCalibration(
        await readFile(resolve(io.cwd, calibrationFile), 'utf8').catch((error: Error) => {
          throw new MigrateError(`cannot read --calibration ${calibrationFile}: ${error.message}`);
        }),
        calibrationFile,
      )
    : null;
  return {
    targets,
    seed: seedOption(values),
    window: {
      text: stringOption(values, 'window'),
      maxSeconds: numberOption(values, 'max-seconds', { min: 0.001 }),
    },
    serviceMs: perWorkload(values, 'service-ms', (entry) => parseServiceSpec(entry)),
    podConcurrency: perWorkload(values, 'pod-concurrency', (entry) => {
      const value = Number(entry);
      if (!Number.isInteger(value) || value < 1)
        throw usageError(`--pod-concurrency ${JSON.stringify(entry)} is not a whole number ≥ 1`);
      return value;
    }),
    timeoutMs: numberOption(values, 'timeout-ms', { min: 1 }) ?? null,
    sloMs: numberOption(values, 'slo-ms', { min: 0 }) ?? null,
    lb: stringOption(values, 'lb') === 'random' ? 'random' : 'least-outstanding',
    nodeType: stringOption(values, 'node-type') ?? null,
    nodeTypes: [...(calibration?.nodeTypes ?? []), ...NODE_TYPES],
    maxNodes: numberOption(values, 'max-nodes', { min: 1, integer: true }) ?? null,
    calibration,
    version: VERSION,
  };
}

/** One source for every workload: a trace or a spike is shared; Prometheus is queried per workload. */
async function trafficSource(
  values: ParsedArgs['values'],
  io: CliIo,
): Promise<{ source: TrafficSource; description: string }> {
  const file = stringOption(values, 'traffic');
  const spike = stringOption(values, 'spike');
  const client = prometheusClient(values, io);
  const given = [file && '--traffic', spike && '--spike', client && '--prometheus'].filter(Boolean);
  if (given.length !== 1)
    throw usageError(
      given.length
        ? `traffic from ${given.join(' and ')}: give exactly one source`
        : 'no traffic given: pass --traffic FILE, --spike NAME or --prometheus URL',
    );
  if (file || spike) {
    // The path as given, as migrate replay reads it: it is shown in every report, which must not depend on the machine.
    const profile = file
      ? await readTraceFile(file, traceReadOptions(values))
      : spikeProfile(spike!, seedOption(values));
    return {
      source: { profileFor: async () => profile, keyFor: () => 'shared' },
      description: file ? `--traffic ${file}` : `--spike ${spike}`,
    };
  }
  const options = prometheusProfileOptions(values);
  const cache = new Map<string, Promise<TrafficProfile>>();
  const profileFor = (workload: Workload) => {
    let profile = cache.get(workload.id);
    if (!profile) {
      io.stderr.write(`querying ${client!.baseUrl} for ${workload.id}\n`);
      profile = profileFromPrometheus(
        client!,
        { namespace: workload.namespace, name: workload.name, kind: workload.kind },
        options,
      );
      cache.set(workload.id, profile);
    }
    return profile;
  };
  return {
    source: { profileFor, keyFor: (workload) => workload.id },
    description: `--prometheus ${client!.baseUrl}`,
  };
}

function runSettings(
  values: ParsedArgs['values'],
  inputs: string[],
  targets: ReplayTargetId[],
  traffic: string,
): RunSettings {
  const service = perWorkload(values, 'service-ms', (entry) => entry.trim());
  const window = stringOption(values, 'window');
  const maxSeconds = stringOption(values, 'max-seconds');
  const replayFlags: Record<string, string> = {};
  for (const flag of [
    'pod-concurrency',
    'calibration',
    'timeout-ms',
    'slo-ms',
    'lb',
    'node-type',
    'max-nodes',
    ...TRACE_OPTIONS.map((option) => option.name),
  ]) {
    const value = values[flag];
    if (typeof value === 'string') replayFlags[flag] = value;
    else if (Array.isArray(value) && value.length) replayFlags[flag] = value.join(' ');
  }
  return {
    inputs,
    targets,
    workloads: listOption(values, 'workload').length ? listOption(values, 'workload') : null,
    seed: seedOption(values),
    traffic,
    window: window ? `--window ${window}` : maxSeconds ? `--max-seconds ${maxSeconds}` : null,
    serviceMs: { default: service.default, byWorkload: service.byWorkload },
    replayFlags,
    convertTargets: targets.filter((target) => (TARGETS as readonly string[]).includes(target)),
  };
}

async function emitJob(
  argv: string[],
  values: ParsedArgs['values'],
  file: string,
  io: CliIo,
): Promise<number> {
  if (values.shard !== undefined)
    throw usageError('--emit-job sets --shard for each pod itself: drop --shard');
  const shards = numberOption(values, 'shards', { min: 1, integer: true });
  if (!shards) throw usageError('--emit-job needs --shards N: how many pods split the run');
  const yaml = renderJob({
    runArgs: runArgsForJob(argv, JOB_FLAGS),
    shards,
    image: stringOption(values, 'image') ?? '',
    name: stringOption(values, 'job-name') ?? 'migrate-run',
    namespace: stringOption(values, 'job-namespace') ?? null,
    claim: stringOption(values, 'job-volume-claim') ?? 'migrate-work',
    mountPath: stringOption(values, 'job-mount') ?? '/work',
    cpu: stringOption(values, 'job-cpu') ?? '2',
    memory: stringOption(values, 'job-memory') ?? '4Gi',
  });
  const path = resolve(io.cwd, file);
  await writeFileAtomic(path, yaml);
  io.stdout.write(
    `wrote ${relative(io.cwd, path) || path}: an Indexed Job of ${shards} pod(s); kubectl apply -f it, then migrate report --from ${stringOption(values, 'out')}\n`,
  );
  return ExitCode.ok;
}
