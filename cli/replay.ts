import { readFile } from 'node:fs/promises';
import { assess } from '../analyzers/assess.ts';
import { buildInventory } from '../analyzers/inventory.ts';
import { loadInputs } from '../analyzers/sources/index.ts';
import { MigrateError, usageError } from '../core/errors.ts';
import { ExitCode } from '../core/exit-codes.ts';
import type { Workload } from '../core/model/index.ts';
import { NODE_TYPES } from '../core/pricing/nodes.ts';
import { type Calibration, parseCalibration } from '../loadtests/engine/calibration.ts';
import { blockedFromFindings, resolveServiceTime, runReplay } from '../loadtests/engine/replay.ts';
import { parseServiceSpec } from '../loadtests/engine/service-time.ts';
import { serverlessModules } from '../loadtests/platforms/aws-lambda/common/config-dir.ts';
import { TARGET_IDS } from '../loadtests/platforms/index.ts';
import type { ReplaySettings, ReplayTargetId } from '../loadtests/platforms/types.ts';
import { sweptModule } from '../loadtests/sweep/apply.ts';
import { buildSweepReport } from '../loadtests/sweep/report.ts';
import { type SweepRow, sweepRow } from '../loadtests/sweep/select.ts';
import { parseSweepSpec, type SweepSpec } from '../loadtests/sweep/spec.ts';
import { parseWindow } from '../loadtests/traffic/window.ts';
import { renderReplayJson } from '../reports/replay/json.ts';
import { renderReplayMarkdown } from '../reports/replay/markdown.ts';
import { progressLine } from '../reports/replay/progress.ts';
import { renderSweepJson, renderSweepMarkdown, renderSweepTable } from '../reports/replay/sweep.ts';
import { renderReplayTable } from '../reports/replay/table.ts';
import { type CliIo, writeFileAtomic } from './io.ts';
import {
  listOption,
  numberOption,
  type ParsedArgs,
  parseVerbArgs,
  stringOption,
  type VerbSpec,
} from './options.ts';
import { DEFAULT_TIMEOUT_MS, REPLAY_OPTIONS } from './replay-options.ts';
import {
  loadProfile,
  PROMETHEUS_OPTIONS,
  parseWorkloadRef,
  SPIKE_OPTIONS,
  seedOption,
  TRACE_OPTIONS,
} from './traffic-options.ts';
import { VERSION } from './version.ts';
import { whichOnPath } from './which.ts';

export const replaySpec: VerbSpec = {
  name: 'replay',
  summary: 'push recorded or synthetic traffic through the cluster and serverless models, request by request',
  usage:
    'migrate replay <manifests…> --workload ID (--traffic FILE | --spike NAME | --prometheus URL) [--targets …] [--seed N] [--format table|json|md]',
  description:
    'Simulates one workload under the same traffic on each target: kubernetes (its pods, HPA or KEDA, the cluster autoscaler and node start-up), knative (the KPA and the activator), ' +
    "aws-lambda, cloud-run and azure-functions (as converted, or as --config-dir says; blocked targets are listed with the analysis' reasons). Arrivals come from the trace (exact times, exact counts per step, " +
    'or a seeded Poisson process for rates), service times from the trace, --service-ms or a calibration file. Reports requests served, timed out, throttled and dropped, cold starts, ' +
    'latency percentiles overall and inside the spike, the time to recover, pods and nodes over time, GPU time allocated versus busy, and node cost. The same --seed gives the same bytes.',
  positionals: 'manifest files or directories',
  options: [...REPLAY_OPTIONS, ...TRACE_OPTIONS, ...SPIKE_OPTIONS, ...PROMETHEUS_OPTIONS],
  examples: [
    {
      command:
        'migrate replay examples/k8s --workload ml/Deployment/llm-chat --traffic azure-llm-code-2023.csv --service-ms lognormal:p50=900,p99=4000 --pod-concurrency 8',
      explanation: 'The spiky code-completion trace against the GPU LLM on the cluster and on Knative.',
    },
    {
      command:
        'migrate replay examples/k8s --workload ml/InferenceService/fraud-scoring --spike trending:baseline=20,peak=8 --service-ms exp:40 -f md',
      explanation: 'A synthetic burst against the CPU model, as Markdown.',
    },
  ],
};

export async function runReplayVerb(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseVerbArgs(replaySpec, argv);
  if (positionals.length === 0)
    throw usageError(
      'migrate replay needs the manifests of the workload',
      'for example: migrate replay ./k8s --workload ns/Deployment/name --traffic trace.csv',
    );
  const { workload, blocked } = await selectWorkload(positionals, stringOption(values, 'workload'), io);
  const workloadRef = stringOption(values, 'workload');
  const profile = await loadProfile(
    values,
    stringOption(values, 'traffic'),
    io,
    workloadRef ? parseWorkloadRef(workloadRef) : parseWorkloadRef(workload.id),
  );
  const calibrationFile = stringOption(values, 'calibration');
  const calibration = calibrationFile
    ? parseCalibration(await readText(calibrationFile), calibrationFile)
    : null;
  const serviceText = stringOption(values, 'service-ms');
  const format = stringOption(values, 'format') ?? (io.stdout.isTTY ? 'table' : 'json');
  const targets = targetsOption(values);
  const modules = await serverlessModules(
    workload,
    {
      configDir: stringOption(values, 'config-dir') ?? null,
      retries: numberOption(values, 'retries', { min: 0, integer: true }) ?? 0,
      keepAliveSeconds: numberOption(values, 'keep-alive-seconds', { min: 0 }) ?? null,
    },
    targets,
    readOptional,
  );
  const sweepText = stringOption(values, 'sweep');
  const sloP99Ms = numberOption(values, 'slo-p99-ms', { min: 0 });
  const errorBudget = numberOption(values, 'error-budget', { min: 0 });
  if (!sweepText && (sloP99Ms !== undefined || errorBudget !== undefined))
    throw usageError('--slo-p99-ms and --error-budget only apply with --sweep');
  const progress = createProgress(io);
  const input = {
    workload,
    blocked,
    profile,
    window: parseWindow(
      stringOption(values, 'window'),
      numberOption(values, 'max-seconds', { min: 0.001 }),
      profile,
    ),
    targets,
    modules,
    seed: seedOption(values),
    service: resolveServiceTime(
      serviceText ? parseServiceSpec(serviceText) : null,
      calibration?.serviceMs,
      profile,
    ),
    settings: settingsFrom(values, workload, calibration),
    sloMs: numberOption(values, 'slo-ms', { min: 0 }) ?? workload.serving.sloMs,
    version: VERSION,
  };
  if (sweepText) {
    const spec = parseSweepSpec(sweepText);
    checkSweep(spec, targets, values, sloP99Ms, errorBudget);
    const criteria = { sloP99Ms: sloP99Ms!, errorBudget: errorBudget ?? 0.01 };
    const keepAliveSeconds = numberOption(values, 'keep-alive-seconds', { min: 0 });
    const common = {
      retries: numberOption(values, 'retries', { min: 0, integer: true }) ?? 0,
      ...(keepAliveSeconds !== undefined ? { keepAliveMs: keepAliveSeconds * 1000 } : {}),
    };
    const rows: SweepRow[] = [];
    let first: ReturnType<typeof runReplay> | null = null;
    for (const [index, value] of spec.values.entries()) {
      // One target per run: the other models would replay the same traffic for nothing.
      const report = runReplay({
        ...input,
        targets: [spec.target],
        modules: [sweptModule(workload, spec.name, value, common)],
        onProgress: (_target, fraction) =>
          progress.update(`${spec.name}=${value}`, (index + fraction) / spec.values.length),
      });
      const run = report.runs[0]!;
      if (run.status !== 'ok')
        throw new MigrateError(`--sweep: ${spec.target} is ${run.status} for ${workload.id}`, {
          hint: run.reasons.join('; '),
        });
      first ??= report;
      rows.push(sweepRow(value, run, criteria));
    }
    progress.done();
    const result = buildSweepReport(spec, criteria, rows);
    return emit(
      io,
      stringOption(values, 'out'),
      format === 'json'
        ? renderSweepJson(result)
        : format === 'md'
          ? renderSweepMarkdown(result, first!)
          : renderSweepTable(result, first!),
    );
  }
  const report = runReplay({ ...input, onProgress: progress.update });
  progress.done();
  const rendered =
    format === 'json'
      ? renderReplayJson(report)
      : format === 'md'
        ? renderReplayMarkdown(report)
        : renderReplayTable(report);
  return emit(io, stringOption(values, 'out'), rendered);
}

async function emit(io: CliIo, out: string | undefined, rendered: string): Promise<number> {
  if (out) await writeFileAtomic(out, rendered);
  else io.stdout.write(rendered);
  return ExitCode.ok;
}

/** The flags a sweep needs, checked before the first of its (possibly many) replays. */
function checkSweep(
  spec: SweepSpec,
  targets: readonly ReplayTargetId[],
  values: ParsedArgs['values'],
  sloP99Ms: number | undefined,
  errorBudget: number | undefined,
): void {
  if (!targets.includes(spec.target))
    throw usageError(
      `--sweep ${spec.name} applies to ${spec.target}, which --targets leaves out`,
      `add ${spec.target} to --targets, or leave --targets out`,
    );
  if (sloP99Ms === undefined)
    throw usageError('--sweep needs --slo-p99-ms', 'for example: --sweep provisioned=0..8 --slo-p99-ms 500');
  if (errorBudget !== undefined && errorBudget > 1)
    throw usageError(`--error-budget is a fraction of requests (0..1); got ${errorBudget}`);
  // The sweep starts from the converter's plan; a converted folder's other values would be ignored silently.
  if (stringOption(values, 'config-dir') !== undefined)
    throw usageError(
      '--sweep does not combine with --config-dir yet',
      "the sweep starts from the converter's plan",
    );
}

/**
 * A progress bar on stderr while a long replay runs — only on a terminal, so piped and redirected
 * output never carries it; it appears after a second and is erased when the run ends.
 */
function createProgress(io: CliIo) {
  const shown = Boolean(io.stderr.isTTY) && io.env.TERM !== 'dumb';
  const startedAt = Date.now();
  let lastAt = 0;
  let drawn = false;
  return {
    update: (label: string, fraction: number) => {
      const now = Date.now();
      if (!shown || now - startedAt < 1000 || now - lastAt < 100) return;
      lastAt = now;
      drawn = true;
      io.stderr.write(`\r${progressLine(label, fraction)}`);
    },
    done: () => {
      if (drawn) io.stderr.write('\r\x1b[K');
    },
  };
}

async function readText(path: string): Promise<string> {
  return readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new MigrateError(
      `cannot read ${path}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`,
    );
  });
}

/** A file's text, or null when it does not exist (--config-dir holds only the targets that were converted). */
async function readOptional(path: string): Promise<string | null> {
  return readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return null;
    throw new MigrateError(`cannot read ${path}: ${error.message}`);
  });
}

/** The workload to replay, and what the analysis blocks for each serverless target. */
async function selectWorkload(paths: string[], wanted: string | undefined, io: CliIo) {
  const loaded = await loadInputs(paths, {
    maxFileBytes: 16 * 1024 * 1024,
    maxAliasCount: 100,
    which: whichOnPath(io.env),
    readStdin: () => io.readStdin(),
  });
  const inventory = buildInventory(loaded, { defaultNamespace: 'default' });
  if (inventory.errors.length > 0) {
    const first = inventory.errors[0]!;
    throw new MigrateError(`${first.file}${first.line === null ? '' : `:${first.line}`}: ${first.message}`, {
      hint: `${inventory.errors.length} input error(s); migrate analyze lists them all`,
    });
  }
  const candidates = wanted
    ? inventory.workloads.filter((entry) => entry.id === wanted)
    : inventory.workloads.filter((entry) => entry.ml.isModelServer);
  if (candidates.length !== 1) {
    const ids = inventory.workloads.map((entry) => entry.id).join(', ') || 'none';
    throw usageError(
      wanted
        ? `no workload ${JSON.stringify(wanted)} in ${paths.join(' ')}`
        : `${candidates.length} model servers in ${paths.join(' ')}: name one with --workload`,
      `workloads: ${ids}`,
    );
  }
  const workload: Workload = candidates[0]!;
  const assessment = assess({ ...inventory, workloads: [workload] }, { sloMs: workload.serving.sloMs }).get(
    workload.id,
  )!;
  return { workload, blocked: blockedFromFindings(assessment.findings) };
}

function targetsOption(values: ParsedArgs['values']): ReplayTargetId[] {
  const given = listOption(values, 'targets');
  if (given.length === 0) return [...TARGET_IDS];
  const unknown = given.filter((target) => !(TARGET_IDS as readonly string[]).includes(target));
  if (unknown.length)
    throw usageError(`--targets: unknown ${unknown.join(', ')}`, `targets: ${TARGET_IDS.join(', ')}`);
  return [...new Set(given)] as ReplayTargetId[];
}

function settingsFrom(
  values: ParsedArgs['values'],
  workload: Workload,
  calibration: Calibration | null,
): ReplaySettings {
  const pod = { ...(calibration?.pod ?? {}) };
  const podFlags = [
    ['scheduling-seconds', 'schedulingSeconds'],
    ['image-pull-seconds', 'imagePullSeconds'],
    ['model-load-seconds', 'modelLoadSeconds'],
    ['readiness-delay-seconds', 'readinessDelaySeconds'],
  ] as const;
  for (const [flag, key] of podFlags) {
    const value = numberOption(values, flag, { min: 0 });
    if (value !== undefined) pod[key] = value;
  }
  const timeoutFromWorkload = workload.serving.timeoutSeconds ? workload.serving.timeoutSeconds * 1000 : null;
  return {
    podConcurrency: numberOption(values, 'pod-concurrency', { min: 1, integer: true }) ?? null,
    lb: stringOption(values, 'lb') === 'random' ? 'random' : 'least-outstanding',
    nodeType: stringOption(values, 'node-type') ?? null,
    nodeTypes: [...(calibration?.nodeTypes ?? []), ...NODE_TYPES],
    maxNodes: numberOption(values, 'max-nodes', { min: 1, integer: true }) ?? null,
    initialNodes: numberOption(values, 'initial-nodes', { min: 0, integer: true }) ?? null,
    pod,
    nodeProvisioningSeconds:
      numberOption(values, 'provisioning-seconds', { min: 0 }) ??
      calibration?.node?.provisioningSeconds ??
      null,
    nodeHourlyUsd: numberOption(values, 'node-price', { min: 0 }) ?? calibration?.node?.hourlyUsd ?? null,
    calibration,
    timeoutMs: numberOption(values, 'timeout-ms', { min: 1 }) ?? timeoutFromWorkload ?? DEFAULT_TIMEOUT_MS,
  };
}
