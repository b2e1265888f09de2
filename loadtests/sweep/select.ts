/**
 * The sweep's verdict: one row per setting from its replay run, and the winner — the cheapest
 * setting whose p99 is within the SLO and whose error rate is within the budget. Pure.
 */

import type { OkRun } from '../engine/result.ts';

export interface SweepRow {
  value: number;
  latencyMs: { p99: number | null };
  /** p99 of requests that arrived in the spike; null when the traffic has no spike. */
  spikeP99Ms: number | null;
  coldStarts: number;
  /** Share of requests not served: timed out + throttled + dropped, over all requests. */
  errorRate: number;
  costUsd: number;
  /** Some usage had no confirmed price: `costUsd` is a lower bound (printed as ≥). */
  costLowerBound?: true;
  meetsSlo: boolean;
}

export interface SweepCriteria {
  sloP99Ms: number;
  /** Largest acceptable error rate (a fraction, 0.01 = 1 %). */
  errorBudget: number;
}

export function sweepRow(value: number, run: OkRun, criteria: SweepCriteria): SweepRow {
  const { requests } = run;
  const failed = requests.timedOut + requests.throttled + requests.dropped;
  const errorRate = requests.total > 0 ? failed / requests.total : 0;
  const p99 = run.latencyMs.p99;
  return {
    value,
    latencyMs: { p99 },
    spikeP99Ms: run.spikeLatencyMs?.p99 ?? null,
    coldStarts: run.coldStarts,
    errorRate,
    costUsd: run.cost.totalUsd,
    ...(run.cost.lowerBound ? { costLowerBound: true as const } : {}),
    // A run that served nothing has no p99, and cannot be said to meet a latency SLO.
    meetsSlo: p99 !== null && p99 <= criteria.sloP99Ms && errorRate <= criteria.errorBudget,
  };
}

/** The cheapest row that meets the SLO; equal costs go to the smaller setting. Null when none does. */
export function pickBest(rows: readonly SweepRow[]): SweepRow | null {
  return [...rows].filter((row) => row.meetsSlo).sort(byCostThenValue)[0] ?? null;
}

/**
 * When nothing meets the SLO, the setting that came nearest: within the error budget if any is
 * (errors are the worse failure), then the lowest p99, then the cheapest.
 */
export function pickClosest(rows: readonly SweepRow[], criteria: SweepCriteria): SweepRow | null {
  const p99 = (row: SweepRow) => row.latencyMs.p99 ?? Number.POSITIVE_INFINITY;
  const overBudget = (row: SweepRow) => (row.errorRate <= criteria.errorBudget ? 0 : 1);
  return (
    [...rows].sort(
      (a, b) =>
        overBudget(a) - overBudget(b) ||
        (overBudget(a) === 1 ? a.errorRate - b.errorRate : 0) ||
        p99(a) - p99(b) ||
        byCostThenValue(a, b),
    )[0] ?? null
  );
}

/**
 * Fully priced settings first: a lower bound is not a cost, and a setting must not win because part of
 * what it would bill has no confirmed price.
 */
function byCostThenValue(a: SweepRow, b: SweepRow): number {
  return (
    Number(a.costLowerBound ?? false) - Number(b.costLowerBound ?? false) ||
    a.costUsd - b.costUsd ||
    a.value - b.value
  );
}
