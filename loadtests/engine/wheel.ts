/**
 * Near-future events in time buckets (a timing wheel): the cheap part of the simulator's event queue
 * (./events.ts). Most events of a replay fire within a few seconds of being scheduled — a request's
 * completion, a queue's next deadline, the per-second sample — and a binary heap pays a full sift
 * (≈ log₂ n mispredicted comparisons) for each; here scheduling is a short walk in one bucket and
 * taking the earliest is reading the head of the first non-empty one.
 *
 * Buckets are BUCKET_MS wide and form a ring covering WHEEL_BUCKETS × BUCKET_MS ahead of the time
 * the caller says nothing is scheduled before (`fromMs`); an event beyond that does not fit and the
 * caller keeps it elsewhere. Each bucket is a list sorted by time, and, within one time, by insertion
 * (a new event goes after every event at its time: sequences only grow), so together with the bucket
 * order the wheel yields events by (time, sequence) exactly like the heap.
 *
 * Invariant: every stored event's bucket lies in [cursor, cursor + WHEEL_BUCKETS). The cursor is raised
 * to `fromMs`'s bucket on each insertion (nothing stored is earlier), lowered to an earlier insertion,
 * and moved forward to the first non-empty bucket when the front is looked up.
 */

import type { EventHandler } from './heap.ts';

/** A power of two, so `time / BUCKET_MS` is an exact multiplication. */
const BUCKETS_PER_MS = 8;
/** A power of two: the ring index is the bucket number's low bits. 32,768 buckets of ⅛ ms ≈ 4.1 s ahead. */
export const WHEEL_BUCKETS = 32768;
const MASK = WHEEL_BUCKETS - 1;
const NONE = -1;

export class TimingWheel {
  /** First event of each bucket (a node), NONE when empty. */
  private readonly heads = new Int32Array(WHEEL_BUCKETS).fill(NONE);
  /** One bit per bucket, set when it holds events: finding the next non-empty bucket skips 32 at a time. */
  private readonly occupied = new Int32Array(WHEEL_BUCKETS >> 5);
  /** Nodes, recycled through a free list threaded through `links`. */
  private times = new Float64Array(256);
  private seqs = new Float64Array(256);
  private links = new Int32Array(256);
  private handlers: (EventHandler | undefined)[] = new Array(256);
  private data: unknown[] = new Array(256);
  private freeNode = NONE;
  private usedNodes = 0;
  /** Absolute bucket number no later than the earliest event's. */
  private cursor = 0;
  size = 0;

  /**
   * Stores the event unless its time is earlier than `fromMs` or too far after it; false then.
   * `fromMs` must never decrease between calls, and no stored event may be earlier than it.
   */
  tryPush(fromMs: number, timeMs: number, seq: number, handler: EventHandler, data: unknown): boolean {
    const bucket = Math.floor(timeMs * BUCKETS_PER_MS);
    const base = Math.floor(fromMs * BUCKETS_PER_MS);
    if (bucket < base || bucket - base >= WHEEL_BUCKETS) return false;
    const node = this.allocate();
    const { times, links } = this;
    times[node] = timeMs;
    this.seqs[node] = seq;
    this.handlers[node] = handler;
    this.data[node] = data;
    // After every event at or before this time: ties keep their scheduling order.
    const index = bucket & MASK;
    let previous = NONE;
    let at = this.heads[index]!;
    while (at !== NONE && times[at]! <= timeMs) {
      previous = at;
      at = links[at]!;
    }
    links[node] = at;
    if (previous !== NONE) links[previous] = node;
    else {
      this.heads[index] = node;
      this.occupied[index >> 5]! |= 1 << (index & 31);
    }
    if (this.size === 0) this.cursor = bucket;
    else {
      if (this.cursor < base) this.cursor = base;
      if (bucket < this.cursor) this.cursor = bucket;
    }
    this.size += 1;
    return true;
  }

  /** Time of the earliest event, Infinity when empty. */
  peekTime(): number {
    return this.size > 0 ? this.times[this.heads[this.front()]!]! : Number.POSITIVE_INFINITY;
  }

  /** Sequence of the earliest event (size > 0). */
  peekSeq(): number {
    return this.seqs[this.heads[this.front()]!]!;
  }

  /** Removes the earliest event (size > 0) and runs it with its time. */
  popAndRun(): void {
    const index = this.front();
    const node = this.heads[index]!;
    const next = this.links[node]!;
    this.heads[index] = next;
    if (next === NONE) this.occupied[index >> 5]! &= ~(1 << (index & 31));
    this.size -= 1;
    const time = this.times[node]!;
    const handler = this.handlers[node]!;
    const payload = this.data[node];
    this.handlers[node] = undefined;
    this.data[node] = undefined;
    this.links[node] = this.freeNode;
    this.freeNode = node;
    handler(time, payload);
  }

  /** Ring index of the first non-empty bucket from the cursor, which moves there (size > 0). */
  private front(): number {
    const index = this.cursor & MASK;
    if (this.heads[index] !== NONE) return index;
    let word = index >> 5;
    // Bits of buckets before the cursor in its word are masked off; the scan may wrap around the ring.
    let bits = this.occupied[word]! & (-1 << (index & 31));
    while (bits === 0) {
      word = (word + 1) & (MASK >> 5);
      bits = this.occupied[word]!;
    }
    const found = (word << 5) | (31 - Math.clz32(bits & -bits));
    this.cursor += (found - index) & MASK;
    return found;
  }

  private allocate(): number {
    const node = this.freeNode;
    if (node !== NONE) {
      this.freeNode = this.links[node]!;
      return node;
    }
    if (this.usedNodes === this.times.length) this.grow();
    return this.usedNodes++;
  }

  private grow(): void {
    const size = this.times.length * 2;
    const times = new Float64Array(size);
    times.set(this.times);
    const seqs = new Float64Array(size);
    seqs.set(this.seqs);
    const links = new Int32Array(size);
    links.set(this.links);
    this.times = times;
    this.seqs = seqs;
    this.links = links;
    this.handlers.length = size;
    this.data.length = size;
  }
}
