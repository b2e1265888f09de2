/**
 * TrafficProfile: the one shape every traffic source (trace file, Prometheus history, synthetic
 * spike) becomes, and that the assessor, the converters' cold-start sizing and the simulator read.
 *
 * It is a plain serialisable value. Statistics are computed once, when the profile is built
 * (`buildTrafficProfile`), so every consumer sees the same numbers.
 */

import type { TrafficStats } from './stats.ts';

/** `epoch`: times are ms since the Unix epoch (UTC). `relative`: ms since the trace's own origin. */
export type TimeBase = 'epoch' | 'relative';

/** Requests counted at a fixed step. */
export interface RateSeries {
  /** Start of step 0, in ms (see `timeBase`). */
  startMs: number;
  timeBase: TimeBase;
  stepSeconds: number;
  /**
   * Requests in each step, `[startMs + i·step, startMs + (i+1)·step)`. Fractional when the source
   * gives rates (ServeGen windows, Prometheus `increase()`): these are expected counts.
   */
  requests: number[];
  /**
   * Ascending indexes of steps with no data (a Prometheus gap). Their `requests` entry is 0 but they
   * are excluded from every statistic: a gap is not idle time.
   */
  missingSteps: number[];
}

export interface LatencyDistribution {
  p50Ms: number | null;
  p90Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  meanMs: number | null;
  /** Per-request durations it was computed from, or null for a histogram estimate. */
  samples: number | null;
  /** `per-request durations (file:column)` or the PromQL it came from. */
  source: string;
}

export interface BadRow {
  /** 1-based line number in the file. */
  line: number;
  reason: string;
}

export interface FileOrigin {
  kind: 'file';
  /** The file or folder read. */
  path: string;
  format: 'csv' | 'tsv' | 'jsonl' | 'counts' | 'servegen';
  /** Files read (one, or each client file of a ServeGen folder). */
  files: string[];
  /** Lines read, including the header and blank lines. */
  lines: number;
  /** Rows that became data. */
  dataRows: number;
  /** Rows that could not be used: always counted; the first `badRowSamples` are kept with line numbers. */
  badRows: number;
  badRowSamples: (BadRow & { file: string })[];
  /** Rows whose timestamp was earlier than the row before (they are sorted into place, not dropped). */
  outOfOrderRows: number;
  columns: { time: string | null; count: string | null; duration: string | null };
  timeFormat: string | null;
  durationUnit: string | null;
  /** A recognised public trace layout (`azure-llm`, `mooncake`, `servegen`…), when one matched. */
  schema: string | null;
}

export interface PrometheusQueryRecord {
  /** Preset or override name (`requests:istio`, `replicas`, …). */
  name: string;
  promql: string;
  /** `data`, or `no-data` when the query returned no series: nothing is invented in its place. */
  status: 'data' | 'no-data';
  /** Series returned and points across them. */
  series: number;
  points: number;
}

export interface PrometheusOrigin {
  kind: 'prometheus';
  baseUrl: string;
  startMs: number;
  endMs: number;
  stepSeconds: number;
  /** The queries that were run, in order, with what each returned. */
  queries: PrometheusQueryRecord[];
  /** Fraction of the window's steps that have request data. */
  coverage: number;
}

export interface SyntheticOrigin {
  kind: 'synthetic';
  spec: string;
  seed: number;
}

export type TrafficOrigin = FileOrigin | PrometheusOrigin | SyntheticOrigin;

/** A gauge over time at the same step as the request series (replicas, GPUs, CPU cores). */
export interface GaugeSeries {
  startMs: number;
  stepSeconds: number;
  /** null where the query had no point. */
  values: (number | null)[];
  query: string;
}

/** What the cluster did over the profile's window, when Prometheus had the metrics. */
export interface ObservedCluster {
  replicas: GaugeSeries | null;
  cpuCores: GaugeSeries | null;
  gpusAllocated: GaugeSeries | null;
  /** Sum over GPUs of utilisation / 100: how many GPUs' worth of work was being done. */
  gpusBusy: GaugeSeries | null;
  /** Requests being served at each step (vLLM `num_requests_running`), when exported. */
  inFlightRequests: GaugeSeries | null;
  gpu: {
    allocatedGpuSeconds: number;
    busyGpuSeconds: number;
    idleGpuSeconds: number;
    /** idle / allocated; null when nothing was allocated. */
    idleFraction: number | null;
  } | null;
  replicaStats: { min: number; max: number; mean: number } | null;
}

export interface TrafficProfile {
  series: RateSeries;
  /**
   * Arrival times in ms after `series.startMs`, ascending. Present when the source has individual
   * requests and they were kept (a trace file read with `keepArrivals`, a synthetic profile).
   */
  arrivalOffsetsMs?: number[];
  /** Per-request service time in ms, aligned with `arrivalOffsetsMs`; null where a row had none. */
  serviceTimesMs?: (number | null)[];
  latency: LatencyDistribution | null;
  origin: TrafficOrigin;
  cluster?: ObservedCluster;
  stats: TrafficStats;
  /** Things the reader noticed that a reviewer should know (gaps, resets, bad rows). */
  warnings: string[];
}
