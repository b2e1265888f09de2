import type { RangeQuery, RangeSeries } from './client.ts';

/** A series sampled on the window's grid: value per evaluation time, NaN where no point came back. */
export interface GridValues {
  values: number[];
  nonFinite: number;
}

/** Evaluation times are start + (i + 1)·step; the value at a time covers the step that ends there. */
export function onGrid(series: RangeSeries[], window: RangeQuery): GridValues {
  const count = Math.round((window.endSeconds - window.startSeconds) / window.stepSeconds);
  const values = new Array<number>(count).fill(Number.NaN);
  let nonFinite = 0;
  for (const one of series) {
    for (const [t, v] of one.points) {
      const index = Math.round((t - window.startSeconds) / window.stepSeconds) - 1;
      if (index < 0 || index >= count) continue;
      if (!Number.isFinite(v)) {
        nonFinite += 1;
        continue;
      }
      // Several series (a query without sum()) add up; a NaN slot becomes the first value.
      values[index] = Number.isNaN(values[index]!) ? v : values[index]! + v;
    }
  }
  return { values, nonFinite };
}
