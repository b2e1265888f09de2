/**
 * The two time-window aggregations behind the KPA:
 * - bucketed window averages of the scraped metric (knative/serving
 *   pkg/autoscaler/aggregation/bucketing.go, TimedFloat64Buckets), one for the stable and one for the
 *   panic window;
 * - the sliding maximum that delays scale-down decisions (pkg/autoscaler/aggregation/max/window.go and
 *   timewindow.go).
 * Platform facts: section d.
 */

/**
 * Averages over a window of fixed-size time buckets. Writes into one bucket are summed (the collector
 * writes once per 1 s scrape); gaps shorter than the window count as zeros; a window without writes
 * resets the history, and until a full window has been written the average is over the written part.
 */
export class TimedBuckets {
  private readonly buckets: number[];
  private firstWriteSeconds: number | null = null;
  private lastWriteSeconds = Number.NEGATIVE_INFINITY;
  private windowTotal = 0;

  constructor(
    private readonly windowSeconds: number,
    private readonly granularitySeconds: number,
  ) {
    // e.g. 60 s / 1 s = 60 buckets; at least one so a zero window still holds the latest write.
    this.buckets = new Array(Math.max(1, Math.ceil(windowSeconds / granularitySeconds))).fill(0);
  }

  private truncate(timeSeconds: number): number {
    return Math.floor(timeSeconds / this.granularitySeconds) * this.granularitySeconds;
  }

  private timeToIndex(timeSeconds: number): number {
    return Math.floor(Math.floor(timeSeconds) / this.granularitySeconds);
  }

  private slot(index: number): number {
    const length = this.buckets.length;
    return ((index % length) + length) % length;
  }

  record(nowSeconds: number, value: number): void {
    const bucketTime = this.truncate(nowSeconds);
    const writeIndex = this.timeToIndex(nowSeconds);
    if (this.lastWriteSeconds !== bucketTime) {
      if (this.firstWriteSeconds === null || bucketTime - this.lastWriteSeconds > this.windowSeconds) {
        // Nothing for a whole window: start over.
        this.firstWriteSeconds = bucketTime;
        this.buckets.fill(0);
        this.windowTotal = 0;
      } else {
        // Zero the buckets skipped since the last write (and the one being reused).
        for (let i = this.timeToIndex(this.lastWriteSeconds) + 1; i <= writeIndex; i++) {
          this.windowTotal -= this.buckets[this.slot(i)] ?? 0;
          this.buckets[this.slot(i)] = 0;
        }
      }
      this.lastWriteSeconds = bucketTime;
    }
    this.buckets[this.slot(writeIndex)] = (this.buckets[this.slot(writeIndex)] ?? 0) + value;
    this.windowTotal += value;
  }

  /** True when nothing was recorded during the last window (the metric client then has no data). */
  isEmpty(nowSeconds: number): boolean {
    return this.truncate(nowSeconds) - this.lastWriteSeconds > this.windowSeconds;
  }

  /** WindowAverage, floored to 6 decimals like upstream's roundToNDigits(6, …). */
  windowAverage(nowSeconds: number): number {
    const now = this.truncate(nowSeconds);
    const sinceLastWriteSeconds = now - this.lastWriteSeconds;
    if (sinceLastWriteSeconds <= 0) {
      return roundDown6(this.windowTotal / Math.min(this.writtenBuckets(), this.buckets.length));
    }
    // Nothing for a whole window (or never anything): 0.
    if (sinceLastWriteSeconds >= this.windowSeconds) return 0;
    // No data lately: drop the buckets that are now outside the window and average the rest.
    const startIndex = this.timeToIndex(this.lastWriteSeconds);
    const endIndex = this.timeToIndex(now);
    let total = this.windowTotal;
    for (let i = startIndex + 1; i <= endIndex; i++) total -= this.buckets[this.slot(i)] ?? 0;
    const buckets = Math.min(this.writtenBuckets(), this.buckets.length - (endIndex - startIndex));
    return roundDown6(total / buckets);
  }

  /** Buckets from the first to the last write, inclusive. */
  private writtenBuckets(): number {
    const spanSeconds = this.lastWriteSeconds - (this.firstWriteSeconds ?? this.lastWriteSeconds);
    return Math.floor(spanSeconds / this.granularitySeconds) + 1;
  }
}

function roundDown6(value: number): number {
  return Math.floor(value * 1e6) / 1e6;
}

interface MaxEntry {
  index: number;
  value: number;
}

/**
 * Sliding maximum over the last `size` bucket indexes ("descending minima" window, max/window.go).
 * A value recorded at index b stops counting once an index >= b + size is recorded.
 */
export class MaxWindow {
  private maxima: MaxEntry[] = [];

  constructor(private readonly size: number) {}

  record(index: number, value: number): void {
    let v = value;
    // A smaller, older value can never be the maximum again.
    while (this.maxima.length > 0 && v >= (this.maxima.at(-1)?.value ?? Number.NEGATIVE_INFINITY)) {
      this.maxima.pop();
    }
    while (this.maxima.length > 0 && index - (this.maxima[0]?.index ?? index) >= this.size)
      this.maxima.shift();
    const last = this.maxima.at(-1);
    if (last !== undefined && last.index === index) {
      v = Math.max(v, last.value);
      this.maxima.pop();
    }
    this.maxima.push({ index, value: v });
  }

  current(): number {
    return this.maxima[0]?.value ?? 0;
  }
}

/** max.TimeWindow: bucket index = floor(unix seconds / granularity). */
export class MaxTimeWindow {
  private readonly window: MaxWindow;

  constructor(
    durationSeconds: number,
    private readonly granularitySeconds: number,
  ) {
    this.window = new MaxWindow(Math.ceil(durationSeconds / granularitySeconds));
  }

  record(nowSeconds: number, value: number): void {
    this.window.record(Math.floor(Math.floor(nowSeconds) / this.granularitySeconds), value);
  }

  current(): number {
    return this.window.current();
  }
}
