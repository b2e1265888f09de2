/**
 * Arrivals from a TrafficProfile, generated lazily, one step at a time, so a replay of any length holds
 * at most one step's worth of generated times:
 *
 * - `exact`: the trace's own arrival times (and its per-request service times when it has them);
 * - `counts`: exactly the recorded count in each step, at seeded uniform random times inside it;
 * - `poisson`: a seeded Poisson process at each step's rate (sources that give rates, not counts:
 *   Prometheus `increase()`, ServeGen windows, fractional counts).
 *
 * Steps listed as missing (a Prometheus gap) produce no arrivals. Times are ms after the window start.
 */

import type { Random } from '../../core/random.ts';
import type { TrafficProfile } from '../../core/traffic/index.ts';
import type { ReplayWindow } from './window.ts';

export type ArrivalMode = 'exact' | 'counts' | 'poisson';

export interface ArrivalSource {
  readonly mode: ArrivalMode;
  readonly durationMs: number;
  /** Time of the next arrival (ms after the window start), Infinity after the last. */
  nextMs: number;
  /** The trace's service time for that arrival, NaN when it has none. */
  nextServiceMs: number;
  advance(): void;
}

export function arrivalMode(profile: TrafficProfile): ArrivalMode {
  if (profile.arrivalOffsetsMs) return 'exact';
  const origin = profile.origin;
  if (origin.kind === 'prometheus' || (origin.kind === 'file' && origin.format === 'servegen'))
    return 'poisson';
  return profile.series.requests.every(Number.isInteger) ? 'counts' : 'poisson';
}

export function createArrivals(profile: TrafficProfile, window: ReplayWindow, random: Random): ArrivalSource {
  const mode = arrivalMode(profile);
  if (mode === 'exact') return new ExactArrivals(profile, window);
  return new SteppedArrivals(profile, window, random, mode);
}

class ExactArrivals implements ArrivalSource {
  readonly mode = 'exact' as const;
  readonly durationMs: number;
  nextMs = Number.POSITIVE_INFINITY;
  nextServiceMs = Number.NaN;
  private index: number;
  private readonly offsets: readonly number[];
  private readonly services: readonly (number | null)[] | undefined;

  constructor(
    profile: TrafficProfile,
    private readonly window: ReplayWindow,
  ) {
    this.offsets = profile.arrivalOffsetsMs!;
    this.services = profile.serviceTimesMs;
    this.durationMs = window.endMs - window.startMs;
    this.index = lowerBound(this.offsets, window.startMs);
    this.load();
  }

  advance(): void {
    this.index += 1;
    this.load();
  }

  private load(): void {
    const offset = this.offsets[this.index];
    if (offset === undefined || offset >= this.window.endMs) {
      this.nextMs = Number.POSITIVE_INFINITY;
      this.nextServiceMs = Number.NaN;
      return;
    }
    this.nextMs = offset - this.window.startMs;
    this.nextServiceMs = this.services?.[this.index] ?? Number.NaN;
  }
}

class SteppedArrivals implements ArrivalSource {
  readonly durationMs: number;
  nextMs = Number.POSITIVE_INFINITY;
  nextServiceMs = Number.NaN;
  private step: number;
  private readonly stepMs: number;
  private readonly missing: Set<number>;
  private buffer = new Float64Array(256);
  private bufferLength = 0;
  private bufferIndex = 0;
  /** Poisson mode: the current step, its end, its rate per ms and the last arrival drawn in it. */
  private inStep = false;
  private stepEndMs = 0;
  private ratePerMs = 0;
  private lastTimeMs = 0;

  constructor(
    private readonly profile: TrafficProfile,
    private readonly window: ReplayWindow,
    private readonly random: Random,
    readonly mode: 'counts' | 'poisson',
  ) {
    this.stepMs = profile.series.stepSeconds * 1000;
    this.missing = new Set(profile.series.missingSteps);
    this.durationMs = window.endMs - window.startMs;
    this.step = Math.floor(window.startMs / this.stepMs) - 1;
    this.advance();
  }

  advance(): void {
    for (;;) {
      const time = this.mode === 'counts' ? this.nextBuffered() : this.nextPoisson();
      if (time === null) {
        if (!this.enterNextStep()) {
          this.nextMs = Number.POSITIVE_INFINITY;
          return;
        }
        continue;
      }
      if (time < this.window.startMs) continue;
      if (time >= this.window.endMs) {
        this.nextMs = Number.POSITIVE_INFINITY;
        return;
      }
      this.nextMs = time - this.window.startMs;
      return;
    }
  }

  private nextBuffered(): number | null {
    return this.bufferIndex < this.bufferLength ? this.buffer[this.bufferIndex++]! : null;
  }

  private nextPoisson(): number | null {
    if (!this.inStep) return null;
    const time = this.lastTimeMs + this.random.nextExponential(this.ratePerMs);
    if (time >= this.stepEndMs) {
      this.inStep = false;
      return null;
    }
    this.lastTimeMs = time;
    return time;
  }

  /** Moves to the next step inside the window; false when there is none. */
  private enterNextStep(): boolean {
    const requests = this.profile.series.requests;
    for (;;) {
      this.step += 1;
      const startMs = this.step * this.stepMs;
      if (this.step >= requests.length || startMs >= this.window.endMs) return false;
      if (this.missing.has(this.step)) continue;
      const count = requests[this.step]!;
      if (!(count > 0)) continue;
      if (this.mode === 'counts') this.fillUniform(startMs, Math.round(count));
      else {
        this.ratePerMs = count / this.stepMs;
        this.stepEndMs = startMs + this.stepMs;
        this.lastTimeMs = startMs;
        this.inStep = true;
      }
      return true;
    }
  }

  /**
   * `count` sorted uniform times in [startMs, startMs + step): normalised partial sums of count + 1
   * exponential spacings are distributed exactly as the order statistics of uniforms, without a sort.
   */
  private fillUniform(startMs: number, count: number): void {
    if (this.buffer.length < count + 1)
      this.buffer = new Float64Array(Math.max(count + 1, this.buffer.length * 2));
    const buffer = this.buffer;
    let sum = 0;
    for (let i = 0; i < count; i++) {
      sum += this.random.nextExponential(1);
      buffer[i] = sum;
    }
    sum += this.random.nextExponential(1);
    const scale = this.stepMs / sum;
    for (let i = 0; i < count; i++) buffer[i] = startMs + buffer[i]! * scale;
    this.bufferLength = count;
    this.bufferIndex = 0;
  }
}

function lowerBound(values: readonly number[], target: number): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (values[middle]! < target) low = middle + 1;
    else high = middle;
  }
  return low;
}
