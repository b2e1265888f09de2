/**
 * Burstiness statistics of a traffic profile, computed the way `corpus/traces/SOURCES.md` defines
 * them, so the figures there are test vectors:
 *
 * - duration = last request − first request (per-request sources), or the covered steps × step;
 * - requests are counted in 1-minute bins starting at the first request (the last bin is usually
 *   partial and still counts as a bin);
 * - peak/mean = largest bin / mean bin; largest increase = max(bin[i+1] − bin[i]).
 *
 * A series coarser than a minute (ServeGen's 600-s windows) is not split into invented minutes: its
 * statistics use its own step (`resolutionSeconds`) and per-minute figures are bin ÷ (step / 60).
 */

import { binArrivals, binCountFor, rebin } from './bins.ts';
import type { RateSeries } from './profile.ts';

/** The thresholds behind `label`; docs/traffic.md explains them. */
export const LABEL_THRESHOLDS = {
  /** At least this share of bins with zero requests: `mostly-idle`. */
  mostlyIdleFraction: 0.5,
  /** Otherwise a peak bin at least this many times the mean bin: `spiky`. */
  spikyPeakToMean: 3,
  /** A burst is a run of bins at or above this multiple of the mean bin. */
  burstFactor: 2,
  /** `belowTenPercentOfPeakFraction` counts bins under this share of the peak bin. */
  lowShareOfPeak: 0.1,
} as const;

export type TrafficLabel = 'spiky' | 'steady' | 'mostly-idle';

export interface TrafficStats {
  durationSeconds: number;
  /** Total requests (expected count, so possibly fractional, for rate sources). */
  requests: number;
  meanRatePerSecond: number;
  /** Bin width of the statistics below: 60, or the series step when it is coarser. */
  resolutionSeconds: number;
  /** Bins with data. */
  bins: number;
  /** Share of bins with no data (Prometheus gaps); 0 for files. */
  missingFraction: number;
  peakRequestsPerMinute: number;
  peakRatePerSecond1m: number;
  peakToMean1m: number;
  largestIncreasePerMinute: number;
  idleFraction: number;
  belowTenPercentOfPeakFraction: number;
  bursts: { count: number; lengthsSeconds: number[]; thresholdRequestsPerMinute: number };
  /** Largest count in a 1-s bin (bins from the first request), when per-second data exists. */
  peakRequestsIn1s: number | null;
  label: TrafficLabel;
  labelReason: string;
}

export interface StatsInput {
  series: RateSeries;
  /** Sorted arrival offsets in ms after `series.startMs`. */
  arrivalOffsetsMs?: ArrayLike<number>;
  /** First and last request (ms after `series.startMs`) when arrivals were not kept. */
  span?: { firstOffsetMs: number; lastOffsetMs: number };
}

interface StatBins {
  /** Requests per bin, NaN where missing. */
  values: number[];
  resolutionSeconds: number;
  durationSeconds: number;
  requests: number;
  peakRequestsIn1s: number | null;
}

/** The bins the statistics are computed on (1-minute bins from the first request, when possible). */
export function statBins(input: StatsInput): StatBins {
  const { series, arrivalOffsetsMs: arrivals, span } = input;
  if (arrivals && arrivals.length > 0) {
    const first = arrivals[0]!;
    const last = arrivals[arrivals.length - 1]!;
    const seconds = binArrivals(arrivals, first, 1000, binCountFor(first, last, 1000));
    return {
      values: binArrivals(arrivals, first, 60_000, binCountFor(first, last, 60_000)),
      resolutionSeconds: 60,
      durationSeconds: (last - first) / 1000,
      requests: arrivals.length,
      peakRequestsIn1s: maxOf(seconds),
    };
  }
  const requests = sumPresent(series);
  if (span && series.stepSeconds <= 60) {
    const count = binCountFor(span.firstOffsetMs, span.lastOffsetMs, 60_000);
    return {
      values: rebin(series, 60, count).values.map((v) => (Number.isNaN(v) ? 0 : v)),
      resolutionSeconds: 60,
      durationSeconds: (span.lastOffsetMs - span.firstOffsetMs) / 1000,
      requests,
      peakRequestsIn1s: series.stepSeconds === 1 ? maxOf(series.requests) : null,
    };
  }
  const resolutionSeconds = Math.max(60, series.stepSeconds);
  const presentSteps = series.requests.length - new Set(series.missingSteps).size;
  return {
    values: rebin(series, resolutionSeconds).values,
    resolutionSeconds,
    durationSeconds: presentSteps * series.stepSeconds,
    requests,
    peakRequestsIn1s:
      series.stepSeconds === 1 && series.missingSteps.length === 0 ? maxOf(series.requests) : null,
  };
}

export function computeTrafficStats(input: StatsInput): TrafficStats {
  const bins = statBins(input);
  const present = bins.values.filter((v) => !Number.isNaN(v));
  const perMinute = bins.resolutionSeconds / 60;
  const meanBin = present.length > 0 ? sum(present) / present.length : 0;
  const peakBin = maxOf(present);
  const idle = present.filter((v) => v === 0).length;
  const low = present.filter((v) => v < LABEL_THRESHOLDS.lowShareOfPeak * peakBin).length;
  const peakToMean = meanBin > 0 ? peakBin / meanBin : 0;
  const idleFraction = present.length > 0 ? idle / present.length : 1;
  const burstThreshold = LABEL_THRESHOLDS.burstFactor * meanBin;
  const lengths = burstRuns(bins.values, burstThreshold).map((n) => n * bins.resolutionSeconds);
  const { label, labelReason } = classify(bins.requests, idleFraction, peakToMean);
  return {
    durationSeconds: bins.durationSeconds,
    requests: bins.requests,
    meanRatePerSecond: meanRate(bins),
    resolutionSeconds: bins.resolutionSeconds,
    bins: present.length,
    missingFraction: bins.values.length > 0 ? (bins.values.length - present.length) / bins.values.length : 0,
    peakRequestsPerMinute: peakBin / perMinute,
    peakRatePerSecond1m: peakBin / bins.resolutionSeconds,
    peakToMean1m: peakToMean,
    largestIncreasePerMinute: largestIncrease(bins.values) / perMinute,
    idleFraction,
    belowTenPercentOfPeakFraction: present.length > 0 ? low / present.length : 1,
    bursts: {
      count: lengths.length,
      lengthsSeconds: lengths,
      thresholdRequestsPerMinute: burstThreshold / perMinute,
    },
    peakRequestsIn1s: bins.peakRequestsIn1s,
    label,
    labelReason,
  };
}

function meanRate(bins: StatBins): number {
  if (bins.requests === 0) return 0;
  // A single instant (one request, or all at one timestamp) has no duration: spread it over one bin.
  return bins.durationSeconds > 0
    ? bins.requests / bins.durationSeconds
    : bins.requests / bins.resolutionSeconds;
}

function classify(requests: number, idleFraction: number, peakToMean: number) {
  const t = LABEL_THRESHOLDS;
  if (requests === 0) return { label: 'mostly-idle' as const, labelReason: 'no requests at all' };
  if (idleFraction >= t.mostlyIdleFraction) {
    const reason = `${pct(idleFraction)} of bins have no requests (≥ ${pct(t.mostlyIdleFraction)})`;
    return { label: 'mostly-idle' as const, labelReason: reason };
  }
  if (peakToMean >= t.spikyPeakToMean) {
    const reason = `peak/mean ${peakToMean.toFixed(2)} ≥ ${t.spikyPeakToMean}`;
    return { label: 'spiky' as const, labelReason: reason };
  }
  const reason = `peak/mean ${peakToMean.toFixed(2)} < ${t.spikyPeakToMean} and ${pct(idleFraction)} idle`;
  return { label: 'steady' as const, labelReason: reason };
}

function pct(fraction: number): string {
  return `${(fraction * 100).toFixed(1)} %`;
}

/** Lengths (in bins) of maximal runs at or above the threshold; a missing bin ends a run. */
function burstRuns(values: number[], threshold: number): number[] {
  const runs: number[] = [];
  let run = 0;
  for (const v of values) {
    if (!Number.isNaN(v) && v > 0 && v >= threshold) run += 1;
    else if (run > 0) {
      runs.push(run);
      run = 0;
    }
  }
  if (run > 0) runs.push(run);
  return runs;
}

function largestIncrease(values: number[]): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) {
    const rise = values[i]! - values[i - 1]!;
    if (rise > best) best = rise; // NaN (a gap on either side) never compares greater
  }
  return best;
}

function sumPresent(series: RateSeries): number {
  const missing = new Set(series.missingSteps);
  let total = 0;
  for (let i = 0; i < series.requests.length; i++) if (!missing.has(i)) total += series.requests[i]!;
  return total;
}

function sum(values: number[]): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}

function maxOf(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 0; i < values.length; i++) if (values[i]! > best) best = values[i]!;
  return best;
}
