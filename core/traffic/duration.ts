/**
 * Durations as people write them for time windows: `90`, `45s`, `5m`, `1h30m`, `7d`, `2w`, `500ms`
 * (Prometheus' own duration syntax, plus a bare number of seconds).
 */

const UNIT_SECONDS: Record<string, number> = {
  ms: 0.001,
  s: 1,
  m: 60,
  h: 3600,
  d: 86_400,
  w: 604_800,
  y: 31_536_000,
};
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w|y)/g;

/** Seconds in the duration, or null when the text is not one. */
export function parseDurationSeconds(text: string): number | null {
  const trimmed = text.trim();
  if (/^\d+(?:\.\d+)?$/.test(trimmed)) return Number(trimmed);
  if (!/^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d|w|y))+$/.test(trimmed)) return null;
  let total = 0;
  for (const match of trimmed.matchAll(PART)) total += Number(match[1]) * UNIT_SECONDS[match[2]!]!;
  return total;
}

/** `3600` → `1h`, `5400` → `1h30m`, `0.5` → `500ms`: the shortest exact form, for messages and queries. */
export function formatDurationSeconds(seconds: number): string {
  if (seconds <= 0) return '0s';
  if (!Number.isInteger(seconds)) return `${Math.round(seconds * 1000)}ms`;
  let rest = seconds;
  let out = '';
  for (const [unit, size] of [
    ['d', 86_400],
    ['h', 3600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    if (rest >= size) {
      out += `${Math.floor(rest / size)}${unit}`;
      rest %= size;
    }
  }
  return out;
}
