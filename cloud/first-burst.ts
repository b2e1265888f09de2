/**
 * Cold starts from client-side timings, for platforms that report none per request (Cloud Run, Azure
 * Functions): the first burst after idle meets new instances, the later bursts the instances it
 * started. A first-burst request counts as cold only when it was slower than every warm request —
 * a service that had not scaled to zero answers its first burst as fast as the rest, and subtracting
 * would turn network jitter into millisecond "cold starts". Pure.
 */

export interface FirstBurstResult {
  /** Per cold request: its time minus the warm median. */
  coldStartMs: number[];
  /** The warm median subtracted, or null without a warm request. */
  warmMedianMs: number | null;
  /** One clause for the method sentence: what was counted and why. */
  note: string;
}

const round3 = (value: number) => Math.round(value * 1000) / 1000;

export function coldStartsFromFirstBurst(
  firstMs: readonly number[],
  warmMs: readonly number[],
): FirstBurstResult {
  const median = medianOf(warmMs);
  if (median === null)
    return {
      coldStartMs: [],
      warmMedianMs: null,
      note: `no later request succeeded to give a warm median, so the first burst's ${firstMs.length} request(s) could not be turned into cold starts: send more requests than --concurrency`,
    };
  const slowestWarm = Math.max(...warmMs);
  const cold = firstMs.filter((ms) => ms > slowestWarm);
  const left = firstMs.length - cold.length;
  const base = `each cold start is a first-burst request's time minus the warm median ${round3(median)} ms`;
  const note =
    cold.length === 0
      ? `no first-burst request was slower than the slowest warm one (${round3(slowestWarm)} ms): the service was probably not at zero, so no cold start is recorded`
      : left > 0
        ? `${base}; ${left} of the ${firstMs.length} first-burst request(s) were no slower than the slowest warm one (${round3(slowestWarm)} ms) and are not counted: they probably met a warm instance`
        : base;
  return { coldStartMs: cold.map((ms) => round3(ms - median)), warmMedianMs: median, note };
}

export function medianOf(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
