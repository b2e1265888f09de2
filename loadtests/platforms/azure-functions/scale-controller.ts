/**
 * The Azure Functions scale controller for HTTP triggers: "new instances are allocated, at most, once
 * per second" (platform-facts.md g). The model asks whenever requests wait without a slot; the
 * controller adds one instance now if the last was added at least `intervalMs` ago, otherwise it comes
 * back when that interval is over and asks again. Additions are therefore never closer than
 * `intervalMs` apart.
 */

import type { EventHandler, Simulation } from '../types.ts';

export class ScaleController {
  private lastAddMs = Number.NEGATIVE_INFINITY;
  private armed = false;
  /** Times instances were added (tests and the run's notes read the smallest gap). */
  added = 0;
  smallestGapMs = Number.POSITIVE_INFINITY;
  private readonly onArmed: EventHandler;

  constructor(
    private readonly sim: Simulation,
    readonly intervalMs: number,
    /** Adds one instance when the app is short of capacity; returns whether it did. */
    private readonly addOne: () => boolean,
    /** Whether the app is short of capacity now. */
    private readonly short: () => boolean,
  ) {
    this.onArmed = () => {
      this.armed = false;
      this.check();
    };
  }

  /** Capacity may be short: add an instance now or as soon as the rate allows. */
  check(): void {
    if (!this.short()) return;
    const nowMs = this.sim.now();
    const nextMs = this.lastAddMs + this.intervalMs;
    if (nowMs < nextMs) {
      if (!this.armed) {
        this.armed = true;
        this.sim.schedule(nextMs, this.onArmed);
      }
      return;
    }
    if (!this.addOne()) return;
    if (this.lastAddMs > Number.NEGATIVE_INFINITY)
      this.smallestGapMs = Math.min(this.smallestGapMs, nowMs - this.lastAddMs);
    this.lastAddMs = nowMs;
    this.added += 1;
    if (this.short() && !this.armed) {
      this.armed = true;
      this.sim.schedule(nowMs + this.intervalMs, this.onArmed);
    }
  }
}
