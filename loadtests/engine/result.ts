/**
 * The result of `migrate replay` — a plain, serialisable value; docs/replay.md documents it field by
 * field. Adding fields keeps `schemaVersion`; changing or removing one bumps it.
 */

import type { Assumption, CostLine, ReplayTargetId } from '../platforms/types.ts';
import type { ArrivalMode } from '../traffic/arrivals.ts';
import type { TimelineJson } from './timeline.ts';

export const REPLAY_SCHEMA_VERSION = 1;

export interface LatencySummary {
  mean: number | null;
  p50: number | null;
  p90: number | null;
  p95: number | null;
  p99: number | null;
  p999: number | null;
  max: number | null;
}

export interface RequestCounts {
  total: number;
  served: number;
  timedOut: number;
  throttled: number;
  dropped: number;
}

export interface OkRun {
  target: ReplayTargetId;
  title: string;
  status: 'ok';
  requests: RequestCounts;
  /** Instances (pods, execution environments) started during the run, beyond those warm at the start. */
  coldStarts: number;
  /** Requests that waited for an instance that was still starting when they arrived. */
  coldStartWaits: { requests: number; share: number };
  latencyMs: LatencySummary;
  /** Served requests that arrived inside the spike; null when the traffic has no spike. */
  spikeLatencyMs: LatencySummary | null;
  /** Time queued before service, over requests that started service. */
  waitMs: { mean: number | null; p99: number | null };
  recovery: { sloMs: number; seconds: number | null; exceededSlo: boolean } | null;
  instances: { max: number; meanReady: number };
  nodes: { max: number };
  gpu: {
    allocatedSeconds: number;
    podSeconds: number;
    busySeconds: number;
    idleFraction: number;
    idleCostUsd: number;
  } | null;
  /** `lowerBound`: some usage had no confirmed price and is left out of the total (see notes). */
  cost: { totalUsd: number; lines: CostLine[]; lowerBound?: boolean };
  /** Moments the model recorded, in seconds from the start: first scale-up, first new node ready… */
  milestones: Record<string, number>;
  littlesLaw: {
    meanInSystem: number;
    throughputPerSecond: number;
    meanTimeInSystemMs: number;
    relativeError: number;
  };
  simulatedSeconds: number;
  assumptions: Assumption[];
  notes: string[];
  timeline: TimelineJson;
}

export interface SkippedRun {
  target: ReplayTargetId;
  title: string;
  status: 'not-implemented' | 'blocked';
  reasons: string[];
}

export type RunResult = OkRun | SkippedRun;

export interface ReplayReport {
  schemaVersion: number;
  tool: { name: 'migrate'; version: string };
  workload: { id: string; kind: string; sources: string[] };
  traffic: {
    origin: string;
    mode: ArrivalMode;
    window: { startSeconds: number; endSeconds: number };
    requests: number;
    spike: {
      startSeconds: number;
      endSeconds: number;
      thresholdRequestsPerMinute: number;
      peakRequestsPerMinute: number;
    } | null;
    warnings: string[];
  };
  settings: {
    seed: number;
    timeoutMs: number;
    sloMs: number | null;
    serviceTime: string;
    lb: string;
    targets: ReplayTargetId[];
  };
  runs: RunResult[];
}
