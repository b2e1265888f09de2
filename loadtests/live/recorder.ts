/**
 * What a live run measures per target, updated as requests finish and never stored per request:
 * outcome counters, latency and send-lag histograms (the replay engine's HDR-style one), status codes,
 * error codes, and a timeline bucketed by SCHEDULED time: a request is charged to the second it was
 * due, so a stall shows up where the users felt it, not when the backlog drained.
 */

import { LatencyHistogram } from '../engine/histogram.ts';

export const LIVE_TIMELINE_COLUMNS = [
  'tSeconds',
  'scheduled',
  'sent',
  'served',
  'failed',
  'timedOut',
  'dropped',
  'meanLatencyMs',
  'p99LatencyMs',
  'maxLatencyMs',
] as const;

/** At most this many timeline rows: per second up to an hour, coarser beyond. */
const MAX_ROWS = 3600;
const NICE_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600];

export function liveTimelineStepSeconds(windowMs: number): number {
  const seconds = windowMs / 1000;
  return NICE_STEPS.find((step) => seconds / step <= MAX_ROWS) ?? Math.ceil(seconds / MAX_ROWS);
}

/**
 * A coarse log histogram for one timeline row: 8 buckets per doubling from 1/16 ms (≈ 4.5 % error at
 * a bucket's middle), 1 KiB per row where the run-wide histogram takes 40 KiB.
 */
const ROW_BUCKETS = 256;
const PER_DOUBLING = 8;
function rowBucket(valueMs: number): number {
  const scaled = valueMs * 16;
  if (scaled <= 1) return 0;
  return Math.min(ROW_BUCKETS - 1, Math.floor(Math.log2(scaled) * PER_DOUBLING));
}
function rowBucketMiddleMs(index: number): number {
  return 2 ** ((index + 0.5) / PER_DOUBLING) / 16;
}

export type Outcome = 'served' | 'failed' | 'timedOut';

export class LiveRecorder {
  scheduled = 0;
  sent = 0;
  served = 0;
  failed = 0;
  timedOut = 0;
  dropped = 0;
  /** Wall ms after the run's start of the first and last send, and of the last outcome. */
  firstSendMs = Number.NaN;
  lastSendMs = Number.NaN;
  lastOutcomeMs = 0;
  readonly latency = new LatencyHistogram();
  readonly sendLag = new LatencyHistogram();
  readonly statusCodes = new Map<number, number>();
  readonly errors = new Map<string, number>();
  readonly stepMs: number;
  private readonly rows: Float64Array;
  private readonly rowHistograms: (Uint32Array | undefined)[];

  constructor(
    windowMs: number,
    readonly stepSeconds = liveTimelineStepSeconds(windowMs),
  ) {
    this.stepMs = stepSeconds * 1000;
    const rowCount = Math.max(1, Math.ceil(windowMs / this.stepMs));
    this.rows = new Float64Array(rowCount * LIVE_TIMELINE_COLUMNS.length);
    this.rowHistograms = new Array(rowCount);
  }

  get rowCount(): number {
    return this.rowHistograms.length;
  }

  rowOf(scheduledMs: number): number {
    return Math.min(this.rowHistograms.length - 1, Math.floor(scheduledMs / this.stepMs));
  }

  private add(row: number, column: number, value = 1): void {
    this.rows[row * LIVE_TIMELINE_COLUMNS.length + column]! += value;
  }

  schedule(row: number): void {
    this.scheduled += 1;
    this.add(row, 1);
  }

  drop(row: number): void {
    this.dropped += 1;
    this.add(row, 6);
  }

  send(row: number, lagMs: number, nowMs: number): void {
    this.sent += 1;
    this.add(row, 2);
    this.sendLag.record(Math.max(0, lagMs));
    if (Number.isNaN(this.firstSendMs)) this.firstSendMs = nowMs;
    this.lastSendMs = nowMs;
  }

  finish(row: number, outcome: Outcome, latencyMs: number, nowMs: number, detail: number | string): void {
    this.lastOutcomeMs = Math.max(this.lastOutcomeMs, nowMs);
    if (typeof detail === 'number') this.statusCodes.set(detail, (this.statusCodes.get(detail) ?? 0) + 1);
    else if (detail) this.errors.set(detail, (this.errors.get(detail) ?? 0) + 1);
    if (outcome === 'timedOut') {
      this.timedOut += 1;
      this.add(row, 5);
      return;
    }
    if (outcome === 'failed') {
      this.failed += 1;
      this.add(row, 4);
      return;
    }
    this.served += 1;
    this.latency.record(latencyMs);
    this.add(row, 3);
    this.add(row, 7, latencyMs);
    const base = row * LIVE_TIMELINE_COLUMNS.length;
    if (latencyMs > this.rows[base + 9]!) this.rows[base + 9] = latencyMs;
    let histogram = this.rowHistograms[row];
    if (!histogram) {
      histogram = new Uint32Array(ROW_BUCKETS);
      this.rowHistograms[row] = histogram;
    }
    histogram[rowBucket(latencyMs)]! += 1;
  }

  /** Rows as `LIVE_TIMELINE_COLUMNS`: the mean and p99 of served requests, ms rounded to 0.001. */
  timelineRows(): number[][] {
    const width = LIVE_TIMELINE_COLUMNS.length;
    const round = (value: number) => Math.round(value * 1000) / 1000;
    const out: number[][] = [];
    for (let row = 0; row < this.rowHistograms.length; row++) {
      const cells = Array.from(this.rows.subarray(row * width, (row + 1) * width));
      cells[0] = row * this.stepSeconds;
      const served = cells[3]!;
      cells[7] = served > 0 ? round(cells[7]! / served) : 0;
      cells[8] = served > 0 ? round(Math.min(cells[9]!, this.rowQuantile(row, 0.99))) : 0;
      cells[9] = round(cells[9]!);
      out.push(cells);
    }
    return out;
  }

  private rowQuantile(row: number, q: number): number {
    const histogram = this.rowHistograms[row];
    if (!histogram) return 0;
    let total = 0;
    for (const count of histogram) total += count;
    const rank = Math.max(1, Math.ceil(q * total));
    let seen = 0;
    for (let i = 0; i < ROW_BUCKETS; i++) {
      seen += histogram[i]!;
      if (seen >= rank) return rowBucketMiddleMs(i);
    }
    return 0;
  }
}
