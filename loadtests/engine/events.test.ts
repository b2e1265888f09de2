import { describe, expect, it } from 'vitest';
import { createRandom } from '../../core/random.ts';
import { EventQueue } from './events.ts';
import { EventHeap } from './heap.ts';
import { WHEEL_BUCKETS } from './wheel.ts';

/** The wheel's reach: events further ahead than this wait in the heap part. */
const HORIZON_MS = WHEEL_BUCKETS / 2;

type Queue = Pick<EventQueue, 'push' | 'popAndRun' | 'peekTime' | 'size'>;

/**
 * Drives a queue the way the engine does — time never goes back, handlers schedule more events — and
 * returns the order the events ran in, as `time:id`.
 */
function simulate(queue: Queue, seed: number, delayMs: (random: ReturnType<typeof createRandom>) => number) {
  const random = createRandom(seed);
  const fired: string[] = [];
  let nextId = 0;
  const handler = (nowMs: number, data: unknown) => {
    fired.push(`${nowMs}:${data}`);
    // Each event schedules 0–2 more, some at the same instant (ties), some far ahead.
    const more = (data as number) < 20_000 ? random.nextInt(3) : 0;
    for (let i = 0; i < more; i++) queue.push(nowMs + delayMs(random), handler, nextId++);
  };
  for (let i = 0; i < 50; i++) queue.push(delayMs(random), handler, nextId++);
  let steps = 0;
  while (queue.size > 0 && steps++ < 60_000) {
    expect(queue.peekTime()).toBeLessThan(Number.POSITIVE_INFINITY);
    queue.popAndRun();
  }
  expect(queue.peekTime()).toBe(Number.POSITIVE_INFINITY);
  return fired;
}

describe('EventQueue', () => {
  const cases: [string, (random: ReturnType<typeof createRandom>) => number][] = [
    ['near events with ties', (random) => Math.floor(random.nextFloat() * 4) * 0.25],
    ['exponential delays', (random) => random.nextExponential(1 / 20)],
    [
      'a mix of near and far',
      (random) => (random.nextFloat() < 0.2 ? HORIZON_MS * 3 : 0) + random.nextInt(50),
    ],
    ['sparse, around the horizon', (random) => HORIZON_MS - 2 + random.nextInt(4) + random.nextFloat()],
  ];
  for (const [name, delay] of cases)
    it(`runs events in the order of a single heap: ${name}`, () => {
      expect(simulate(new EventQueue(), 3, delay)).toEqual(simulate(new EventHeap(), 3, delay));
    });

  it('runs ties in scheduling order across its near and far parts', () => {
    const queue = new EventQueue();
    const fired: string[] = [];
    const handler = (nowMs: number, data: unknown) => fired.push(`${nowMs}:${data}`);
    const at = HORIZON_MS * 1.5;
    queue.push(at, handler, 'far-first');
    queue.push(HORIZON_MS * 0.75, handler, 'near');
    queue.popAndRun();
    // From there `at` is within the wheel's reach: these two go to it, behind the one in the heap.
    queue.push(at, handler, 'near-second');
    queue.push(at, handler, 'near-third');
    while (queue.size > 0) queue.popAndRun();
    expect(fired).toEqual([
      `${HORIZON_MS * 0.75}:near`,
      `${at}:far-first`,
      `${at}:near-second`,
      `${at}:near-third`,
    ]);
  });

  it('takes events scheduled before the last one run (outside the engine) in time order', () => {
    const queue = new EventQueue();
    const fired: number[] = [];
    const handler = (nowMs: number) => fired.push(nowMs);
    queue.push(100, handler, null);
    queue.popAndRun();
    queue.push(50, handler, null);
    queue.push(120, handler, null);
    queue.push(10, handler, null);
    while (queue.size > 0) queue.popAndRun();
    expect(fired).toEqual([100, 10, 50, 120]);
  });
});
