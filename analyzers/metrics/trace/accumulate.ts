/**
 * Accumulators fed one row at a time, so a reader never holds rows: arrivals become bins (or, when
 * asked, a compact Float64Array of times), counts become a series.
 */

import { MigrateError } from '../../../core/errors.ts';
import type { BadRow } from '../../../core/traffic/profile.ts';

/** A Float64Array that grows; 8 bytes a value instead of a boxed number in an array. */
export class GrowableFloat64 {
  data = new Float64Array(1024);
  length = 0;

  push(value: number): void {
    if (this.length === this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = value;
  }

  view(): Float64Array {
    return this.data.subarray(0, this.length);
  }
}

/** Bad rows: all counted, the first few kept with file and line for the report. */
export class BadRowLog {
  count = 0;
  readonly samples: (BadRow & { file: string })[] = [];

  constructor(private readonly maxSamples: number) {}

  add(file: string, line: number, reason: string): void {
    this.count += 1;
    if (this.samples.length < this.maxSamples) this.samples.push({ file, line, reason });
  }

  summary(): string | null {
    if (this.count === 0) return null;
    const first = this.samples.slice(0, 3).map((s) => `${s.file}:${s.line}: ${s.reason}`);
    return `${this.count} bad row${this.count === 1 ? '' : 's'} skipped (${first.join('; ')}${this.count > 3 ? '; …' : ''})`;
  }
}

/** Keeps a series bounded: a year at 1-s steps is 31 M bins; past this, ask for a coarser step. */
const MAX_BINS = 50_000_000;

/**
 * Arrival times counted into steps anchored at the first row's time. Rows earlier than the anchor
 * (out of order) extend the bins backwards, so nothing is dropped.
 */
export class ArrivalBins {
  private counts = new Float64Array(4096);
  /** Array position of step 0 (the anchor's step). */
  private base = 0;
  private low = 0;
  private high = -1;
  private anchorMs = Number.NaN;

  constructor(
    private readonly stepMs: number,
    private readonly file: string,
  ) {}

  add(timeMs: number): void {
    if (Number.isNaN(this.anchorMs)) this.anchorMs = timeMs;
    const step = Math.floor((timeMs - this.anchorMs) / this.stepMs);
    if (step < this.low || step > this.high) this.extend(step);
    this.counts[this.base + step]! += 1;
  }

  private extend(step: number): void {
    const low = Math.min(this.low, step);
    const high = Math.max(this.high, step);
    if (high - low + 1 > MAX_BINS) {
      throw new MigrateError(
        `${this.file}: the trace spans more than ${MAX_BINS} steps of ${this.stepMs / 1000} s`,
        {
          hint: 'pass a larger --step',
        },
      );
    }
    if (this.base + low < 0 || this.base + high >= this.counts.length) {
      const size = Math.max(this.counts.length * 2, (high - low + 1) * 2);
      const next = new Float64Array(size);
      const newBase = -low + Math.floor((size - (high - low + 1)) / 4);
      next.set(this.counts.subarray(this.base + this.low, this.base + this.high + 1), newBase + this.low);
      this.counts = next;
      this.base = newBase;
    }
    this.low = low;
    this.high = high;
  }

  /** Start (ms) and counts of the occupied steps. */
  result(): { startMs: number; requests: number[] } {
    if (Number.isNaN(this.anchorMs)) return { startMs: 0, requests: [] };
    const slice = this.counts.subarray(this.base + this.low, this.base + this.high + 1);
    return { startMs: this.anchorMs + this.low * this.stepMs, requests: Array.from(slice) };
  }
}

/** Count rows with or without a time; resolved to a fixed-step series once all rows are in. */
export class CountRows {
  readonly times = new GrowableFloat64();
  readonly counts = new GrowableFloat64();
  readonly lines: number[] = [];

  add(timeMs: number, count: number, line: number): void {
    this.times.push(timeMs);
    this.counts.push(count);
    this.lines.push(line);
  }
}

/** Per-request rows: bins when streaming, compact times (and durations) when arrivals are kept. */
export class RequestCollector {
  readonly bins: ArrivalBins | null;
  readonly times: GrowableFloat64 | null;
  readonly durations: GrowableFloat64 | null;
  rows = 0;
  outOfOrder = 0;
  minMs = Number.POSITIVE_INFINITY;
  maxMs = Number.NEGATIVE_INFINITY;
  private previous = Number.NEGATIVE_INFINITY;

  constructor(stepMs: number, file: string, keepArrivals: boolean, withDurations: boolean) {
    this.bins = keepArrivals ? null : new ArrivalBins(stepMs, file);
    this.times = keepArrivals ? new GrowableFloat64() : null;
    this.durations = keepArrivals && withDurations ? new GrowableFloat64() : null;
  }

  /** `durationMs` is NaN when the row has none. */
  add(timeMs: number, durationMs: number): void {
    this.rows += 1;
    if (timeMs < this.previous) this.outOfOrder += 1;
    this.previous = timeMs;
    if (timeMs < this.minMs) this.minMs = timeMs;
    if (timeMs > this.maxMs) this.maxMs = timeMs;
    this.bins?.add(timeMs);
    this.times?.push(timeMs);
    this.durations?.push(durationMs);
  }
}
