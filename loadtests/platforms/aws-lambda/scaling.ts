/**
 * Lambda's per-function concurrency scaling rate: at most `capacity` new execution environments in
 * any `windowMs` (1,000 per 10 s).
 *
 * A token bucket of `capacity` tokens, refilled continuously: each token spent comes back exactly
 * `windowMs` after it was spent, one by one, never in a lump every 10 s and never beyond `capacity`
 * ("refilled continuously … doesn't accrue unused portions", scaling-behavior page). A bucket refilled
 * at a steady 100 per second instead would let a full bucket plus a window's refill — up to 2,000
 * environments — through in one 10-s window, which the page's "every 10 seconds, Lambda can allocate
 * at most 1,000 additional execution environment instances" rules out. So the number created in any
 * half-open window [t, t + windowMs) never exceeds `capacity`.
 */
export class ScalingRate {
  /** Spend times of the tokens still out, oldest first (a ring of `capacity` slots). */
  private readonly spentAt: Float64Array;
  private head = 0;
  private out = 0;
  /** Most environments created in one window so far (what the run reports). */
  peakInWindow = 0;
  /** Environments created in total. */
  created = 0;

  constructor(
    readonly capacity: number,
    readonly windowMs: number,
  ) {
    this.spentAt = new Float64Array(Math.max(1, capacity));
  }

  /** Tokens in the bucket now. */
  available(nowMs: number): number {
    this.refill(nowMs);
    return this.capacity - this.out;
  }

  /** Takes one token now if there is one: a new environment may be created. */
  take(nowMs: number): boolean {
    if (this.available(nowMs) <= 0) return false;
    this.spentAt[(this.head + this.out) % this.capacity] = nowMs;
    this.out += 1;
    this.created += 1;
    if (this.out > this.peakInWindow) this.peakInWindow = this.out;
    return true;
  }

  /** Tokens spent a whole window ago are back. */
  private refill(nowMs: number): void {
    while (this.out > 0 && this.spentAt[this.head]! + this.windowMs <= nowMs) {
      this.head = (this.head + 1) % this.capacity;
      this.out -= 1;
    }
  }
}
