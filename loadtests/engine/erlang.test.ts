import { describe, expect, it } from 'vitest';
import { spikeProfile } from '../../core/traffic/index.ts';
import { deploymentYaml, expectConsistent, replayOne, workloadFromYaml } from './testing.ts';

/** Erlang C: probability that an arrival waits, for c servers offered `a` erlangs. */
function erlangC(c: number, a: number): number {
  let term = 1;
  let sum = 1; // k = 0
  for (let k = 1; k < c; k++) {
    term *= a / k;
    sum += term;
  }
  const top = ((term * a) / c) * (1 / (1 - a / c));
  return top / (sum + top);
}

/** Mean wait in queue of M/M/c. */
function erlangMeanWaitMs(c: number, arrivalsPerSecond: number, meanServiceMs: number): number {
  const mu = 1000 / meanServiceMs;
  return (erlangC(c, arrivalsPerSecond / mu) / (c * mu - arrivalsPerSecond)) * 1000;
}

describe('a fixed pool of pods is an M/M/c queue (Erlang C)', () => {
  const pods = 4;
  const serviceMs = 100;
  const workload = workloadFromYaml(deploymentYaml({ replicas: pods }));

  // Long runs (≈ 1 M requests) keep the sampling error of the mean wait near 1–2 %.
  it.each([
    { load: 0.7, hours: 10 },
    { load: 0.9, hours: 8 },
  ])('mean wait within 5 % of Erlang C at $load load', ({ load, hours }) => {
    const rate = (load * pods * 1000) / serviceMs;
    const profile = spikeProfile(`constant:rate=${rate},duration=${hours}h`, 11);
    const run = replayOne({
      workload,
      profile,
      target: 'kubernetes',
      service: { kind: 'exp', meanMs: serviceMs },
      settings: { podConcurrency: 1, timeoutMs: 1e9 },
    });
    const expected = erlangMeanWaitMs(pods, rate, serviceMs);
    const measured = run.waitMs.mean!;
    console.log(
      `Erlang C at ${load}: expected mean wait ${expected.toFixed(2)} ms, simulated ${measured.toFixed(2)} ms over ${run.requests.total} requests`,
    );
    expect(Math.abs(measured - expected) / expected).toBeLessThan(0.05);
    expect(run.coldStarts).toBe(0);
    expect(run.instances.max).toBe(pods);
    expectConsistent(run);
  });
});
