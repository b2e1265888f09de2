/**
 * The built-in live replayer: a traffic profile sent to real HTTP endpoints on its own schedule, for
 * machines without k6. Arrivals come from the same generator as the simulated replay
 * (loadtests/traffic/arrivals.ts, seeded stream "arrivals"), so a live run and a simulated run of the
 * same profile and seed see the same requests at the same times.
 */

import type { TrafficProfile } from '../../core/traffic/index.ts';
import { randomStream } from '../engine/streams.ts';
import { arrivalMode, createArrivals } from '../traffic/arrivals.ts';
import type { ReplayWindow } from '../traffic/window.ts';
import type { RequestTemplate } from './request.ts';
import { type LiveResults, liveResults } from './results.ts';
import { type LiveProgress, runLive } from './runner.ts';
import type { LiveTarget } from './target.ts';

export * from './request.ts';
export * from './results.ts';
export type { LiveProgress } from './runner.ts';
export * from './table.ts';
export * from './target.ts';

export interface LoadTestOptions {
  targets: LiveTarget[];
  template: RequestTemplate;
  /** What the body is, for the results: `sample (seed 1)` or the file name. */
  bodyDescription: string;
  seed: number;
  /** The part of the profile to replay, in profile ms. */
  window: ReplayWindow;
  speedup: number;
  /** Stop after this much wall time, even if the window goes on. */
  maxWallMs?: number;
  maxInFlight: number;
  connections: number;
  timeoutMs: number;
  onProgress?: (progress: LiveProgress) => void;
  signal?: AbortSignal;
}

export const DEFAULT_MAX_IN_FLIGHT = 10_000;
/**
 * Like a thousand independent clients: enough concurrency for most serverless tests (1,000 is also
 * AWS Lambda's default account concurrency), while a cold server is not met with ten thousand sockets.
 */
export const DEFAULT_CONNECTIONS = 1000;
export const DEFAULT_TIMEOUT_MS = 30_000;

export async function runLoadTest(profile: TrafficProfile, options: LoadTestOptions): Promise<LiveResults> {
  const windowMs = options.window.endMs - options.window.startMs;
  const wallWindowMs = Math.min(windowMs / options.speedup, options.maxWallMs ?? Number.POSITIVE_INFINITY);
  const arrivals = createArrivals(profile, options.window, randomStream(options.seed, 'arrivals'));
  const output = await runLive({
    targets: options.targets,
    template: options.template,
    arrivals,
    speedup: options.speedup,
    wallWindowMs,
    maxInFlight: options.maxInFlight,
    connections: options.connections,
    timeoutMs: options.timeoutMs,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return liveResults(output, {
    profile,
    arrivals: arrivalMode(profile),
    seed: options.seed,
    windowMs,
    speedup: options.speedup,
    wallWindowMs,
    settings: {
      method: options.template.method,
      timeoutMs: options.timeoutMs,
      maxInFlight: options.maxInFlight,
      connections: options.connections,
      body: options.bodyDescription,
    },
  });
}
