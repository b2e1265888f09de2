/**
 * The result of `migrate loadtest`, as plain JSON. Field names follow the simulated replay's
 * (`runs[]` with `target`, `requests`, `latencyMs`, a `timeline` of `{stepSeconds, columns, rows}`), so
 * a report can put a live run beside a simulated one. See docs/loadtest.md.
 */

import type { TrafficProfile } from '../../core/traffic/index.ts';
import type { ArrivalMode } from '../traffic/arrivals.ts';
import { LIVE_TIMELINE_COLUMNS, type LiveRecorder } from './recorder.ts';
import type { LiveRunOutput } from './runner.ts';
import { displayUrl } from './target.ts';

export const LIVE_SCHEMA_VERSION = 1;

export interface LatencySummaryMs {
  mean: number | null;
  p50: number | null;
  p90: number | null;
  p95: number | null;
  p99: number | null;
  p999: number | null;
  max: number | null;
}

export interface LiveRunResult {
  target: string;
  url: string;
  /** `total` = served + failed + timedOut + dropped, always. */
  requests: { total: number; served: number; timedOut: number; failed: number; dropped: number };
  /** Requests due ÷ the run's window. */
  scheduledRatePerSecond: number;
  /** Requests sent ÷ the longer of the window and the time of the last send. */
  achievedRatePerSecond: number;
  /** Served ÷ time from the start to the last outcome: the throughput the target gave. */
  servedRatePerSecond: number;
  /** Of served requests, from their SCHEDULED send time to the end of the response. */
  latencyMs: LatencySummaryMs;
  /** How late requests left against their schedule: the replayer's own fidelity. */
  sendLagMs: { p50: number | null; p99: number | null; max: number | null };
  statusCodes: Record<string, number>;
  /** Failures without a status: connection refused, reset, protocol errors, ECANCELED on Ctrl-C. */
  errors: Record<string, number>;
  connectionsOpened: number;
  timeline: { stepSeconds: number; columns: readonly string[]; rows: number[][] };
}

export interface LiveResults {
  schemaVersion: typeof LIVE_SCHEMA_VERSION;
  kind: 'live';
  traffic: {
    source: string;
    arrivals: ArrivalMode;
    seed: number;
    /** The part of the profile replayed, in profile seconds, and how much faster it ran. */
    windowSeconds: number;
    speedup: number;
    /** The window in wall-clock seconds (window ÷ speedup, or --duration when shorter). */
    wallSeconds: number;
  };
  settings: { method: string; timeoutMs: number; maxInFlight: number; connections: number; body: string };
  elapsedSeconds: number;
  /** True when the run was interrupted (Ctrl-C): what was in flight is counted as failed, ECANCELED. */
  stoppedEarly: boolean;
  runs: LiveRunResult[];
}

export interface LiveResultContext {
  profile: TrafficProfile;
  arrivals: ArrivalMode;
  seed: number;
  windowMs: number;
  speedup: number;
  wallWindowMs: number;
  settings: LiveResults['settings'];
}

const round = (value: number, digits: number) => {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
};
const ms = (value: number | null) => (value === null ? null : round(value, 3));

export function liveResults(output: LiveRunOutput, context: LiveResultContext): LiveResults {
  const wallSeconds = context.wallWindowMs / 1000;
  return {
    schemaVersion: LIVE_SCHEMA_VERSION,
    kind: 'live',
    traffic: {
      source: describeSource(context.profile),
      arrivals: context.arrivals,
      seed: context.seed,
      windowSeconds: round(context.windowMs / 1000, 3),
      speedup: context.speedup,
      wallSeconds: round(wallSeconds, 3),
    },
    settings: context.settings,
    elapsedSeconds: round(output.elapsedMs / 1000, 3),
    stoppedEarly: output.stoppedEarly,
    runs: output.runs.map((run) => ({
      target: run.target.name,
      url: displayUrl(run.target.url),
      ...runFigures(run.recorder, wallSeconds, output.elapsedMs / 1000),
      connectionsOpened: run.connectionsOpened,
      timeline: {
        stepSeconds: run.recorder.stepSeconds,
        columns: LIVE_TIMELINE_COLUMNS,
        rows: run.recorder.timelineRows(),
      },
    })),
  };
}

function runFigures(recorder: LiveRecorder, wallSeconds: number, elapsedSeconds: number) {
  const latency = recorder.latency;
  const sendSpanSeconds = Math.max(
    wallSeconds,
    Number.isNaN(recorder.lastSendMs) ? 0 : recorder.lastSendMs / 1000,
  );
  const sorted = (map: Map<number | string, number>) =>
    Object.fromEntries([...map.entries()].sort(([a], [b]) => String(a).localeCompare(String(b))));
  return {
    requests: {
      total: recorder.scheduled,
      served: recorder.served,
      timedOut: recorder.timedOut,
      failed: recorder.failed,
      dropped: recorder.dropped,
    },
    scheduledRatePerSecond: wallSeconds > 0 ? round(recorder.scheduled / wallSeconds, 2) : 0,
    achievedRatePerSecond: sendSpanSeconds > 0 ? round(recorder.sent / sendSpanSeconds, 2) : 0,
    servedRatePerSecond: elapsedSeconds > 0 ? round(recorder.served / elapsedSeconds, 2) : 0,
    latencyMs: {
      mean: ms(latency.mean()),
      p50: ms(latency.quantile(0.5)),
      p90: ms(latency.quantile(0.9)),
      p95: ms(latency.quantile(0.95)),
      p99: ms(latency.quantile(0.99)),
      p999: ms(latency.quantile(0.999)),
      max: latency.count > 0 ? ms(latency.maxMs) : null,
    },
    sendLagMs: {
      p50: ms(recorder.sendLag.quantile(0.5)),
      p99: ms(recorder.sendLag.quantile(0.99)),
      max: recorder.sendLag.count > 0 ? ms(recorder.sendLag.maxMs) : null,
    },
    statusCodes: sorted(recorder.statusCodes),
    errors: sorted(recorder.errors),
  };
}

/** One line naming the traffic, without anything secret (Prometheus URLs lose their credentials). */
export function describeSource(profile: TrafficProfile): string {
  const origin = profile.origin;
  if (origin.kind === 'synthetic') return `spike ${origin.spec}`;
  if (origin.kind === 'file') return `trace ${origin.path}`;
  const url = new URL(origin.baseUrl);
  return `prometheus ${url.protocol}//${url.host}${url.pathname}`;
}
