/**
 * Timestamp formats of trace files, parsed without Date.parse: a 10-million-row file calls the
 * parser 10 million times, and Date.parse is both slow and lenient in ways that hide bad rows.
 * Every parser returns ms (epoch ms, or ms from the trace's origin for relative formats) or NaN.
 */

export const TIME_FORMATS = ['iso', 'epoch-s', 'epoch-ms', 'epoch-us', 'relative-s', 'relative-ms'] as const;
export type TimeFormat = (typeof TIME_FORMATS)[number];

/** Names accepted by `--time-format` besides the canonical ones. */
const ALIASES: Record<string, TimeFormat> = {
  azure: 'iso', // `YYYY-MM-DD HH:MM:SS.fffffff`, the Azure LLM and Functions traces
  iso8601: 'iso',
  epoch: 'epoch-s',
  s: 'epoch-s',
  ms: 'epoch-ms',
  us: 'epoch-us',
  mooncake: 'relative-ms',
};

export function normaliseTimeFormat(name: string): TimeFormat | null {
  const lower = name.trim().toLowerCase();
  if ((TIME_FORMATS as readonly string[]).includes(lower)) return lower as TimeFormat;
  return ALIASES[lower] ?? null;
}

export function isRelative(format: TimeFormat): boolean {
  return format === 'relative-s' || format === 'relative-ms';
}

const NUMERIC_SCALE_MS: Record<Exclude<TimeFormat, 'iso'>, number> = {
  'epoch-s': 1000,
  'epoch-ms': 1,
  'epoch-us': 0.001,
  'relative-s': 1000,
  'relative-ms': 1,
};

export function timeParser(format: TimeFormat): (text: string) => number {
  if (format === 'iso') return createIsoParser();
  const scale = NUMERIC_SCALE_MS[format];
  return (text) => parseNumber(text) * scale;
}

/** A finite number, or NaN for empty text and anything Number() would stretch (`""` → 0). */
export function parseNumber(text: string): number {
  if (text.length === 0) return Number.NaN;
  const value = Number(text);
  return Number.isFinite(value) && text.trim().length > 0 ? value : Number.NaN;
}

function digits(text: string, from: number, count: number): number {
  let value = 0;
  for (let i = from; i < from + count; i++) {
    const code = text.charCodeAt(i) - 48;
    if (code < 0 || code > 9) return Number.NaN;
    value = value * 10 + code;
  }
  return value;
}

/**
 * `YYYY-MM-DD`, then optionally `T` or a space and `HH:MM[:SS[.fraction]]`, then optionally `Z`,
 * `±HH:MM`, `±HHMM` or `±HH`. No zone means UTC: traces are recorded in UTC and a reader's local
 * zone must not change the result. Consecutive rows share their date and usually their minute, so
 * `YYYY-MM-DD HH:MM` is parsed once per minute and only the seconds after it per row.
 */
function createIsoParser(): (text: string) => number {
  let cachedMinute = '\u0000'; // matches no text, so the first row fills the cache
  let cachedMinuteMs = Number.NaN;
  return (text) => {
    if (text.length > 16 && text.startsWith(cachedMinute)) {
      const rest = secondsAndZoneMs(text, 16);
      return cachedMinuteMs + rest;
    }
    if (text.length < 10 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return Number.NaN;
    const year = digits(text, 0, 4);
    const month = digits(text, 5, 2);
    const day = digits(text, 8, 2);
    const valid = month >= 1 && month <= 12 && day >= 1 && day <= daysIn(year, month);
    const dayMs = valid ? Date.UTC(year, month - 1, day) : Number.NaN;
    if (text.length === 10) return dayMs;
    const sep = text.charCodeAt(10);
    if ((sep !== 84 && sep !== 32 && sep !== 116) || text.charCodeAt(13) !== 58) return Number.NaN; // T, space, t
    const hours = digits(text, 11, 2);
    const minutes = digits(text, 14, 2);
    if (!(hours <= 24 && minutes <= 59) || Number.isNaN(dayMs)) return Number.NaN;
    cachedMinute = text.slice(0, 16);
    cachedMinuteMs = dayMs + hours * 3_600_000 + minutes * 60_000;
    return cachedMinuteMs + secondsAndZoneMs(text, 16);
  };
}

/** `[:SS[.fraction]][zone]` from `at`, in ms, with the zone offset subtracted. */
function secondsAndZoneMs(text: string, start: number): number {
  let at = start;
  let seconds = 0;
  if (text.charCodeAt(at) === 58) {
    seconds = digits(text, at + 1, 2);
    if (!(seconds <= 60)) return Number.NaN;
    at += 3;
  }
  let fractionMs = 0;
  const mark = text.charCodeAt(at);
  if (mark === 46 || mark === 44) {
    let scale = 100;
    at += 1;
    const first = at;
    for (; at < text.length; at++) {
      const code = text.charCodeAt(at) - 48;
      if (code < 0 || code > 9) break;
      fractionMs += code * scale;
      scale /= 10;
    }
    if (at === first) return Number.NaN;
  }
  return seconds * 1000 + fractionMs - zoneOffsetMs(text, at);
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function zoneOffsetMs(text: string, at: number): number {
  if (at === text.length) return 0;
  const code = text.charCodeAt(at);
  if ((code === 90 || code === 122) && at + 1 === text.length) return 0; // Z
  if (code !== 43 && code !== 45) return Number.NaN; // + or -
  const rest = text.slice(at + 1);
  const match = /^(\d{2})(?::?(\d{2}))?$/.exec(rest);
  if (!match) return Number.NaN;
  const offset = Number(match[1]) * 3_600_000 + Number(match[2] ?? 0) * 60_000;
  return code === 45 ? -offset : offset;
}

const ISO_SHAPE = /^\d{4}-\d{2}-\d{2}(?:[Tt ]\d{2}:\d{2}.*)?$/;

export type DetectedTime = { format: TimeFormat } | { ambiguous: string };

/**
 * The format of a time column from one value and the column's name. Epoch units follow from the
 * magnitude (seconds since 1973 are ≥ 1e8; ms ≥ 1e11; µs ≥ 1e14). Small numbers are offsets from the
 * trace's start, and only the name (`…_ms`, `…_s`) can tell their unit.
 */
export function detectTimeFormat(sample: string, columnName: string): DetectedTime {
  const text = sample.trim();
  if (ISO_SHAPE.test(text)) return { format: 'iso' };
  const value = parseNumber(text);
  if (Number.isNaN(value)) return { ambiguous: `${JSON.stringify(sample)} is neither ISO-8601 nor a number` };
  if (value >= 1e17) return { ambiguous: `${text} is too large for epoch seconds, ms or µs` };
  if (value >= 1e14) return { format: 'epoch-us' };
  if (value >= 1e11) return { format: 'epoch-ms' };
  if (value >= 1e8) return { format: 'epoch-s' };
  const unit = unitFromName(columnName);
  if (unit === 'ms') return { format: 'relative-ms' };
  if (unit === 's') return { format: 'relative-s' };
  return { ambiguous: `${text} is too small for an epoch time: seconds or milliseconds from the start?` };
}

export type DurationUnit = 'ns' | 'us' | 'ms' | 's';
export const DURATION_UNIT_MS: Record<DurationUnit, number> = { ns: 1e-6, us: 1e-3, ms: 1, s: 1000 };

/** A unit written at the end of a column name: `latency_ms`, `durationSeconds`, `e2e_us`. */
export function unitFromName(name: string): DurationUnit | null {
  const lower = name.toLowerCase();
  if (
    /(?:^|[_\-. (])(?:ms|msec|millis|milliseconds)\)?$|[a-z](?:Ms|Millis)$/.test(name) ||
    /milliseconds?\)?$/.test(lower)
  ) {
    return 'ms';
  }
  if (/(?:^|[_\-. (])(?:us|usec|micros|microseconds)\)?$/.test(lower)) return 'us';
  if (/(?:^|[_\-. (])(?:ns|nanos|nanoseconds)\)?$/.test(lower)) return 'ns';
  if (
    /(?:^|[_\-. (])(?:s|sec|secs|seconds)\)?$|[a-z](?:Seconds|Secs|Sec)$/.test(name) ||
    /seconds\)?$/.test(lower)
  ) {
    return 's';
  }
  return null;
}
