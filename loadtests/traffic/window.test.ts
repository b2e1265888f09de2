import { describe, expect, it } from 'vitest';
import { spikeProfile } from '../../core/traffic/index.ts';
import { findSpike } from './spike.ts';
import { parseWindow } from './window.ts';

const profile = spikeProfile('trending:baseline=5,peak=10,lead=10m,ramp=1m,hold=3m,decay=1m,tail=5m', 3);

describe('--window and --max-seconds', () => {
  it('reads START..END as durations from the start of the traffic', () => {
    expect(parseWindow('10m..12m', undefined, profile)).toEqual({ startMs: 600_000, endMs: 720_000 });
    expect(parseWindow('..90', undefined, profile)).toEqual({ startMs: 0, endMs: 90_000 });
    expect(parseWindow(undefined, 30, profile)).toEqual({ startMs: 0, endMs: 30_000 });
    expect(parseWindow(undefined, undefined, profile).endMs).toBe(1_200_000);
  });

  it('refuses what makes no sense, with a hint', () => {
    expect(() => parseWindow('5m', undefined, profile)).toThrow(/START\.\.END/);
    expect(() => parseWindow('5m..1m', undefined, profile)).toThrow(/after the start/);
    expect(() => parseWindow('2h..3h', undefined, profile)).toThrow(/starts after the traffic ends/);
    expect(() => parseWindow('1m..2m', 30, profile)).toThrow(/not both/);
  });
});

describe('the spike', () => {
  it('is the run of minutes at or above twice the mean that holds the busiest minute', () => {
    // Mean minute 840 requests: threshold 1,680. The ramp and decay minutes average 1,650, just below.
    const spike = findSpike(profile, { startMs: 0, endMs: 1_200_000 })!;
    expect(spike.thresholdRequestsPerMinute).toBeCloseTo((2 * profile.stats.requests) / 20, 6);
    expect(spike.startMs).toBe(660_000);
    expect(spike.endMs).toBe(900_000);
    expect(spike.peakRequestsPerMinute).toBeGreaterThan(2500);
  });

  it('moves with the window, and steady traffic has none', () => {
    expect(findSpike(profile, { startMs: 300_000, endMs: 1_200_000 })!.startMs).toBe(360_000);
    expect(
      findSpike(spikeProfile('constant:rate=5,duration=10m', 1), { startMs: 0, endMs: 600_000 }),
    ).toBeNull();
  });
});
