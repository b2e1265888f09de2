/**
 * A latency histogram in the HDR style: log-linear buckets over integer microseconds. Below 256 µs a
 * bucket is 1 µs wide; above, every power of two is split into 128 equal buckets, so a bucket is at
 * most 1/128 of its lower bound wide and a percentile read at the bucket's middle is within 0.4 % of
 * the true value. The count, sum, minimum and maximum are kept exactly.
 *
 * Fixed size (≈ 5,000 counters up to 2^45 µs, about a year), so memory does not grow with the number
 * of requests; two histograms add bucket by bucket (`merge`), so runs or shards can be combined.
 */

const SUB_BITS = 7;
const SUB_COUNT = 1 << SUB_BITS; // 128
const LINEAR_LIMIT = SUB_COUNT * 2; // 256 µs: below this, one bucket per µs
const MAX_EXPONENT = 45;
const BUCKETS = LINEAR_LIMIT + (MAX_EXPONENT - SUB_BITS) * SUB_COUNT;
const MAX_MICROS = 2 ** (MAX_EXPONENT + 1) - 1;

function bucketOf(micros: number): number {
  if (micros < LINEAR_LIMIT) return micros;
  const exponent = micros < 0x1_0000_0000 ? 31 - Math.clz32(micros) : Math.floor(Math.log2(micros));
  const shift = exponent - SUB_BITS;
  const sub = Math.floor(micros / 2 ** shift); // in [128, 256)
  return LINEAR_LIMIT + (exponent - SUB_BITS - 1) * SUB_COUNT + (sub - SUB_COUNT);
}

/** [lower, upper) of a bucket, in µs. */
function bucketRange(index: number): [number, number] {
  if (index < LINEAR_LIMIT) return [index, index + 1];
  const offset = index - LINEAR_LIMIT;
  const exponent = Math.floor(offset / SUB_COUNT) + SUB_BITS + 1;
  const sub = (offset % SUB_COUNT) + SUB_COUNT;
  const width = 2 ** (exponent - SUB_BITS);
  return [sub * width, (sub + 1) * width];
}

export class LatencyHistogram {
  readonly counts = new Float64Array(BUCKETS);
  count = 0;
  sumMs = 0;
  minMs = Number.POSITIVE_INFINITY;
  maxMs = 0;

  record(valueMs: number): void {
    const micros = Math.floor(valueMs * 1000);
    let index: number;
    if (micros < LINEAR_LIMIT) index = Math.max(micros, 0);
    else if (micros < 0x8000_0000) {
      // The common case, in 32-bit integer arithmetic (values under 35 minutes).
      const shift = 31 - Math.clz32(micros) - SUB_BITS;
      index = LINEAR_LIMIT + (shift - 1) * SUB_COUNT + ((micros >>> shift) - SUB_COUNT);
    } else index = bucketOf(Math.min(MAX_MICROS, micros));
    this.counts[index]! += 1;
    this.count += 1;
    this.sumMs += valueMs;
    if (valueMs < this.minMs) this.minMs = valueMs;
    if (valueMs > this.maxMs) this.maxMs = valueMs;
  }

  merge(other: LatencyHistogram): void {
    for (let i = 0; i < BUCKETS; i++) this.counts[i]! += other.counts[i]!;
    this.count += other.count;
    this.sumMs += other.sumMs;
    this.minMs = Math.min(this.minMs, other.minMs);
    this.maxMs = Math.max(this.maxMs, other.maxMs);
  }

  mean(): number | null {
    return this.count > 0 ? this.sumMs / this.count : null;
  }

  /**
   * The value at quantile q (0–1): the middle of the bucket holding the ⌈q·n⌉-th smallest value,
   * clamped to the exact minimum and maximum. Null when empty.
   */
  quantile(q: number): number | null {
    if (this.count === 0) return null;
    if (q >= 1) return this.maxMs;
    const rank = Math.max(1, Math.ceil(q * this.count));
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) {
        const [lower, upper] = bucketRange(i);
        const middleMs = (lower + upper) / 2 / 1000;
        return Math.min(this.maxMs, Math.max(this.minMs, middleMs));
      }
    }
    return this.maxMs;
  }
}

/** Relative width of the widest bucket above the linear range: the bound on a percentile's error. */
export const HISTOGRAM_RELATIVE_ERROR = 1 / (2 * SUB_COUNT);
