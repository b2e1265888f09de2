import { describe, expect, it } from 'vitest';
import { type InstanceHandle, InstancePool, ThrottledError } from './pool.ts';

/** Instances whose start and calls the test resolves by hand. */
function fakes() {
  const started: { id: number; start: () => void; stopped: boolean }[] = [];
  const spawn = (id: number): InstanceHandle => {
    let start!: () => void;
    const ready = new Promise<{ initMs: number }>((resolve) => {
      start = () => resolve({ initMs: 5 });
    });
    const entry = { id, start, stopped: false };
    started.push(entry);
    return {
      ready,
      invoke: async (event) => ({ id, event }),
      stop: async () => {
        entry.stopped = true;
      },
    };
  };
  return { started, spawn };
}

const options = { concurrency: 2, keepAliveMs: 20, minInstances: 0, maxInstances: 2 };

describe('InstancePool', () => {
  it('requests share a starting instance up to its concurrency, then start another, then throttle', async () => {
    const { started, spawn } = fakes();
    const pool = new InstancePool(spawn, options);
    const calls = [pool.invoke(1), pool.invoke(2), pool.invoke(3), pool.invoke(4)];
    expect(started).toHaveLength(2);
    await expect(pool.invoke(5)).rejects.toBeInstanceOf(ThrottledError);
    for (const entry of started) entry.start();
    const results = (await Promise.all(calls)) as { id: number }[];
    expect(results.map((r) => r.id)).toEqual([1, 1, 2, 2]);
    const stats = pool.stats();
    expect(stats).toMatchObject({ coldStarts: 2, coldStartWaits: 4, throttled: 1, peak: 2 });
    await pool.close();
    expect(started.every((entry) => entry.stopped)).toBe(true);
  });

  it('reclaims idle instances after the keep-alive but keeps min instances', async () => {
    const { started, spawn } = fakes();
    const pool = new InstancePool(spawn, { ...options, minInstances: 1 });
    const warm = pool.prewarm();
    started[0]!.start();
    await warm;
    const a = pool.invoke('a');
    const b = pool.invoke('b');
    const c = pool.invoke('c');
    expect(started).toHaveLength(2);
    started[1]!.start();
    await Promise.all([a, b, c]);
    await new Promise((resolve) => setTimeout(resolve, 60));
    const stats = pool.stats();
    expect(stats).toMatchObject({ prewarmed: 1, coldStarts: 1, reclaimed: 1, current: 1 });
    // Whichever idled out first went; one stays because of --min-instances.
    expect(started.filter((entry) => entry.stopped)).toHaveLength(1);
    await pool.close();
  });
});
