/**
 * The downsampled timeline of a run: a fixed-width bucket per `stepSeconds` (chosen so a run has at
 * most ~240 buckets), holding counts of what happened in it and the extremes of the sampled gauges.
 * Its size depends on the run's length, never on the number of requests.
 */

import type { Gauges } from '../platforms/types.ts';

const NICE_STEPS = [
  1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14_400, 21_600, 43_200, 86_400,
];
const MAX_BUCKETS = 240;

export interface TimelineJson {
  stepSeconds: number;
  columns: readonly string[];
  rows: number[][];
}

export const TIMELINE_COLUMNS = [
  'tSeconds',
  'arrivals',
  'served',
  'failed',
  'meanLatencyMs',
  'maxWaitMs',
  'instancesMax',
  'readyMean',
  'nodesMax',
  'queuedMax',
] as const;

export function timelineStepSeconds(durationMs: number): number {
  const seconds = durationMs / 1000;
  return NICE_STEPS.find((step) => seconds / step <= MAX_BUCKETS) ?? Math.ceil(seconds / MAX_BUCKETS);
}

export class Timeline {
  private readonly stepMs: number;
  private arrivals: number[] = [];
  private served: number[] = [];
  private failed: number[] = [];
  private latencySum: number[] = [];
  private maxWait: number[] = [];
  private instancesMax: number[] = [];
  private readySum: number[] = [];
  private samples: number[] = [];
  private nodesMax: number[] = [];
  private queuedMax: number[] = [];

  constructor(readonly stepSeconds: number) {
    this.stepMs = stepSeconds * 1000;
  }

  /** The bucket of the last call: time only moves forward, so most calls reuse it. */
  private currentIndex = -1;
  private currentFromMs = 0;
  private currentToMs = 0;

  private bucket(nowMs: number): number {
    if (nowMs >= this.currentFromMs && nowMs < this.currentToMs) return this.currentIndex;
    return this.moveTo(nowMs);
  }

  /**
   * The slow path of `bucket`, apart so that `bucket` stays small enough for the optimiser to inline
   * into every caller (several per request).
   */
  private moveTo(nowMs: number): number {
    const index = Math.floor(nowMs / this.stepMs);
    this.currentIndex = index;
    this.currentFromMs = index * this.stepMs;
    this.currentToMs = this.currentFromMs + this.stepMs;
    while (this.arrivals.length <= index) {
      for (const column of [
        this.arrivals,
        this.served,
        this.failed,
        this.latencySum,
        this.maxWait,
        this.instancesMax,
        this.readySum,
        this.samples,
        this.nodesMax,
        this.queuedMax,
      ])
        column.push(0);
    }
    return index;
  }

  arrival(nowMs: number): void {
    this.arrivals[this.bucket(nowMs)]! += 1;
  }

  servedAt(nowMs: number, latencyMs: number): void {
    const index = this.bucket(nowMs);
    this.served[index]! += 1;
    this.latencySum[index]! += latencyMs;
  }

  failedAt(nowMs: number): void {
    this.failed[this.bucket(nowMs)]! += 1;
  }

  waited(nowMs: number, waitMs: number): void {
    const index = this.bucket(nowMs);
    if (waitMs > this.maxWait[index]!) this.maxWait[index] = waitMs;
  }

  sample(nowMs: number, gauges: Gauges): void {
    const index = this.bucket(nowMs);
    if (gauges.instances > this.instancesMax[index]!) this.instancesMax[index] = gauges.instances;
    if (gauges.nodes > this.nodesMax[index]!) this.nodesMax[index] = gauges.nodes;
    if (gauges.queued > this.queuedMax[index]!) this.queuedMax[index] = gauges.queued;
    this.readySum[index]! += gauges.ready;
    this.samples[index]! += 1;
  }

  /** Gauge extremes over the whole run, and the time-mean of ready instances. */
  peaks(): { instancesMax: number; nodesMax: number; readyMean: number } {
    const samples = this.samples.reduce((sum, value) => sum + value, 0);
    return {
      instancesMax: Math.max(0, ...this.instancesMax),
      nodesMax: Math.max(0, ...this.nodesMax),
      readyMean: samples > 0 ? this.readySum.reduce((sum, value) => sum + value, 0) / samples : 0,
    };
  }

  toJson(): TimelineJson {
    const round = (value: number) => Math.round(value * 1000) / 1000;
    return {
      stepSeconds: this.stepSeconds,
      columns: TIMELINE_COLUMNS,
      rows: this.arrivals.map((arrivals, i) => [
        i * this.stepSeconds,
        arrivals,
        this.served[i]!,
        this.failed[i]!,
        this.served[i]! > 0 ? round(this.latencySum[i]! / this.served[i]!) : 0,
        round(this.maxWait[i]!),
        this.instancesMax[i]!,
        this.samples[i]! > 0 ? round(this.readySum[i]! / this.samples[i]!) : 0,
        this.nodesMax[i]!,
        this.queuedMax[i]!,
      ]),
    };
  }
}
