/**
 * The values the pipeline passes between its stages and to the report writers. Everything here is
 * plain and serialisable: `migrate report --from DIR` rebuilds the same model from the files a run
 * wrote, so a report never depends on which process (or which shard) computed it.
 */

import type { Verdict } from '../../analyzers/assess.ts';
import type { ConversionStatus } from '../../converters/types.ts';
import type { ReplayTargetId } from '../../loadtests/platforms/types.ts';

export const REPORT_SCHEMA_VERSION = 1;
export const SHARD_SCHEMA_VERSION = 1;

/** What the user asked for, recorded by every shard; shards of one run must agree on all of it. */
export interface RunSettings {
  inputs: string[];
  targets: ReplayTargetId[];
  /** Workload ids named with --workload, or null for every model server. */
  workloads: string[] | null;
  seed: number;
  /** Where the traffic came from, as the user gave it (--traffic FILE, --spike NAME, --prometheus URL). */
  traffic: string;
  /** The replay window as given (--window, --max-seconds), or null for the whole traffic. */
  window: string | null;
  /** Service time per request: the default and per-workload overrides (`--service-ms [ID=]DIST`). */
  serviceMs: { default: string | null; byWorkload: Record<string, string> };
  /** Other replay flags that change results, by flag name (pod-concurrency, timeout-ms, …). */
  replayFlags: Record<string, string>;
  /** Targets `migrate convert` wrote configs for (the serverless ones of `targets`). */
  convertTargets: string[];
}

/** `<out>/shards/<index>-of-<count>.json`: which workloads one shard ran, and where it put them. */
export interface ShardManifest {
  schemaVersion: number;
  tool: { name: 'migrate'; version: string };
  shard: { index: number; count: number };
  settings: RunSettings;
  /** Every workload of the whole run, in plan order (sorted ids), and the file each one's replay goes to. */
  plan: PlannedWorkload[];
  /** The ids this shard ran. */
  slice: string[];
}

export interface PlannedWorkload {
  id: string;
  /** Folder name of its outputs: `replay/<slug>.json`, `configs/<slug>/<target>/`. */
  slug: string;
}

/** One conversion the run wrote: `configs/<slug>/<target>/` and its status. */
export interface ConversionRef {
  workload: string;
  target: string;
  status: ConversionStatus;
  dir: string;
  reasons: string[];
}

/** `<out>/configs/<slug>/conversions.json` per workload; the report joins it with the replay. */
export interface WorkloadConversions {
  workload: string;
  conversions: ConversionRef[];
}

/** A row's verdict: the analysis' fit for the target, made worse by what the replay showed. */
export const ROW_VERDICTS = ['ok', 'warn', 'blocked', 'not-implemented', 'baseline'] as const;
export type RowVerdict = (typeof ROW_VERDICTS)[number];

/** One workload on one target: the numbers every format shows and every threshold reads. */
export interface ResultRow {
  workload: string;
  target: ReplayTargetId;
  status: 'ok' | 'blocked' | 'not-implemented';
  verdict: RowVerdict;
  /** Why the verdict is not ok (blocking findings, failed requests, a breached SLO). */
  reasons: string[];
  /** The analysis' verdict for the whole workload. */
  workloadVerdict: Verdict;
  /** The analysis' fit for a serverless target; null for kubernetes and knative. */
  fit: 'ok' | 'warn' | 'blocked' | null;
  /** The configs `convert` wrote for this target, relative to --out; null when none were asked for. */
  conversion: { status: ConversionStatus; dir: string } | null;
  requests: number | null;
  served: number | null;
  timeouts: number | null;
  throttles: number | null;
  drops: number | null;
  coldStarts: number | null;
  p50Ms: number | null;
  p90Ms: number | null;
  p99Ms: number | null;
  maxMs: number | null;
  /** p99 of the requests that arrived inside the spike; null without a spike. */
  spikeP99Ms: number | null;
  waitP99Ms: number | null;
  recoverySeconds: number | null;
  sloMs: number | null;
  instancesMax: number | null;
  nodesMax: number | null;
  gpuAllocatedHours: number | null;
  gpuBusyHours: number | null;
  gpuIdlePct: number | null;
  /** Cost of the replayed window. */
  costUsd: number | null;
  /** The window's cost scaled to a month of 730 h, as if the window repeated. */
  monthlyCostUsd: number | null;
  /** Some of the run's usage had no confirmed price: the cost is a lower bound, and no delta is computed. */
  costLowerBound: boolean;
  /** Against the kubernetes row of the same workload; null without one. */
  costDeltaUsd: number | null;
  costDeltaPct: number | null;
}

export interface ReportFinding {
  severity: 'block' | 'warn';
  workload: string;
  /** The target it concerns; null when it concerns the workload everywhere. */
  target: string | null;
  rule: string;
  message: string;
}

export interface ThresholdResult {
  expression: string;
  /** Rows for which it held, with the values of the fields it reads. */
  violations: { workload: string; target: string; values: Record<string, number | string | null> }[];
}

export interface BaselineChange {
  workload: string;
  target: string;
  change: 'added' | 'removed' | 'changed';
  verdict: { before: string | null; after: string | null };
  p99Ms: { before: number | null; after: number | null };
  monthlyCostUsd: { before: number | null; after: number | null; deltaUsd: number | null };
}

export interface WorkloadSummary {
  id: string;
  kind: string;
  verdict: Verdict;
  /** The replay JSON of this workload, relative to --out. */
  replayFile: string;
  traffic: {
    origin: string;
    requests: number;
    window: { startSeconds: number; endSeconds: number };
    spike: { startSeconds: number; endSeconds: number } | null;
  };
}

/** The report's JSON (`report.json`); docs/report.schema.json is its schema. */
export interface ReportJson {
  schemaVersion: number;
  tool: { name: 'migrate'; version: string };
  /** Only with --now: reports carry no clock otherwise, so the same inputs give the same bytes. */
  generatedAt?: string;
  settings: RunSettings;
  summary: {
    workloads: number;
    rows: number;
    verdicts: Record<RowVerdict, number>;
    /** Sum over workloads of each target's monthly cost (ok rows only). */
    monthlyCostUsdByTarget: Record<string, number>;
    thresholds: { checked: number; violated: number };
    passed: boolean;
  };
  workloads: WorkloadSummary[];
  results: ResultRow[];
  findings: ReportFinding[];
  thresholds: ThresholdResult[];
  baseline: { changes: BaselineChange[] } | null;
}
