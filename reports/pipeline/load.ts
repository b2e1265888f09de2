/**
 * `migrate report --from DIR`: reads back what `migrate run` wrote — the analysis, every shard's
 * manifest, each workload's replay and conversions — checks that the shards belong to one run and
 * cover every workload once, and returns the inputs of the report. The I/O edge of the report stage.
 */

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AnalysisReport } from '../../analyzers/report.ts';
import { MigrateError } from '../../core/errors.ts';
import type { ReplayReport } from '../../loadtests/engine/result.ts';
import type { ReportInputs } from './build.ts';
import type { ConversionRef, ShardManifest, WorkloadConversions } from './model.ts';
import { ANALYSIS_FILE, conversionsFile, replayFile } from './stages.ts';

export type LoadedRun = Pick<ReportInputs, 'settings' | 'analysis' | 'plan' | 'replays' | 'conversions'>;

export function loadRun(dir: string): LoadedRun {
  const manifests = readManifests(dir);
  const first = manifests[0]!;
  const count = first.shard.count;
  const settings = JSON.stringify(first.settings);
  const plan = JSON.stringify(first.plan);
  for (const manifest of manifests)
    if (JSON.stringify(manifest.settings) !== settings || JSON.stringify(manifest.plan) !== plan)
      throw new MigrateError(
        `${dir}: shard ${manifest.shard.index}/${count} was run with other settings or inputs than shard ${first.shard.index}/${count}`,
        {
          hint: 'every shard must run the same command (only --shard differs); run them again into a clean --out',
        },
      );
  const covered = new Map<string, number>();
  for (const manifest of manifests)
    for (const id of manifest.slice) covered.set(id, (covered.get(id) ?? 0) + 1);
  const wrong = first.plan.filter((entry) => covered.get(entry.id) !== 1).map((entry) => entry.id);
  if (wrong.length)
    throw new MigrateError(
      `${dir}: the shards do not cover each workload exactly once: ${wrong.join(', ')}`,
      {
        hint: 'run every shard of one run into the same --out',
      },
    );
  const analysis = readJson<AnalysisReport>(join(dir, ANALYSIS_FILE), 'the analysis');
  const replays = first.plan.map((entry) =>
    readJson<ReplayReport>(join(dir, replayFile(entry.slug)), `the replay of ${entry.id}`),
  );
  const conversions: ConversionRef[] = first.plan.flatMap(
    (entry) =>
      readJson<WorkloadConversions>(join(dir, conversionsFile(entry.slug)), `the conversions of ${entry.id}`)
        .conversions,
  );
  return { settings: first.settings, analysis, plan: first.plan, replays, conversions };
}

/** Every shards/<i>-of-<n>.json; all of one run (the same n), and none missing. */
function readManifests(dir: string): ShardManifest[] {
  const shardsDir = join(dir, 'shards');
  if (!existsSync(shardsDir))
    throw new MigrateError(`${dir} holds no results of migrate run (no shards/ folder)`, {
      hint: 'run `migrate run <manifests> --out DIR …` first, then `migrate report --from DIR`',
    });
  const names = readdirSync(shardsDir)
    .filter((name) => /^\d+-of-\d+\.json$/.test(name))
    .sort();
  const counts = [...new Set(names.map((name) => Number(name.split('-of-')[1]!.slice(0, -5))))];
  if (counts.length !== 1)
    throw new MigrateError(
      counts.length === 0
        ? `${shardsDir} holds no shard manifest: no shard has finished`
        : `${shardsDir} holds results of runs with different shard counts (${counts.join(', ')})`,
      { hint: 'run into a clean --out; a shard writes its manifest only once its results are complete' },
    );
  const count = counts[0]!;
  const missing = [...Array(count).keys()].filter((index) => !names.includes(`${index}-of-${count}.json`));
  if (missing.length)
    throw new MigrateError(
      `${shardsDir}: shard(s) ${missing.map((index) => `${index}/${count}`).join(', ')} have not finished (no manifest)`,
      {
        hint: `wait for every shard of the Job, or run the missing ones: migrate run … --shard ${missing[0]}/${count}`,
      },
    );
  return [...Array(count).keys()].map((index) =>
    readJson<ShardManifest>(join(shardsDir, `${index}-of-${count}.json`), 'a shard manifest'),
  );
}

function readJson<T>(path: string, what: string): T {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new MigrateError(
      `cannot read ${what}: ${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`,
      {
        hint: 'the run that should have written it did not finish; run it again',
      },
    );
  }
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new MigrateError(`${path} (${what}) is not valid JSON: ${(error as Error).message}`);
  }
}
