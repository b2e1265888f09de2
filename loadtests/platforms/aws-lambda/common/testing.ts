/**
 * Helpers for the serverless model tests (test/replay-serverless*.test.ts): traffic with exact arrival
 * times or steady steps, a replay of one configured module, and a timeline column.
 */

import type { Workload } from '../../../../core/model/index.ts';
import { buildTrafficProfile, type TrafficProfile } from '../../../../core/traffic/index.ts';
import { runReplay } from '../../../engine/replay.ts';
import type { OkRun } from '../../../engine/result.ts';
import type { ServiceTimeSpec } from '../../../engine/service-time.ts';
import { testSettings } from '../../../engine/testing.ts';
import { profileSpanMs } from '../../../traffic/window.ts';
import type { PlatformModule, ReplaySettings } from '../../types.ts';

/** Requests at exactly these times (ms), over `spanSeconds` (default: one second past the last). */
export function arrivalsAt(offsetsMs: number[], spanSeconds?: number): TrafficProfile {
  const sorted = [...offsetsMs].sort((a, b) => a - b);
  const seconds = spanSeconds ?? Math.floor((sorted.at(-1) ?? 0) / 1000) + 1;
  const requests = new Array<number>(seconds).fill(0);
  for (const at of sorted) requests[Math.floor(at / 1000)]! += 1;
  return buildTrafficProfile({
    series: { startMs: 0, timeBase: 'relative', stepSeconds: 1, requests, missingSteps: [] },
    arrivalOffsetsMs: sorted,
    origin: { kind: 'synthetic', spec: 'test arrivals', seed: 1 },
  });
}

/** `count` requests `gapMs` apart from `fromMs`. */
export function burst(fromMs: number, count: number, gapMs = 1): number[] {
  return Array.from({ length: count }, (_, i) => fromMs + i * gapMs);
}

/** Requests per second for each `[seconds, rate]` segment, at seeded random times inside each second. */
export function steps(...segments: [seconds: number, rate: number][]): TrafficProfile {
  const requests = segments.flatMap(([seconds, rate]) => new Array<number>(seconds).fill(rate));
  return buildTrafficProfile({
    series: { startMs: 0, timeBase: 'relative', stepSeconds: 1, requests, missingSteps: [] },
    origin: { kind: 'synthetic', spec: 'test steps', seed: 1 },
  });
}

/** Replays `profile` on one configured serverless module. */
export function replayModule(options: {
  module: PlatformModule;
  workload: Workload;
  profile: TrafficProfile;
  service: ServiceTimeSpec;
  settings?: Partial<ReplaySettings>;
  seed?: number;
}): OkRun {
  const report = runReplay({
    workload: options.workload,
    blocked: {},
    profile: options.profile,
    window: { startMs: 0, endMs: profileSpanMs(options.profile) },
    targets: [options.module.meta.id],
    modules: [options.module],
    seed: options.seed ?? 1,
    service: { spec: options.service, source: 'test' },
    settings: testSettings(options.settings),
    sloMs: null,
    version: 'test',
  });
  const run = report.runs[0]!;
  if (run.status !== 'ok') throw new Error(`${options.module.meta.id} did not run: ${run.status}`);
  return run;
}

export function column(run: OkRun, name: string): number[] {
  const at = run.timeline.columns.indexOf(name);
  return run.timeline.rows.map((row) => row[at]!);
}
