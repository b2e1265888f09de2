/** The sweep's result as data: what was swept, one row per setting, the winner (or the nearest miss). */

import type { SweepCriteria, SweepRow } from './select.ts';
import { pickBest, pickClosest } from './select.ts';
import type { SweepSpec } from './spec.ts';

export const SWEEP_SCHEMA_VERSION = 1;

export interface SweepReport {
  schemaVersion: typeof SWEEP_SCHEMA_VERSION;
  sweep: SweepSpec & { sloP99Ms: number; errorBudget: number };
  results: SweepRow[];
  /** The cheapest setting meeting the SLO and the error budget; null when none does. */
  best: { value: number; costUsd: number; costLowerBound?: true } | null;
  /** Only when `best` is null: the setting that came nearest, so the reader knows where to look next. */
  closest: { value: number; costUsd: number; costLowerBound?: true } | null;
}

export function buildSweepReport(spec: SweepSpec, criteria: SweepCriteria, rows: SweepRow[]): SweepReport {
  const best = pickBest(rows);
  const closest = best ? null : pickClosest(rows, criteria);
  const brief = (row: SweepRow | null) =>
    row
      ? {
          value: row.value,
          costUsd: row.costUsd,
          ...(row.costLowerBound ? { costLowerBound: true as const } : {}),
        }
      : null;
  return {
    schemaVersion: SWEEP_SCHEMA_VERSION,
    sweep: { ...spec, sloP99Ms: criteria.sloP99Ms, errorBudget: criteria.errorBudget },
    results: rows,
    best: brief(best),
    closest: brief(closest),
  };
}
