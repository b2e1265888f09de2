import { describe, expect, it } from 'vitest';
import { createRandom } from '../../core/random.ts';
import { EventHeap } from './heap.ts';

describe('EventHeap', () => {
  it('runs events in time order, ties in the order they were scheduled', () => {
    const heap = new EventHeap();
    const fired: string[] = [];
    const handler = (nowMs: number, data: unknown) => fired.push(`${nowMs}:${data}`);
    heap.push(5, handler, 'a');
    heap.push(1, handler, 'b');
    heap.push(5, handler, 'c');
    heap.push(3, handler, 'd');
    heap.push(1, handler, 'e');
    while (heap.size > 0) heap.popAndRun();
    expect(fired).toEqual(['1:b', '1:e', '3:d', '5:a', '5:c']);
    expect(heap.peekTime()).toBe(Number.POSITIVE_INFINITY);
  });

  it('agrees with a sorted reference under interleaved pushes and pops, past its first capacity', () => {
    const heap = new EventHeap();
    const random = createRandom(5);
    const popped: [number, number][] = [];
    const handler = (nowMs: number, data: unknown) => popped.push([nowMs, data as number]);
    const reference: [number, number][] = [];
    const expected: [number, number][] = [];
    const popReference = () => {
      let best = 0;
      for (let i = 1; i < reference.length; i++) {
        const [t, id] = reference[i]!;
        const [bt, bid] = reference[best]!;
        if (t < bt || (t === bt && id < bid)) best = i;
      }
      expected.push(reference.splice(best, 1)[0]!);
    };
    for (let id = 0; id < 6000; id++) {
      const time = Math.floor(random.nextFloat() * 300);
      heap.push(time, handler, id);
      reference.push([time, id]);
      if (id % 3 === 0) {
        heap.popAndRun();
        popReference();
      }
    }
    while (heap.size > 0) heap.popAndRun();
    while (reference.length > 0) popReference();
    expect(popped).toEqual(expected);
  });
});
