/**
 * Assembling a TrafficProfile from what a source produced, and its JSON summary.
 */

import type {
  LatencyDistribution,
  ObservedCluster,
  RateSeries,
  TrafficOrigin,
  TrafficProfile,
} from './profile.ts';
import { computeTrafficStats, type StatsInput, statBins, type TrafficStats } from './stats.ts';

export interface ProfileParts {
  series: RateSeries;
  arrivalOffsetsMs?: number[];
  serviceTimesMs?: (number | null)[];
  /** First/last request (ms after series.startMs) when arrivals were counted but not kept. */
  span?: StatsInput['span'];
  latency?: LatencyDistribution | null;
  origin: TrafficOrigin;
  cluster?: ObservedCluster;
  warnings?: string[];
}

/** Build the profile and compute its statistics once. */
export function buildTrafficProfile(parts: ProfileParts): TrafficProfile {
  const stats = computeTrafficStats({
    series: parts.series,
    ...(parts.arrivalOffsetsMs ? { arrivalOffsetsMs: parts.arrivalOffsetsMs } : {}),
    ...(parts.span ? { span: parts.span } : {}),
  });
  const profile: TrafficProfile = {
    series: parts.series,
    latency: parts.latency ?? null,
    origin: parts.origin,
    stats,
    warnings: parts.warnings ?? [],
  };
  if (parts.arrivalOffsetsMs) profile.arrivalOffsetsMs = parts.arrivalOffsetsMs;
  if (parts.serviceTimesMs) profile.serviceTimesMs = parts.serviceTimesMs;
  if (parts.cluster) profile.cluster = parts.cluster;
  return profile;
}

/**
 * The requests per statistics bin (1-minute bins from the first request, or the series' own step
 * when coarser); NaN marks a gap. This is what the `peak/mean` and `largest increase` are read from.
 */
export function statisticsBins(profile: TrafficProfile): { resolutionSeconds: number; requests: number[] } {
  const input: StatsInput = { series: profile.series };
  if (profile.arrivalOffsetsMs) input.arrivalOffsetsMs = profile.arrivalOffsetsMs;
  const bins = statBins(input);
  return { resolutionSeconds: bins.resolutionSeconds, requests: bins.values };
}

/** Quantiles by nearest rank over the per-request durations that are known. */
export function latencyFromServiceTimes(
  serviceTimesMs: readonly (number | null)[],
  source: string,
): LatencyDistribution | null {
  const known = serviceTimesMs.filter((v): v is number => v !== null && Number.isFinite(v));
  if (known.length === 0) return null;
  const sorted = Float64Array.from(known).sort();
  const rank = (q: number) =>
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
  let total = 0;
  for (const v of sorted) total += v;
  return {
    p50Ms: rank(0.5),
    p90Ms: rank(0.9),
    p95Ms: rank(0.95),
    p99Ms: rank(0.99),
    meanMs: total / sorted.length,
    samples: sorted.length,
    source,
  };
}

export interface TrafficStatsJson {
  requests: number;
  durationSeconds: number;
  meanRatePerSecond: number;
  peakRatePerSecond1m: number;
  peakToMean1m: number;
  largestIncreasePerMinute: number;
  idleFraction: number;
  belowTenPercentOfPeakFraction: number;
  label: TrafficStats['label'];
  labelReason: string;
  resolutionSeconds: number;
  peakRequestsPerMinute: number;
  peakRequestsIn1s: number | null;
  bursts: { count: number; lengthsSeconds: number[]; thresholdRequestsPerMinute: number };
  missingFraction: number;
  source: string;
}

/**
 * The statistics as a small, stable JSON object (numbers rounded so outputs diff cleanly). The bins
 * are 1-minute bins starting at the first request; `resolutionSeconds` says when they are coarser.
 */
export function trafficStatsJson(profile: TrafficProfile): TrafficStatsJson {
  const s = profile.stats;
  return {
    requests: round(s.requests, 2),
    durationSeconds: round(s.durationSeconds, 3),
    meanRatePerSecond: round(s.meanRatePerSecond, 4),
    peakRatePerSecond1m: round(s.peakRatePerSecond1m, 4),
    peakToMean1m: round(s.peakToMean1m, 4),
    largestIncreasePerMinute: round(s.largestIncreasePerMinute, 2),
    idleFraction: round(s.idleFraction, 4),
    belowTenPercentOfPeakFraction: round(s.belowTenPercentOfPeakFraction, 4),
    label: s.label,
    labelReason: s.labelReason,
    resolutionSeconds: s.resolutionSeconds,
    peakRequestsPerMinute: round(s.peakRequestsPerMinute, 2),
    peakRequestsIn1s: s.peakRequestsIn1s,
    bursts: {
      count: s.bursts.count,
      lengthsSeconds: s.bursts.lengthsSeconds,
      thresholdRequestsPerMinute: round(s.bursts.thresholdRequestsPerMinute, 2),
    },
    missingFraction: round(s.missingFraction, 4),
    source: describeOrigin(profile.origin),
  };
}

export function describeOrigin(origin: TrafficOrigin): string {
  switch (origin.kind) {
    case 'file':
      return `${origin.path} (${origin.format}, ${origin.dataRows} rows, ${origin.badRows} bad)`;
    case 'prometheus':
      return `${origin.baseUrl} ${origin.queries.find((q) => q.status === 'data')?.name ?? 'no data'}`;
    case 'synthetic':
      return `synthetic ${origin.spec} seed=${origin.seed}`;
  }
}

function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}
