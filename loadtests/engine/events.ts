/**
 * The simulator's event queue: events run in order of (time, scheduling sequence), so events at the
 * same instant fire in the order they were scheduled and a run is reproducible.
 *
 * Two parts share one sequence counter: a timing wheel (./wheel.ts) for events due within a few
 * seconds — nearly all of them: completions, queue deadlines, samples — and a binary heap (./heap.ts)
 * for the rest. Each part yields its events by (time, sequence), and the earlier of the two fronts
 * by the same key runs next, so the order is exactly the one a single heap would give, whichever part
 * an event sits in.
 */

import { type EventHandler, EventHeap } from './heap.ts';
import { TimingWheel } from './wheel.ts';

export class EventQueue {
  private readonly near = new TimingWheel();
  private readonly far = new EventHeap();
  private nextSeq = 0;
  /**
   * Time of the latest event run so far: nothing the engine schedules is earlier (it never schedules in
   * the past), and the wheel reaches a few seconds ahead of it. Only ever increases.
   */
  private lastMs = 0;

  /**
   * The earliest event, remembered between calls: the loop asks for it before every arrival and every
   * event, and it only changes when an event is run or an earlier one is scheduled. Valid unless
   * `stale`; `fromNear` says which part holds it.
   */
  private frontMs = Number.POSITIVE_INFINITY;
  private fromNear = false;
  private stale = false;

  get size(): number {
    return this.near.size + this.far.size;
  }

  push(timeMs: number, handler: EventHandler, data: unknown): void {
    const seq = this.nextSeq++;
    const near = this.near.tryPush(this.lastMs, timeMs, seq, handler, data);
    if (!near) this.far.pushWithSeq(timeMs, seq, handler, data);
    // At the same time as the front it comes later (a higher sequence): only an earlier one takes over.
    if (!this.stale && timeMs < this.frontMs) {
      this.frontMs = timeMs;
      this.fromNear = near;
    }
  }

  /** Time of the earliest event, or Infinity when empty. */
  peekTime(): number {
    if (this.stale) this.findFront();
    return this.frontMs;
  }

  /** Removes the earliest event and runs it with its time. */
  popAndRun(): void {
    if (this.stale) this.findFront();
    if (this.frontMs > this.lastMs) this.lastMs = this.frontMs;
    this.stale = true;
    if (this.fromNear) this.near.popAndRun();
    else this.far.popAndRun();
  }

  /** The earlier of the two parts' fronts, by (time, sequence). */
  private findFront(): void {
    const near = this.near.peekTime();
    const far = this.far.peekTime();
    this.fromNear =
      near < far || (near === far && this.near.size > 0 && this.near.peekSeq() < this.far.peekSeq());
    this.frontMs = this.fromNear ? near : far;
    this.stale = false;
  }
}
