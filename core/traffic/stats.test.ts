import { describe, expect, it } from 'vitest';
import { rebin } from './bins.ts';
import { buildTrafficProfile, latencyFromServiceTimes, statisticsBins, trafficStatsJson } from './build.ts';
import type { RateSeries } from './profile.ts';
import { computeTrafficStats, LABEL_THRESHOLDS } from './stats.ts';

const series = (requests: number[], stepSeconds: number, missingSteps: number[] = []): RateSeries => ({
  startMs: 0,
  timeBase: 'relative',
  stepSeconds,
  requests,
  missingSteps,
});

describe('computeTrafficStats from arrivals', () => {
  it('counts 1-minute bins from the first request, the partial last bin included', () => {
    // 3 requests in minute 0, none in minute 1, 6 in minute 2 (which ends 30 s in).
    const arrivals = [0, 10_000, 59_999, 120_000, 121_000, 122_000, 130_000, 140_000, 150_000].map(
      (ms) => ms + 5000,
    );

    const stats = computeTrafficStats({ series: series([], 1), arrivalOffsetsMs: arrivals });

    expect(stats).toMatchObject({
      requests: 9,
      durationSeconds: 150,
      meanRatePerSecond: 9 / 150,
      resolutionSeconds: 60,
      bins: 3,
      peakRequestsPerMinute: 6,
      peakRatePerSecond1m: 0.1,
      peakToMean1m: 2,
      largestIncreasePerMinute: 6,
      idleFraction: 1 / 3,
      belowTenPercentOfPeakFraction: 1 / 3,
      peakRequestsIn1s: 1,
      label: 'steady',
    });
  });

  it('gives a single instant a one-bin rate instead of dividing by zero', () => {
    const stats = computeTrafficStats({ series: series([], 1), arrivalOffsetsMs: [0, 0, 0] });

    expect(stats).toMatchObject({
      durationSeconds: 0,
      meanRatePerSecond: 3 / 60,
      peakRequestsIn1s: 3,
      bins: 1,
    });
  });
});

describe('computeTrafficStats from a series', () => {
  it('sums 15-s steps into minutes', () => {
    const stats = computeTrafficStats({ series: series([1, 1, 1, 1, 0, 0, 0, 0, 10, 10, 10, 10], 15) });

    expect(stats).toMatchObject({
      requests: 44,
      durationSeconds: 180,
      peakRequestsPerMinute: 40,
      largestIncreasePerMinute: 40,
    });
  });

  it('keeps a coarse step as its resolution and converts to per minute', () => {
    const stats = computeTrafficStats({ series: series([600, 6000, 1200], 600) });

    expect(stats).toMatchObject({
      resolutionSeconds: 600,
      peakRequestsPerMinute: 600,
      peakRatePerSecond1m: 10,
      largestIncreasePerMinute: 540,
      meanRatePerSecond: 7800 / 1800,
    });
    expect(stats.peakToMean1m).toBeCloseTo(6000 / 2600, 12);
  });

  it('leaves gaps out of every figure instead of counting them as idle', () => {
    const stats = computeTrafficStats({ series: series([60, 0, 0, 120], 60, [1]) });

    expect(stats).toMatchObject({
      requests: 180,
      durationSeconds: 180,
      bins: 3,
      idleFraction: 1 / 3,
      missingFraction: 0.25,
      largestIncreasePerMinute: 120,
    });
  });

  it('labels by the documented thresholds', () => {
    const idle = computeTrafficStats({ series: series([0, 0, 0, 5, 5, 0], 60) });
    const spiky = computeTrafficStats({ series: series([1, 1, 1, 1, 1, 1, 1, 1, 1, 30], 60) });
    const steady = computeTrafficStats({ series: series([10, 12, 9, 11], 60) });
    const none = computeTrafficStats({ series: series([0, 0], 60) });

    expect(idle.label).toBe('mostly-idle');
    expect(idle.idleFraction).toBeGreaterThanOrEqual(LABEL_THRESHOLDS.mostlyIdleFraction);
    expect(spiky.label).toBe('spiky');
    expect(spiky.labelReason).toContain(`≥ ${LABEL_THRESHOLDS.spikyPeakToMean}`);
    expect(steady.label).toBe('steady');
    expect(none).toMatchObject({
      label: 'mostly-idle',
      labelReason: 'no requests at all',
      meanRatePerSecond: 0,
    });
  });

  it('finds bursts as runs at or above twice the mean bin', () => {
    const stats = computeTrafficStats({ series: series([1, 10, 10, 1, 1, 10, 1, 1, 1, 1], 60) });

    expect(stats.bursts).toEqual({ count: 2, lengthsSeconds: [120, 60], thresholdRequestsPerMinute: 7.4 });
  });
});

describe('rebin', () => {
  it('spreads steps that do not divide a minute over the minutes they overlap', () => {
    const result = rebin(series([45, 45, 45, 45], 45), 60);

    expect(result.values).toEqual([60, 60, 60]);
  });

  it('scales a partly missing bin by the share with data and marks a fully missing one NaN', () => {
    const result = rebin(series([10, 0, 10, 10, 0, 0], 30, [1, 4, 5]), 60);

    expect(result.values).toEqual([20, 20, Number.NaN]);
  });
});

describe('profile helpers', () => {
  it('builds a profile whose JSON has the required keys, rounded', () => {
    const profile = buildTrafficProfile({
      series: series([1, 2], 60),
      origin: { kind: 'synthetic', spec: 'constant:rate=1', seed: 1 },
    });

    const json = trafficStatsJson(profile);

    for (const key of [
      'requests',
      'durationSeconds',
      'meanRatePerSecond',
      'peakRatePerSecond1m',
      'peakToMean1m',
      'largestIncreasePerMinute',
      'idleFraction',
      'label',
    ]) {
      expect(json).toHaveProperty(key);
    }
    expect(json.peakToMean1m).toBe(1.3333);
    expect(json.source).toBe('synthetic constant:rate=1 seed=1');
    expect(statisticsBins(profile)).toEqual({ resolutionSeconds: 60, requests: [1, 2] });
  });

  it('computes nearest-rank latency quantiles from known durations only', () => {
    const latency = latencyFromServiceTimes([...Array.from({ length: 100 }, (_, i) => i + 1), null], 'test');

    expect(latency).toEqual({
      p50Ms: 50,
      p90Ms: 90,
      p95Ms: 95,
      p99Ms: 99,
      meanMs: 50.5,
      samples: 100,
      source: 'test',
    });
    expect(latencyFromServiceTimes([null], 'test')).toBeNull();
  });
});
