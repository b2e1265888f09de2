import { describe, expect, it } from 'vitest';
import { configFromMap, kpaSpecFromConfig, panicWindowSeconds } from './config.ts';
import { createKpaDecider, defaultKpaSpec } from './decider.ts';
import type { KpaDecider, KpaDecision, KpaSpec } from './decider-types.ts';
import { MaxTimeWindow, TimedBuckets } from './windows.ts';

/**
 * Drives a decider like the engine should: one `record` per second of the revision-wide in-flight
 * requests, one `scale` per 2 s tick. Returns the decision of every tick.
 */
function drive(
  decider: KpaDecider,
  fromSeconds: number,
  toSeconds: number,
  load: (t: number) => number | null,
  readyPods: (t: number) => number,
): Array<KpaDecision & { t: number }> {
  const decisions: Array<KpaDecision & { t: number }> = [];
  for (let t = fromSeconds; t < toSeconds; t++) {
    const value = load(t);
    if (value !== null) decider.record(t, value);
    if (t % 2 === 0) decisions.push({ t, ...decider.scale(t, readyPods(t)) });
  }
  return decisions;
}

describe('defaultKpaSpec', () => {
  it('fills the config-autoscaler defaults', () => {
    expect(defaultKpaSpec()).toEqual({
      scalingMetric: 'concurrency',
      targetValue: 70,
      totalValue: 100,
      targetBurstCapacity: 211,
      panicThreshold: 2,
      maxScaleUpRate: 1000,
      maxScaleDownRate: 2,
      activatorCapacity: 100,
      stableWindowSeconds: 60,
      panicWindowSeconds: 6,
      scaleDownDelaySeconds: 0,
      minScale: 0,
      maxScale: 0,
      initialScale: 1,
      activationScale: 1,
      enableScaleToZero: true,
      scaleToZeroGraceSeconds: 30,
      tickSeconds: 2,
      reachable: true,
    });
  });

  it('keeps the panic window at 10 % of an overridden stable window', () => {
    expect(defaultKpaSpec({ stableWindowSeconds: 120 }).panicWindowSeconds).toBe(12);
    expect(panicWindowSeconds(6, 10)).toBe(1);
  });

  it('derives targets from a revision with containerConcurrency', () => {
    const config = configFromMap({});
    if (!config.ok) throw new Error(config.error);

    expect(kpaSpecFromConfig(config.config, { containerConcurrency: 10 })).toMatchObject({
      targetValue: 7,
      totalValue: 10,
    });
  });
});

describe('createKpaDecider', () => {
  const spec = (overrides: Partial<KpaSpec> = {}) =>
    defaultKpaSpec({ targetValue: 10, totalValue: 10, ...overrides });

  it('has no decision before any metric was recorded', () => {
    expect(createKpaDecider(spec()).scale(0, 0)).toMatchObject({ scaleValid: false, desiredPodCount: 0 });
  });

  it('scales on the stable-window average of the revision total', () => {
    const decisions = drive(
      createKpaDecider(spec()),
      0,
      62,
      () => 40,
      () => 4,
    );

    expect(decisions.at(-1)).toMatchObject({
      desiredPodCount: 4,
      inPanicMode: false,
      observedStableValue: 40,
    });
  });

  it('panics on a burst seen in the 6 s panic window and never scales down while panicking', () => {
    const decider = createKpaDecider(spec());
    drive(
      decider,
      0,
      60,
      () => 10,
      () => 1,
    );
    const burst = drive(
      decider,
      60,
      68,
      () => 100,
      () => 1,
    );

    // Panic window average 100 → 10 pods ≥ 2 × 1 ready pod; the stable average is still low.
    expect(burst.at(-1)).toMatchObject({ inPanicMode: true, desiredPodCount: 10 });
    const after = drive(
      decider,
      68,
      80,
      () => 10,
      () => 10,
    );
    expect(after.every((d) => d.desiredPodCount === 10 && d.inPanicMode)).toBe(true);
  });

  it('scales to zero a grace period after the revision was marked inactive', () => {
    const decider = createKpaDecider(spec());
    const busy = drive(
      decider,
      0,
      60,
      () => 10,
      () => 1,
    );
    expect(busy.at(-1)?.desiredPodCount).toBe(1);

    const idle = drive(
      decider,
      60,
      200,
      (t) => (t < 150 ? 0 : null),
      (t) => (t <= 150 ? 1 : 0),
    );
    // The stable average reaches 0 at t=120 (60 zero buckets); inactive then; zero 30 s later.
    const firstZero = idle.find((d) => d.desiredPodCount === 0);
    expect(firstZero?.t).toBe(150);
    expect(idle.filter((d) => d.t < 150).every((d) => d.desiredPodCount === 1)).toBe(true);
    expect(idle.filter((d) => d.t >= 150).every((d) => d.desiredPodCount === 0)).toBe(true);
  });

  it('keeps one pod when scale-to-zero is disabled, and honours min/max scale', () => {
    const noZero = drive(
      createKpaDecider(spec({ enableScaleToZero: false })),
      0,
      200,
      () => 0,
      () => 1,
    );
    expect(noZero.at(-1)?.desiredPodCount).toBe(1);

    const bounded = drive(
      createKpaDecider(spec({ minScale: 2, maxScale: 5 })),
      0,
      62,
      () => 400,
      () => 5,
    );
    expect(bounded.at(-1)?.desiredPodCount).toBe(5);
    const floor = drive(
      createKpaDecider(spec({ minScale: 2 })),
      0,
      200,
      () => 0,
      () => 2,
    );
    expect(floor.at(-1)?.desiredPodCount).toBe(2);
  });

  it('holds initial scale until it has been reached, then scales on the metric', () => {
    const decider = createKpaDecider(spec({ initialScale: 3 }));

    expect(
      drive(
        decider,
        0,
        4,
        () => 0,
        () => 0,
      ).map((d) => d.desiredPodCount),
    ).toEqual([3, 3]);
    // Reached: no traffic wants 0, held at 1 while the revision has been active for less than a stable window.
    expect(
      drive(
        decider,
        4,
        6,
        () => 0,
        () => 3,
      ).at(-1)?.desiredPodCount,
    ).toBe(1);
  });

  it('applies reductions only after the scale-down delay', () => {
    const decider = createKpaDecider(spec({ scaleDownDelaySeconds: 30, stableWindowSeconds: 6 }));
    drive(
      decider,
      0,
      20,
      () => 50,
      () => 5,
    );
    const after = drive(
      decider,
      20,
      60,
      () => 10,
      () => 5,
    );

    // The last 5-pod decision (t=20) keeps counting for 30 s of 2 s buckets.
    const firstLower = after.find((d) => d.desiredPodCount < 5);
    expect(firstLower?.t).toBe(50);
  });
});

describe('TimedBuckets', () => {
  it('averages over the written part of the window until it is full', () => {
    const buckets = new TimedBuckets(60, 1);
    for (let t = 100; t < 106; t++) buckets.record(t, 12);

    expect(buckets.windowAverage(105)).toBe(12);
  });

  it('treats gaps as zeros and forgets a window without writes', () => {
    const buckets = new TimedBuckets(10, 1);
    buckets.record(0, 10);
    buckets.record(4, 10);

    expect(buckets.windowAverage(4)).toBe(4);
    expect(buckets.isEmpty(20)).toBe(true);
    expect(buckets.windowAverage(20)).toBe(0);
  });
});

describe('MaxTimeWindow', () => {
  it('keeps the maximum of the last duration', () => {
    const window = new MaxTimeWindow(6, 2);
    window.record(0, 5);
    window.record(2, 3);
    expect(window.current()).toBe(5);
    window.record(6, 1);
    expect(window.current()).toBe(3);
  });
});
