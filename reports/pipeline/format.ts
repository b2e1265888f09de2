/** Number formatting shared by the Markdown, HTML and JUnit writers, so one figure reads the same everywhere. */

// One formatter per precision, made once: toLocaleString builds a new one per call, which dominates
// the rendering of a fleet's worth of rows.
const formatters = new Map<string, Intl.NumberFormat>();
function formatter(minimum: number, maximum: number): Intl.NumberFormat {
  const key = `${minimum}:${maximum}`;
  let cached = formatters.get(key);
  if (!cached) {
    cached = new Intl.NumberFormat('en-US', {
      minimumFractionDigits: minimum,
      maximumFractionDigits: maximum,
    });
    formatters.set(key, cached);
  }
  return cached;
}
export const integer = (value: number) => formatter(0, 0).format(value);
const fixed = (value: number, digits: number) => formatter(digits, digits).format(value);

export const DASH = '–';

export function formatCount(value: number | null): string {
  return value === null ? DASH : integer(value);
}

/** Latency: ms below a second, seconds with one decimal above. */
export function formatMs(value: number | null): string {
  if (value === null) return DASH;
  if (value >= 1000) return `${fixed(value / 1000, 1)} s`;
  return value >= 10 ? `${integer(value)} ms` : `${fixed(value, 1)} ms`;
}

export function formatUsd(value: number | null): string {
  if (value === null) return DASH;
  const sign = value < 0 ? '−' : '';
  const absolute = Math.abs(value);
  return `${sign}$${absolute >= 100 ? integer(absolute) : fixed(absolute, 2)}`;
}

export function formatSignedUsd(value: number | null): string {
  if (value === null) return DASH;
  return value > 0 ? `+${formatUsd(value)}` : value === 0 ? '±$0' : formatUsd(value);
}

export function formatPct(value: number | null): string {
  return value === null ? DASH : `${fixed(value, 1)} %`;
}

export function formatSignedPct(value: number | null): string {
  if (value === null) return DASH;
  if (value === 0) return '±0.0 %';
  return `${value > 0 ? '+' : '−'}${fixed(Math.abs(value), 1)} %`;
}

export function formatValue(value: number | string | null): string {
  if (value === null) return 'null';
  return typeof value === 'number' ? formatter(0, 3).format(value) : value;
}

export function formatSeconds(value: number): string {
  return `${integer(value)} s`;
}

/** A row's verdict with a symbol that reads at a glance in a PR comment. */
export const VERDICT_MARKS: Record<string, string> = {
  ok: '✅ ok',
  warn: '⚠️ warn',
  blocked: '⛔ blocked',
  'not-implemented': '➖ not modelled',
  baseline: '📍 baseline',
};

/** A row's monthly cost, marked `≥` when some of its usage had no confirmed price. */
export function formatRowCost(row: { monthlyCostUsd: number | null; costLowerBound: boolean }): string {
  const text = formatUsd(row.monthlyCostUsd);
  return row.costLowerBound && row.monthlyCostUsd !== null ? `≥ ${text}` : text;
}
