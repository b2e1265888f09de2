import { describe, expect, it } from 'vitest';
import { createRandom } from '../../core/random.ts';
import { buildTrafficProfile, spikeProfile, type TrafficProfile } from '../../core/traffic/index.ts';
import { type ArrivalSource, arrivalMode, createArrivals } from './arrivals.ts';

function drain(source: ArrivalSource): number[] {
  const times: number[] = [];
  for (; source.nextMs !== Number.POSITIVE_INFINITY; source.advance()) times.push(source.nextMs);
  return times;
}

function countsProfile(
  requests: number[],
  options: { stepSeconds?: number; missing?: number[]; prometheus?: boolean } = {},
): TrafficProfile {
  return buildTrafficProfile({
    series: {
      startMs: 0,
      timeBase: 'relative',
      stepSeconds: options.stepSeconds ?? 1,
      requests,
      missingSteps: options.missing ?? [],
    },
    origin: options.prometheus
      ? {
          kind: 'prometheus',
          baseUrl: 'http://p',
          startMs: 0,
          endMs: 1,
          stepSeconds: 60,
          queries: [],
          coverage: 1,
        }
      : { kind: 'synthetic', spec: 'test', seed: 1 },
  });
}

describe('arrivals from a profile', () => {
  it('replays a trace’s own arrival times, inside the window, shifted to the window start', () => {
    const profile = spikeProfile('constant:rate=50,duration=60s', 4);
    expect(arrivalMode(profile)).toBe('exact');
    const all = drain(createArrivals(profile, { startMs: 0, endMs: 60_000 }, createRandom(1)));
    expect(all).toEqual(profile.arrivalOffsetsMs);
    const part = drain(createArrivals(profile, { startMs: 10_000, endMs: 20_000 }, createRandom(1)));
    const expected = profile
      .arrivalOffsetsMs!.filter((t) => t >= 10_000 && t < 20_000)
      .map((t) => t - 10_000);
    expect(part).toEqual(expected);
  });

  it('puts exactly the recorded count in each step, at sorted random times inside it', () => {
    const requests = [3, 0, 7, 1, 250];
    const profile = countsProfile(requests, { stepSeconds: 2 });
    expect(arrivalMode(profile)).toBe('counts');
    const times = drain(createArrivals(profile, { startMs: 0, endMs: 10_000 }, createRandom(8)));
    const perStep = requests.map(
      (_, step) => times.filter((t) => t >= step * 2000 && t < (step + 1) * 2000).length,
    );
    expect(perStep).toEqual(requests);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });

  it('draws a Poisson process from rates: Prometheus series, fractional counts; gaps stay empty', () => {
    const profile = countsProfile(new Array(600).fill(120), {
      stepSeconds: 60,
      missing: [5],
      prometheus: true,
    });
    expect(arrivalMode(profile)).toBe('poisson');
    const times = drain(createArrivals(profile, { startMs: 0, endMs: 36_000_000 }, createRandom(2)));
    // 599 steps × 120 expected: mean 71,880, sd ≈ 268.
    expect(Math.abs(times.length - 71_880)).toBeLessThan(1100);
    expect(times.some((t) => t >= 300_000 && t < 360_000)).toBe(false);
    expect(arrivalMode(countsProfile([1.5, 2]))).toBe('poisson');
  });

  it('is seeded: the same seed gives the same times', () => {
    const profile = countsProfile([40, 40, 40]);
    const once = drain(createArrivals(profile, { startMs: 0, endMs: 3000 }, createRandom(6)));
    expect(drain(createArrivals(profile, { startMs: 0, endMs: 3000 }, createRandom(6)))).toEqual(once);
    expect(drain(createArrivals(profile, { startMs: 0, endMs: 3000 }, createRandom(7)))).not.toEqual(once);
  });
});
