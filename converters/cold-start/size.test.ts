import { describe, expect, it } from 'vitest';
import { spikeProfile, type TrafficProfile } from '../../core/traffic/index.ts';
import { minuteRates, quantileOf, sizeWarmCapacity, type WarmInput } from './size.ts';

const base: WarmInput = {
  traffic: null,
  serviceMs: null,
  quantile: 0.5,
  concurrencyPerInstance: 1,
  concurrencyPerInstanceFrom: 'one request per environment',
  clusterMinReplicas: 1,
  clusterMinFrom: 'hpa minimum 1 (hpa.yaml:8)',
  maxInstances: null,
  maxInstancesFrom: null,
};

function withLatency(profile: TrafficProfile, meanMs: number): TrafficProfile {
  return {
    ...profile,
    latency: {
      p50Ms: meanMs,
      p90Ms: meanMs,
      p95Ms: meanMs,
      p99Ms: meanMs,
      meanMs,
      samples: 10,
      source: 'test durations',
    },
  };
}

describe('sizeWarmCapacity', () => {
  it('without traffic keeps one warm instance when the cluster kept a replica running, and says it is a default', () => {
    const warm = sizeWarmCapacity(base);

    expect(warm.instances).toBe(1);
    expect(warm.basis).toBe('default');
    expect(warm.reason).toMatch(/^default, not sized: no traffic was given/);
    expect(warm.reason).toContain('hpa minimum 1 (hpa.yaml:8)');
  });

  it('without traffic keeps none when the cluster already scaled to zero', () => {
    expect(sizeWarmCapacity({ ...base, clusterMinReplicas: 0 }).instances).toBe(0);
  });

  it("applies Little's law to the median 1-minute rate: 20 req/s × 100 ms = 2 in flight", () => {
    const traffic = spikeProfile('constant:rate=20,duration=10m', 1);

    const warm = sizeWarmCapacity({ ...base, traffic, serviceMs: 100 });

    expect(warm.basis).toBe('traffic');
    expect(warm.ratePerSecond).toBeGreaterThan(19);
    expect(warm.ratePerSecond).toBeLessThan(21);
    expect(warm.instances).toBe(Math.ceil((warm.ratePerSecond! * 100) / 1000));
    expect(warm.serviceFrom).toBe('--service-ms');
    expect(warm.reason).toContain("Little's law on the median (p50)");
  });

  it("prefers the trace's mean service time to --service-ms", () => {
    const traffic = withLatency(spikeProfile('constant:rate=10,duration=10m', 1), 500);

    const warm = sizeWarmCapacity({ ...base, traffic, serviceMs: 50 });

    expect(warm.serviceMs).toBe(500);
    expect(warm.serviceFrom).toMatch(/mean service time of the trace, test durations/);
    expect(warm.instances).toBe(Math.ceil((warm.ratePerSecond! * 500) / 1000));
  });

  it('falls back to the default when the traffic has no service times and no --service-ms is given', () => {
    const warm = sizeWarmCapacity({ ...base, traffic: spikeProfile('constant:rate=10,duration=5m', 1) });

    expect(warm.basis).toBe('default');
    expect(warm.reason).toMatch(/no service times/);
  });

  it('covers more of a spiky trace at a higher quantile, and says how much', () => {
    const traffic = spikeProfile('trending:baseline=5,peak=10', 3);

    const median = sizeWarmCapacity({ ...base, traffic, serviceMs: 1000 });
    const p95 = sizeWarmCapacity({ ...base, traffic, serviceMs: 1000, quantile: 0.95 });

    expect(median.instances).toBeGreaterThanOrEqual(5);
    expect(median.instances).toBeLessThan(p95.instances);
    expect(median.coveredMinuteFraction!).toBeGreaterThanOrEqual(0.5);
    expect(p95.coveredMinuteFraction!).toBeGreaterThan(median.coveredMinuteFraction!);
    expect(p95.reason).toContain('p95');
  });

  it('divides by the requests one instance serves and caps at the most instances allowed', () => {
    const traffic = spikeProfile('constant:rate=50,duration=10m', 1);

    const shared = sizeWarmCapacity({ ...base, traffic, serviceMs: 1000, concurrencyPerInstance: 10 });
    const capped = sizeWarmCapacity({
      ...base,
      traffic,
      serviceMs: 1000,
      maxInstances: 3,
      maxInstancesFrom: 'ReservedConcurrentExecutions',
    });

    expect(shared.instances).toBe(Math.ceil(shared.concurrencyNeeded! / 10));
    expect(capped.instances).toBe(3);
    expect(capped.cappedBy).toContain('ReservedConcurrentExecutions');
  });
});

describe('quantileOf and minuteRates', () => {
  it('takes the nearest rank, like the latency percentiles', () => {
    expect(quantileOf([4, 1, 3, 2], 0.5)).toBe(2);
    expect(quantileOf([4, 1, 3, 2], 1)).toBe(4);
    expect(quantileOf([4, 1, 3, 2], 0.01)).toBe(1);
    expect(quantileOf([], 0.5)).toBe(0);
  });

  it('turns the 1-minute bins into requests per second, idle minutes included', () => {
    const rates = minuteRates(spikeProfile('constant:rate=2,duration=5m', 1));

    expect(rates.length).toBeGreaterThanOrEqual(5);
    for (const rate of rates.slice(0, -1)) expect(rate).toBeGreaterThan(1);
  });
});
