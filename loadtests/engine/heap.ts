/**
 * A binary min-heap of events on (time, insertion sequence). The sequence breaks ties, so events at
 * the same instant fire in the order they were scheduled and a run is reproducible. The engine's event
 * queue (./events.ts) keeps here the events too far ahead for its timing wheel.
 *
 * Events live in slots of parallel arrays (time, sequence, handler, data) that are recycled; the heap
 * itself is an Int32Array of slot numbers, so sifting moves one integer per level and scheduling an
 * event allocates nothing once the arrays have grown to the run's working size.
 */

export type EventHandler = (nowMs: number, data: unknown) => void;

export class EventHeap {
  private heap = new Int32Array(1024);
  private times = new Float64Array(1024);
  private seqs = new Float64Array(1024);
  private handlers: (EventHandler | undefined)[] = new Array(1024);
  private data: unknown[] = new Array(1024);
  private readonly freeSlots: number[] = [];
  private usedSlots = 0;
  private count = 0;
  private nextSeq = 0;

  get size(): number {
    return this.count;
  }

  /** Time of the earliest event, or Infinity when empty. */
  peekTime(): number {
    return this.count > 0 ? this.times[this.heap[0]!]! : Number.POSITIVE_INFINITY;
  }

  push(timeMs: number, handler: EventHandler, data: unknown): void {
    this.pushWithSeq(timeMs, this.nextSeq++, handler, data);
  }

  /** Sequence of the earliest event (size > 0). */
  peekSeq(): number {
    return this.seqs[this.heap[0]!]!;
  }

  /**
   * Schedules with a sequence number given by the caller (./events.ts shares one counter between this
   * heap and the timing wheel); sequences must be unique and increase from call to call.
   */
  pushWithSeq(timeMs: number, seq: number, handler: EventHandler, data: unknown): void {
    let slot: number;
    if (this.freeSlots.length > 0) slot = this.freeSlots.pop()!;
    else {
      if (this.usedSlots === this.times.length) this.grow();
      slot = this.usedSlots++;
    }
    const { heap, times, seqs } = this;
    times[slot] = timeMs;
    seqs[slot] = seq;
    this.handlers[slot] = handler;
    this.data[slot] = data;
    let at = this.count++;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      const above = heap[parent]!;
      const aboveTime = times[above]!;
      if (aboveTime < timeMs || (aboveTime === timeMs && seqs[above]! < seq)) break;
      heap[at] = above;
      at = parent;
    }
    heap[at] = slot;
  }

  /** Removes the earliest event and runs it with its time. */
  popAndRun(): void {
    const slot = this.heap[0]!;
    const time = this.times[slot]!;
    const handler = this.handlers[slot]!;
    const payload = this.data[slot];
    this.handlers[slot] = undefined;
    this.data[slot] = undefined;
    this.freeSlots.push(slot);
    this.removeTop();
    handler(time, payload);
  }

  private removeTop(): void {
    const last = --this.count;
    if (last === 0) return;
    const { heap, times, seqs } = this;
    const moving = heap[last]!;
    const time = times[moving]!;
    const seq = seqs[moving]!;
    const half = last >> 1;
    let at = 0;
    while (at < half) {
      let child = 2 * at + 1;
      let below = heap[child]!;
      let belowTime = times[below]!;
      const right = child + 1;
      if (right < last) {
        const other = heap[right]!;
        const otherTime = times[other]!;
        if (otherTime < belowTime || (otherTime === belowTime && seqs[other]! < seqs[below]!)) {
          child = right;
          below = other;
          belowTime = otherTime;
        }
      }
      if (belowTime > time || (belowTime === time && seqs[below]! > seq)) break;
      heap[at] = below;
      at = child;
    }
    heap[at] = moving;
  }

  private grow(): void {
    const size = this.times.length * 2;
    const heap = new Int32Array(size);
    heap.set(this.heap);
    const times = new Float64Array(size);
    times.set(this.times);
    const seqs = new Float64Array(size);
    seqs.set(this.seqs);
    this.heap = heap;
    this.times = times;
    this.seqs = seqs;
    this.handlers.length = size;
    this.data.length = size;
  }
}
