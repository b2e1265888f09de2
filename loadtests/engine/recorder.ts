/**
 * Everything a run measures, updated as requests come and go and never stored per request: the
 * outcome counters, latency and wait histograms (overall and inside the spike), the time integral
 * of requests in the system (Little's law), and the per-second worst queueing delay after the spike
 * starts (time to recover).
 */

import type { SimRequest } from '../platforms/types.ts';
import { LatencyHistogram } from './histogram.ts';
import type { Timeline } from './timeline.ts';

export class Recorder {
  total = 0;
  served = 0;
  timedOut = 0;
  throttled = 0;
  dropped = 0;
  coldStarts = 0;
  waitedForColdStart = 0;
  readonly latency = new LatencyHistogram();
  readonly spikeLatency = new LatencyHistogram();
  readonly wait = new LatencyHistogram();
  /** Requests arrived and not yet left (waiting, in service, or finishing after their client gave up). */
  inSystem = 0;
  private areaMs = 0;
  private lastChangeMs = 0;
  private sojournSumMs = 0;
  lastDepartureMs = 0;

  constructor(
    private readonly timeline: Timeline,
    private readonly spike: { startMs: number; endMs: number } | null,
    readonly recovery: RecoveryTracker | null,
    /** Receives each request once it has left, for reuse. */
    private readonly release: (request: SimRequest) => void,
  ) {}

  arrive(nowMs: number): void {
    this.areaMs += this.inSystem * (nowMs - this.lastChangeMs);
    this.lastChangeMs = nowMs;
    this.inSystem += 1;
    this.total += 1;
    this.timeline.arrival(nowMs);
  }

  private leave(request: SimRequest, nowMs: number): void {
    this.areaMs += this.inSystem * (nowMs - this.lastChangeMs);
    this.lastChangeMs = nowMs;
    this.inSystem -= 1;
    this.sojournSumMs += nowMs - request.arrivalMs;
    this.lastDepartureMs = nowMs;
    this.release(request);
  }

  start(request: SimRequest, nowMs: number, instanceReadyAtMs: number): void {
    request.startMs = nowMs;
    const waitMs = nowMs - request.arrivalMs;
    this.wait.record(waitMs);
    if (waitMs > 0) this.timeline.waited(nowMs, waitMs);
    if (instanceReadyAtMs > request.arrivalMs) this.waitedForColdStart += 1;
    this.recovery?.note(request.arrivalMs, waitMs);
  }

  complete(request: SimRequest, nowMs: number): void {
    if (nowMs > request.deadlineMs) {
      this.timedOut += 1;
      this.timeline.failedAt(nowMs);
    } else {
      this.served += 1;
      const latencyMs = nowMs - request.arrivalMs;
      this.latency.record(latencyMs);
      if (this.spike && request.arrivalMs >= this.spike.startMs && request.arrivalMs < this.spike.endMs)
        this.spikeLatency.record(latencyMs);
      this.timeline.servedAt(nowMs, latencyMs);
    }
    this.leave(request, nowMs);
  }

  /** Gave up while waiting: a failure for the client at its deadline. */
  expire(request: SimRequest, nowMs: number): void {
    this.timedOut += 1;
    this.fail(request, nowMs);
  }

  throttle(request: SimRequest, nowMs: number): void {
    this.throttled += 1;
    this.fail(request, nowMs);
  }

  drop(request: SimRequest, nowMs: number): void {
    this.dropped += 1;
    this.fail(request, nowMs);
  }

  private fail(request: SimRequest, nowMs: number): void {
    this.timeline.failedAt(nowMs);
    this.recovery?.note(request.arrivalMs, Number.POSITIVE_INFINITY);
    this.leave(request, nowMs);
  }

  /** Little's law over [0, endMs]: L (time-mean in system) against λ·W. */
  littlesLaw(endMs: number) {
    const area = this.areaMs + this.inSystem * (endMs - this.lastChangeMs);
    const departures = this.total - this.inSystem;
    const meanInSystem = endMs > 0 ? area / endMs : 0;
    const throughputPerSecond = endMs > 0 ? (departures / endMs) * 1000 : 0;
    const meanTimeInSystemMs = departures > 0 ? this.sojournSumMs / departures : 0;
    const predicted = (throughputPerSecond * meanTimeInSystemMs) / 1000;
    return {
      meanInSystem,
      throughputPerSecond,
      meanTimeInSystemMs,
      relativeError: meanInSystem > 0 ? Math.abs(meanInSystem - predicted) / meanInSystem : 0,
    };
  }
}

/** How long after the spike starts the queueing delay is back under the SLO (docs/replay.md#recovery). */
export class RecoveryTracker {
  private readonly worstWaitMs: Float64Array;
  /** Seconds the delay must stay under the SLO to count as recovered. */
  static readonly STABLE_SECONDS = 10;

  constructor(
    private readonly spikeStartMs: number,
    horizonMs: number,
    private readonly sloMs: number,
  ) {
    this.worstWaitMs = new Float64Array(Math.max(1, Math.ceil(horizonMs / 1000)));
  }

  note(arrivalMs: number, waitMs: number): void {
    if (arrivalMs < this.spikeStartMs) return;
    const second = Math.floor((arrivalMs - this.spikeStartMs) / 1000);
    if (second < this.worstWaitMs.length && waitMs > this.worstWaitMs[second]!)
      this.worstWaitMs[second] = waitMs;
  }

  /**
   * 0 when no request arriving after the spike start waited longer than the SLO; otherwise the first
   * second after the first breach from which every request arriving in the next `STABLE_SECONDS`
   * waited at most the SLO (null: it never did before the run ended).
   */
  result(): { recoverySeconds: number | null; exceededSlo: boolean } {
    const worst = this.worstWaitMs;
    const first = worst.findIndex((value) => value > this.sloMs);
    if (first < 0) return { recoverySeconds: 0, exceededSlo: false };
    let cleanSince = -1;
    for (let second = first + 1; second < worst.length; second++) {
      if (worst[second]! > this.sloMs) cleanSince = -1;
      else {
        if (cleanSince < 0) cleanSince = second;
        if (second - cleanSince + 1 >= RecoveryTracker.STABLE_SECONDS)
          return { recoverySeconds: cleanSince, exceededSlo: true };
      }
    }
    return { recoverySeconds: null, exceededSlo: true };
  }
}
