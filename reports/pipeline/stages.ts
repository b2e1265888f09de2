/**
 * The I/O edge of `migrate run`: analyze → convert → replay for one shard, each stage's output written
 * under --out as the JSON the next stage (or `migrate report --from`) reads back. Planning, replay and
 * rendering are pure and live beside this file; here are only the reads, the writes and the order.
 */

import { join } from 'node:path';
import { assess } from '../../analyzers/assess.ts';
import { buildInventory } from '../../analyzers/inventory.ts';
import { type AnalysisReport, toReport } from '../../analyzers/report.ts';
import { loadInputs, type SourceOptions } from '../../analyzers/sources/index.ts';
import {
  CONVERTERS,
  convertReport,
  DEFAULT_WARM_QUANTILE,
  loadScaffoldHook,
} from '../../converters/index.ts';
import { MigrateError } from '../../core/errors.ts';
import type { TargetId, Workload } from '../../core/model/index.ts';
import type { TrafficProfile } from '../../core/traffic/index.ts';
import { renderAnalysisJson } from '../analysis/json.ts';
import { renderReplayJson } from '../replay/json.ts';
import {
  type ConversionRef,
  type PlannedWorkload,
  type RunSettings,
  SHARD_SCHEMA_VERSION,
  type ShardManifest,
  type WorkloadConversions,
} from './model.ts';
import { planWorkloads, type Shard, shardFileName, shardSlice } from './plan.ts';
import { runTasks } from './pool.ts';
import {
  checkPerWorkload,
  meanServiceMs,
  type PipelineReplayOptions,
  replayInputFor,
} from './replay-input.ts';
import { mergeReplays, replayTasks } from './replay-tasks.ts';

/** Where each workload's traffic comes from: one profile for all (a trace, a spike) or one each (Prometheus). */
export interface TrafficSource {
  profileFor(workload: Workload): Promise<TrafficProfile>;
  /** Equal keys mean the same profile, which then crosses to each worker thread only once. */
  keyFor(workload: Workload): string;
}

export interface StageOptions {
  paths: string[];
  /** --out, resolved. */
  out: string;
  source: SourceOptions;
  defaultNamespace: string;
  workloads: string[] | null;
  traffic: TrafficSource;
  replay: PipelineReplayOptions;
  convertTargets: TargetId[];
  settings: RunSettings;
  shard: Shard;
  threads: number;
  version: string;
  writeFile(path: string, content: string): Promise<void>;
  log(line: string): void;
}

export const ANALYSIS_FILE = 'analysis.json';
export const conversionsFile = (slug: string) => `configs/${slug}/conversions.json`;
export const replayFile = (slug: string) => `replay/${slug}.json`;

/** Runs one shard (the whole run is shard 0 of 1) and returns what it wrote in its manifest. */
export async function runStages(options: StageOptions): Promise<ShardManifest> {
  const { analysis, workloads, profiles, plan } = await analyzeStage(options);
  const slice = shardSlice(plan, options.shard);
  await convertStage(options, analysis, plan, slice, profiles);
  await replayStage(options, analysis, workloads, slice, profiles);
  const manifest: ShardManifest = {
    schemaVersion: SHARD_SCHEMA_VERSION,
    tool: { name: 'migrate', version: options.version },
    shard: options.shard,
    settings: options.settings,
    plan,
    slice: slice.map((entry) => entry.id),
  };
  // Written last: a shard's manifest means its results are complete.
  await options.writeFile(
    join(options.out, shardFileName(options.shard)),
    `${JSON.stringify(manifest, null, 2)}\n`,
  );
  return manifest;
}

/**
 * Every shard analyses every workload, with the traffic of every planned one, so analysis.json is the
 * same bytes whichever shard writes it last.
 */
async function analyzeStage(options: StageOptions) {
  const loaded = await loadInputs(options.paths, options.source);
  const inventory = buildInventory(loaded, { defaultNamespace: options.defaultNamespace });
  if (inventory.errors.length > 0) {
    const first = inventory.errors[0]!;
    throw new MigrateError(
      `${inventory.errors.length} input error(s); nothing was run. The first: ${first.file}${first.line === null ? '' : `:${first.line}`}: ${first.message}`,
      { hint: 'migrate analyze lists them all; fix the input and run again' },
    );
  }
  const plan = planWorkloads(inventory.workloads, options.workloads);
  checkPerWorkload(
    options.replay.serviceMs,
    'service-ms',
    plan.map((entry) => entry.id),
  );
  checkPerWorkload(
    options.replay.podConcurrency,
    'pod-concurrency',
    plan.map((entry) => entry.id),
  );
  const workloads = new Map(inventory.workloads.map((workload) => [workload.id, workload]));
  const profiles = new Map<string, TrafficProfile>();
  for (const planned of plan)
    profiles.set(planned.id, await options.traffic.profileFor(workloads.get(planned.id)!));
  const serviceMs = options.replay.serviceMs.default ? meanServiceMs(options.replay.serviceMs.default) : null;
  const assessments = assess(inventory, { sloMs: options.replay.sloMs, traffic: profiles, serviceMs });
  const analysis = toReport(options.paths, inventory, assessments, options.version, profiles);
  await options.writeFile(join(options.out, ANALYSIS_FILE), renderAnalysisJson(analysis));
  options.log(
    `analyze: ${analysis.summary.workloads} workload(s), ${plan.length} planned; shard ${options.shard.index}/${options.shard.count} runs ${shardSlice(plan, options.shard).length}`,
  );
  return { analysis, workloads, profiles, plan };
}

/** Converts every planned workload (cheap and pure, so folder names agree across shards), writes the slice's. */
async function convertStage(
  options: StageOptions,
  analysis: AnalysisReport,
  plan: readonly PlannedWorkload[],
  slice: readonly PlannedWorkload[],
  profiles: ReadonlyMap<string, TrafficProfile>,
): Promise<void> {
  const run =
    options.convertTargets.length > 0
      ? convertReport(analysis, {
          targets: options.convertTargets,
          workloads: plan.map((entry) => entry.id),
          traffic: profiles,
          serviceMs: options.replay.serviceMs.default
            ? meanServiceMs(options.replay.serviceMs.default)
            : null,
          warmQuantile: DEFAULT_WARM_QUANTILE,
          scaffolds: await loadScaffoldHook(),
          version: options.version,
          converters: CONVERTERS,
        })
      : { artifacts: [], notSelected: [] };
  let files = 0;
  for (const planned of slice) {
    const artifacts = run.artifacts.filter((artifact) => artifact.workload === planned.id);
    for (const artifact of artifacts)
      for (const file of artifact.files) {
        await options.writeFile(join(options.out, 'configs', artifact.dir, file.path), file.content);
        files += 1;
      }
    const record: WorkloadConversions = {
      workload: planned.id,
      conversions: artifacts.map(
        (artifact): ConversionRef => ({
          workload: artifact.workload,
          target: artifact.target,
          status: artifact.status,
          dir: `configs/${artifact.dir}`,
          reasons: artifact.reasons,
        }),
      ),
    };
    await options.writeFile(
      join(options.out, conversionsFile(planned.slug)),
      `${JSON.stringify(record, null, 2)}\n`,
    );
  }
  options.log(
    `convert: ${files} file(s) for ${slice.length} workload(s) × ${options.convertTargets.length} target(s)`,
  );
}

async function replayStage(
  options: StageOptions,
  analysis: AnalysisReport,
  workloads: ReadonlyMap<string, Workload>,
  slice: readonly PlannedWorkload[],
  profiles: ReadonlyMap<string, TrafficProfile>,
): Promise<void> {
  const inputs = slice.map((planned) =>
    replayInputFor(
      workloads.get(planned.id)!,
      analysis.workloads.find((entry) => entry.id === planned.id)!.findings,
      profiles.get(planned.id)!,
      options.replay,
    ),
  );
  const keys = slice.map((planned) => options.traffic.keyFor(workloads.get(planned.id)!));
  const tasks = replayTasks(inputs, keys);
  const threads = Math.min(options.threads, tasks.length);
  const startedAt = Date.now();
  const results = await runTasks(tasks, threads);
  for (const [index, planned] of slice.entries()) {
    const parts = results.filter((_, task) => tasks[task]!.workload === index);
    await options.writeFile(
      join(options.out, replayFile(planned.slug)),
      renderReplayJson(mergeReplays(inputs[index]!, parts)),
    );
  }
  options.log(
    `replay: ${tasks.length} run(s) of ${slice.length} workload(s) × ${options.replay.targets.length} target(s) on ${Math.max(1, threads)} thread(s) in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`,
  );
}
