import { describe, expect, it } from 'vitest';
import { MigrateError } from '../errors.ts';
import { statisticsBins } from './build.ts';
import { formatDurationSeconds, parseDurationSeconds } from './duration.ts';
import { parseSpikeSpec, spikeProfile, spikeShape } from './spike.ts';

describe('spikeProfile', () => {
  it('is identical for the same spec and seed, and differs for another seed', () => {
    const a = spikeProfile('trending', 7);
    const b = spikeProfile('trending', 7);
    const c = spikeProfile('trending', 8);

    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(c.arrivalOffsetsMs).not.toEqual(a.arrivalOffsetsMs);
  });

  it('draws Poisson arrivals at a constant rate', () => {
    const profile = spikeProfile('constant:rate=20,duration=30m', 1);
    const gaps = profile.arrivalOffsetsMs!.slice(1).map((t, i) => t - profile.arrivalOffsetsMs![i]!);
    const meanGap = gaps.reduce((a, b) => a + b, 0) / gaps.length;
    const variance = gaps.reduce((a, g) => a + (g - meanGap) ** 2, 0) / gaps.length;

    expect(profile.stats.meanRatePerSecond).toBeGreaterThan(19.5);
    expect(profile.stats.meanRatePerSecond).toBeLessThan(20.5);
    expect(Math.sqrt(variance) / meanGap).toBeCloseTo(1, 1); // exponential gaps: CV 1
    expect(profile.stats.label).toBe('steady');
    expect(profile.origin).toEqual({ kind: 'synthetic', spec: 'constant:rate=20,duration=30m', seed: 1 });
  });

  it('goes from baseline to 10x in under a minute by default, and is labelled spiky', () => {
    const shape = spikeShape('trending');
    const profile = spikeProfile('trending:baseline=20', 3);
    const minutes = statisticsBins(profile).requests;

    expect(shape.ratePerSecond(0)).toBe(5);
    expect(shape.ratePerSecond(600 + 45)).toBe(50);
    expect(minutes[0]!).toBeGreaterThan(1000);
    expect(minutes[0]!).toBeLessThan(1400);
    expect(Math.max(...minutes)).toBeGreaterThan(11_000);
    expect(profile.stats.largestIncreasePerMinute).toBeGreaterThan(5000);
    expect(profile.stats.label).toBe('spiky');
  });

  it('cycles daily between mean × (1 ± amplitude)', () => {
    const shape = spikeShape('diurnal:mean=10,amplitude=0.5,peak-at=12h');
    const profile = spikeProfile('diurnal:mean=2,duration=1d', 5);

    expect(shape.ratePerSecond(12 * 3600)).toBeCloseTo(15, 9);
    expect(shape.ratePerSecond(0)).toBeCloseTo(5, 9);
    expect(shape.durationSeconds).toBe(86_400);
    expect(profile.stats.meanRatePerSecond).toBeCloseTo(2, 1);
  });
});

describe('parseSpikeSpec', () => {
  it('fills defaults and spells out a canonical spec', () => {
    expect(parseSpikeSpec('constant:rate=5').canonical).toBe('constant:rate=5,duration=10m');
    expect(parseSpikeSpec(' trending ').values).toMatchObject({ baseline: 5, peak: 10, ramp: 45 });
  });

  it.each([
    ['bursty', 'unknown traffic preset "bursty"', 'constant: '],
    ['constant:speed=3', 'unknown key "speed" for traffic preset constant', 'rate=10'],
    ['constant:rate=fast', 'rate=fast', 'positive number'],
    ['trending:ramp=soon', 'ramp=soon', 'duration'],
    ['diurnal:amplitude=2', 'amplitude=2', '0 to 1'],
    ['constant:rate=0', 'rate=0', 'positive'],
  ])('rejects %s with a message naming presets and keys', (spec, first, second) => {
    const error = (() => {
      try {
        parseSpikeSpec(spec);
      } catch (e) {
        return e;
      }
      return null;
    })();

    expect(error).toBeInstanceOf(MigrateError);
    expect((error as Error).message).toContain(first);
    expect((error as Error).message).toContain(second);
  });

  it('refuses a profile too large to hold', () => {
    expect(() => spikeProfile('constant:rate=100000,duration=1d', 1)).toThrow(/would generate about/);
  });
});

describe('durations', () => {
  it.each([
    ['90', 90],
    ['45s', 45],
    ['5m', 300],
    ['1h30m', 5400],
    ['7d', 604_800],
    ['500ms', 0.5],
    ['soon', null],
    ['5 m', null],
  ])('%s is %s s', (text, seconds) => {
    expect(parseDurationSeconds(text)).toBe(seconds);
  });

  it('formats back to the shortest form', () => {
    expect(formatDurationSeconds(5400)).toBe('1h30m');
    expect(formatDurationSeconds(86_400)).toBe('1d');
    expect(formatDurationSeconds(0.25)).toBe('250ms');
  });
});
