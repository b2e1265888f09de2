import { describe, expect, it } from 'vitest';
import { createRandom } from '../../core/random.ts';
import { formatK6Duration, mergeRuns, planStages } from './stages.ts';

/** Poisson counts at `rate` per step (Knuth's method: fine for small means). */
function poissonCounts(rate: number, steps: number, seed: number): number[] {
  const random = createRandom(seed);
  const limit = Math.exp(-rate);
  return Array.from({ length: steps }, () => {
    let count = 0;
    for (let product = random.nextFloat(); product > limit; product *= random.nextFloat()) count += 1;
    return count;
  });
}

describe('k6 stages', () => {
  it('keeps steady Poisson noise in one run at low and moderate rates', () => {
    for (const rate of [0.3, 5, 40])
      for (let seed = 1; seed <= 5; seed++)
        expect(mergeRuns(poissonCounts(rate, 900, seed), 0.1)).toHaveLength(1);
  });

  it('splits a real change, and a slow ramp that no single step reveals', () => {
    const steps = [...poissonCounts(5, 300, 1), ...poissonCounts(15, 300, 2)];
    const runs = mergeRuns(steps, 0.1);
    expect(runs).toHaveLength(2);
    expect(Math.abs(runs[1]!.fromStep - 300)).toBeLessThanOrEqual(5); // a change is seen within a few steps
    // 5 → 50 per step over 300 steps: each step within noise of its neighbours, the trend is not.
    const ramp = Array.from({ length: 300 }, (_, i) => 5 + (45 * i) / 300);
    const rampRuns = mergeRuns(ramp, 0.1);
    expect(rampRuns.length).toBeGreaterThanOrEqual(4);
    expect(Math.max(...rampRuns.map((run) => run.steps))).toBeLessThanOrEqual(100);
  });

  it('never changes the number of requests: holds carry their run mean', () => {
    const counts = [...poissonCounts(3, 200, 3), ...poissonCounts(30, 50, 4), ...poissonCounts(8, 100, 5)];
    const total = counts.reduce((sum, count) => sum + count, 0);
    const plan = planStages({ stepSeconds: 1, requests: counts }, { speedup: 3, mergeTolerance: 0.1 });
    expect(Math.abs(plan.plannedRequests / total - 1)).toBeLessThan(0.002);
    expect(plan.stages.reduce((sum, stage) => sum + stage.durationMs, 0)).toBe(Math.round(350_000 / 3));
  });

  it('picks a time unit that keeps whole targets within 0.2 % of the series', () => {
    const slow = planStages({ stepSeconds: 60, requests: [7, 7, 7, 7] }, { speedup: 1, mergeTolerance: 0.1 });
    expect(slow.timeUnitSeconds).toBe(60);
    expect(slow.stages).toEqual([{ durationMs: 240_000, target: 7, fromTrafficSeconds: 0 }]);
    const fast = planStages(
      { stepSeconds: 1, requests: [500, 500, 500] },
      { speedup: 1, mergeTolerance: 0.1 },
    );
    expect(fast.timeUnitSeconds).toBe(1);
  });

  it('writes durations k6 parses (no days)', () => {
    expect(formatK6Duration(0)).toBe('0s');
    expect(formatK6Duration(1500)).toBe('1500ms');
    expect(formatK6Duration(90_000)).toBe('1m30s');
    expect(formatK6Duration(2 * 86_400_000 + 1000)).toBe('48h1s');
  });
});
