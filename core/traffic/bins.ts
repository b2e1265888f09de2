/**
 * Binning: arrivals into fixed steps, and a series from one step to another. Pure functions on
 * numbers; the statistics and the readers share them so that both count the same way.
 */

import type { RateSeries } from './profile.ts';

/**
 * Count sorted arrival offsets (ms) into `binCount` bins of `stepMs` starting at `originMs`.
 * Arrivals outside the bins are ignored (the caller sizes the bins to cover them).
 */
export function binArrivals(
  offsetsMs: ArrayLike<number>,
  originMs: number,
  stepMs: number,
  binCount: number,
) {
  const bins = new Array<number>(binCount).fill(0);
  for (let i = 0; i < offsetsMs.length; i++) {
    const index = Math.floor((offsetsMs[i]! - originMs) / stepMs);
    if (index >= 0 && index < binCount) bins[index]! += 1;
  }
  return bins;
}

/** Bins of `stepMs` needed to hold arrivals from `firstMs` to `lastMs` inclusive. */
export function binCountFor(firstMs: number, lastMs: number, stepMs: number): number {
  return Math.floor((lastMs - firstMs) / stepMs) + 1;
}

export interface Rebinned {
  /** Requests per target step; NaN where every source step under it was missing. */
  values: number[];
}

/**
 * Re-express a series at another step, spreading each source step uniformly over its interval.
 *
 * Integer ratios (1 s → 60 s) sum exactly. A target step partly covered by missing source steps is
 * scaled up by the share that has data, so a gap lowers confidence rather than the count; a target
 * step with no data at all is NaN. `binCount` truncates or pads the result (padding is NaN).
 */
export function rebin(series: RateSeries, targetStepSeconds: number, binCount?: number): Rebinned {
  const source = series.stepSeconds;
  const sourceCount = series.requests.length;
  const count = binCount ?? Math.ceil((sourceCount * source) / targetStepSeconds - 1e-9);
  const sums = new Array<number>(count).fill(0);
  const coveredSeconds = new Array<number>(count).fill(0);
  const spannedSeconds = new Array<number>(count).fill(0);
  const missing = new Set(series.missingSteps);

  for (let i = 0; i < sourceCount; i++) {
    const from = i * source;
    const to = from + source;
    let j = Math.floor(from / targetStepSeconds + 1e-9);
    while (j < count && j * targetStepSeconds < to - 1e-9) {
      const overlap = Math.min(to, (j + 1) * targetStepSeconds) - Math.max(from, j * targetStepSeconds);
      if (overlap > 0) {
        spannedSeconds[j]! += overlap;
        if (!missing.has(i)) {
          coveredSeconds[j]! += overlap;
          sums[j]! += (series.requests[i]! * overlap) / source;
        }
      }
      j += 1;
    }
  }

  const values = sums.map((sum, j) => {
    const covered = coveredSeconds[j]!;
    if (covered <= 0) return Number.NaN;
    const spanned = spannedSeconds[j]!;
    return covered >= spanned - 1e-9 ? sum : (sum * spanned) / covered;
  });
  return { values };
}

/** A series of the given step from a dense array of counts, with no gaps. */
export function seriesFromCounts(
  requests: number[],
  stepSeconds: number,
  startMs: number,
  timeBase: RateSeries['timeBase'],
): RateSeries {
  return { startMs, timeBase, stepSeconds, requests, missingSteps: [] };
}
