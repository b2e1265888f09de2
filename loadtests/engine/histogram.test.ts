import { describe, expect, it } from 'vitest';
import { createRandom } from '../../core/random.ts';
import { HISTOGRAM_RELATIVE_ERROR, LatencyHistogram } from './histogram.ts';

describe('LatencyHistogram', () => {
  it('reads every percentile within its relative error bound, from µs to hours', () => {
    let worst = 0;
    for (let valueMs = 0.3; valueMs < 2e7; valueMs *= 1.0137) {
      const histogram = new LatencyHistogram();
      histogram.record(0.001);
      histogram.record(valueMs);
      histogram.record(valueMs * 3);
      worst = Math.max(worst, Math.abs(histogram.quantile(0.5)! - valueMs) / valueMs);
    }
    expect(worst).toBeLessThanOrEqual(HISTOGRAM_RELATIVE_ERROR + 1e-9);
  });

  it('matches exact order statistics of a sample, and keeps count, mean, min and max exactly', () => {
    const random = createRandom(3);
    const values: number[] = [];
    const histogram = new LatencyHistogram();
    for (let i = 0; i < 20_000; i++) {
      const value = random.nextExponential(1 / 80);
      values.push(value);
      histogram.record(value);
    }
    values.sort((a, b) => a - b);
    for (const q of [0.5, 0.9, 0.99, 0.999]) {
      const exact = values[Math.ceil(q * values.length) - 1]!;
      expect(Math.abs(histogram.quantile(q)! - exact) / exact).toBeLessThan(HISTOGRAM_RELATIVE_ERROR + 1e-9);
    }
    expect(histogram.count).toBe(20_000);
    expect(histogram.mean()).toBeCloseTo(values.reduce((sum, value) => sum + value, 0) / values.length, 9);
    expect(histogram.quantile(1)).toBe(values.at(-1));
    expect(histogram.minMs).toBe(values[0]);
  });

  it('merges: two halves give the histogram of the whole', () => {
    const whole = new LatencyHistogram();
    const left = new LatencyHistogram();
    const right = new LatencyHistogram();
    const random = createRandom(9);
    for (let i = 0; i < 5000; i++) {
      const value = random.nextFloat() * 10_000;
      whole.record(value);
      (i % 2 ? left : right).record(value);
    }
    left.merge(right);
    expect(left.counts).toEqual(whole.counts);
    expect([left.count, left.minMs, left.maxMs]).toEqual([whole.count, whole.minMs, whole.maxMs]);
    expect(left.sumMs).toBeCloseTo(whole.sumMs, 6);
  });

  it('is empty until something is recorded', () => {
    const histogram = new LatencyHistogram();
    expect([histogram.quantile(0.5), histogram.mean()]).toEqual([null, null]);
  });
});
