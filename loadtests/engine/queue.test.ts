import { describe, expect, it } from 'vitest';
import { createRandom } from '../../core/random.ts';
import type { SimRequest } from '../platforms/types.ts';
import { EventQueue } from './events.ts';
import { CompactRequestQueue, FifoRequestQueue, type QueueHost, type RequestPool } from './queue.ts';

const TIMEOUT_MS = 40;

function request(id: number, arrivalMs: number): SimRequest {
  return {
    id,
    arrivalMs,
    serviceMs: id % 7,
    deadlineMs: arrivalMs + TIMEOUT_MS,
    startMs: -1,
    holder: null,
    next: null,
  };
}

/**
 * Arrivals every 0–2 ms pushed into the queue, a server taking the head now and then, the clock run
 * by an event queue as the engine runs it. Returns what happened, in order.
 */
function exercise(compact: boolean) {
  const events = new EventQueue();
  let nowMs = 0;
  const log: string[] = [];
  const host: QueueHost = {
    now: () => nowMs,
    schedule: (atMs, handler, data) => events.push(Math.max(atMs, nowMs), handler, data),
    expire: (request) => log.push(`${nowMs} expired ${request.id} (arrived ${request.arrivalMs})`),
  };
  const pool: RequestPool = {
    release: () => {},
    revive: (id, arrivalMs, serviceMs, deadlineMs) => ({
      id,
      arrivalMs,
      serviceMs,
      deadlineMs,
      startMs: -1,
      holder: null,
      next: null,
    }),
  };
  const queue = compact ? new CompactRequestQueue(host, pool) : new FifoRequestQueue(host);
  const random = createRandom(9);
  let arrivalMs = 0;
  for (let id = 0; id < 2000; id++) {
    arrivalMs += random.nextInt(3);
    while (events.peekTime() <= arrivalMs) {
      nowMs = events.peekTime();
      events.popAndRun();
    }
    nowMs = arrivalMs;
    queue.push(request(id, arrivalMs));
    // The server is slower than the arrivals for a while (the queue grows and wraps), then catches up.
    if (random.nextFloat() < (id < 1000 ? 0.3 : 0.9)) {
      const next = queue.shift();
      if (next) log.push(`${nowMs} took ${next.id} (service ${next.serviceMs}, deadline ${next.deadlineMs})`);
    }
    if (id % 250 === 0) log.push(`${nowMs} length ${queue.length} integral ${queue.integralMs()}`);
  }
  queue.drain((request) => log.push(`${nowMs} drained ${request.id}`));
  log.push(`${nowMs} length ${queue.length} integral ${queue.integralMs()}`);
  return log;
}

describe('request queues', () => {
  it('the compact queue behaves exactly as the linked one: order, timeouts, integral, drain', () => {
    const linked = exercise(false);
    expect(linked.some((line) => line.includes('expired'))).toBe(true);
    expect(linked.some((line) => line.includes('drained'))).toBe(true);
    expect(exercise(true)).toEqual(linked);
  });

  it('the compact queue hands each object back to the pool and revives requests from their numbers', () => {
    const released: SimRequest[] = [];
    const host: QueueHost = { now: () => 0, schedule: () => {}, expire: () => {} };
    const queue = new CompactRequestQueue(host, {
      release: (request) => released.push(request),
      revive: (id, arrivalMs, serviceMs, deadlineMs) => ({
        ...request(id, arrivalMs),
        serviceMs,
        deadlineMs,
      }),
    });
    const first = request(1, 5);
    queue.push(first);
    expect(released).toEqual([first]);
    const back = queue.shift()!;
    expect(back).not.toBe(first);
    expect(back).toEqual(first);
  });
});
