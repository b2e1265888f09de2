/**
 * Count rows (a count per step, with or without a time) into a fixed-step series. Rows off the step
 * grid are bad rows; rows sharing a step are added; steps without a row are gaps, not zeros.
 */

import { MigrateError } from '../../../core/errors.ts';
import type { RateSeries } from '../../../core/traffic/profile.ts';
import type { BadRowLog, CountRows } from './accumulate.ts';

export interface CountSeriesResult {
  series: RateSeries;
  /** Rows turned into bad rows here (off the grid). */
  rejected: number;
  outOfOrder: number;
  warnings: string[];
}

interface CountContext {
  stepSeconds: number | null;
  timeBase: RateSeries['timeBase'];
  file: string;
  bad: BadRowLog;
}

export function countSeries(rows: CountRows, context: CountContext): CountSeriesResult {
  const times = rows.times.view();
  const counts = rows.counts.view();
  if (Number.isNaN(times[0]!)) {
    const series: RateSeries = {
      startMs: 0,
      timeBase: 'relative',
      stepSeconds: context.stepSeconds!,
      requests: Array.from(counts),
      missingSteps: [],
    };
    return { series, rejected: 0, outOfOrder: 0, warnings: [] };
  }
  const order = new Uint32Array(times.length).map((_, i) => i).sort((a, b) => times[a]! - times[b]! || a - b);
  let outOfOrder = 0;
  for (let i = 1; i < times.length; i++) if (times[i]! < times[i - 1]!) outOfOrder += 1;
  const stepMs = (context.stepSeconds ?? inferStepSeconds(times, order, context.file)) * 1000;
  const firstMs = times[order[0]!]!;
  const lastMs = times[order[order.length - 1]!]!;
  const size = Math.round((lastMs - firstMs) / stepMs) + 1;
  const requests = new Array<number>(size).fill(0);
  const seen = new Uint8Array(size);
  let rejected = 0;
  let shared = 0;
  for (const i of order) {
    const position = (times[i]! - firstMs) / stepMs;
    const index = Math.round(position);
    if (Math.abs(position - index) > 1e-6) {
      rejected += 1;
      context.bad.add(context.file, rows.lines[i]!, `time is not on the ${stepMs / 1000}-s step grid`);
      continue;
    }
    if (seen[index]) shared += 1;
    seen[index] = 1;
    requests[index]! += counts[i]!;
  }
  const missingSteps: number[] = [];
  for (let i = 0; i < size; i++) if (!seen[i]) missingSteps.push(i);
  const warnings: string[] = [];
  if (shared > 0) warnings.push(`${shared} rows share a step with another row: their counts were added`);
  if (missingSteps.length > 0)
    warnings.push(`${missingSteps.length} steps have no row: treated as gaps, not zeros`);
  const series: RateSeries = {
    startMs: firstMs,
    timeBase: context.timeBase,
    stepSeconds: stepMs / 1000,
    requests,
    missingSteps,
  };
  return { series, rejected, outOfOrder, warnings };
}

/** The smallest positive distance between consecutive times: the step the file was written at. */
function inferStepSeconds(times: Float64Array, order: Uint32Array, file: string): number {
  let best = Number.POSITIVE_INFINITY;
  for (let k = 1; k < order.length; k++) {
    const gap = times[order[k]!]! - times[order[k - 1]!]!;
    if (gap > 0 && gap < best) best = gap;
  }
  if (!Number.isFinite(best)) {
    throw new MigrateError(`${file}: cannot infer the step from a single time; pass --step SECONDS`);
  }
  return best / 1000;
}
