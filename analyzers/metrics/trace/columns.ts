/**
 * Which column is which in a trace file: explicit options first, then a known public layout, then
 * names that leave no doubt. When a required column cannot be told apart, the error lists them all.
 */

import { MigrateError } from '../../../core/errors.ts';
import {
  COUNT_STEMS,
  DURATION_STEMS,
  KNOWN_SCHEMAS,
  type KnownSchema,
  stemMatches,
  TIME_STEMS,
} from './names.ts';
import {
  type DurationUnit,
  detectTimeFormat,
  normaliseTimeFormat,
  parseNumber,
  type TimeFormat,
  unitFromName,
} from './timestamps.ts';

export interface TraceReadOptions {
  /** Column holding each request's time (name, or 1-based index for files without a header). */
  timeColumn?: string;
  /** `iso` (also the Azure `YYYY-MM-DD HH:MM:SS.fffffff`), `epoch-s`, `epoch-ms`, `epoch-us`, `relative-s`, `relative-ms`. */
  timeFormat?: string;
  /** Column holding a request count per step: the file is a count file. */
  countColumn?: string;
  /** Column holding each request's duration (service time). */
  durationColumn?: string;
  /** `ns`, `us`, `ms` or `s`; needed when the duration column's name does not say. */
  durationUnit?: string;
  /** Step of a count file; for per-request files, the step of the rate series (default 1 s). */
  stepSeconds?: number;
  /** Keep individual arrival times (default true). False streams: only bins are held in memory. */
  keepArrivals?: boolean;
  /** Force the syntax instead of going by the file name. */
  format?: 'csv' | 'tsv' | 'jsonl';
  /** Bad rows kept with their line numbers in the origin (all are counted). Default 20. */
  maxBadRowSamples?: number;
}

export interface ColumnRef {
  name: string;
  /** 0-based field index for delimited files; -1 for JSON Lines (looked up by name). */
  index: number;
}

export interface TraceLayout {
  syntax: 'csv' | 'tsv' | 'jsonl';
  kind: 'requests' | 'counts' | 'servegen';
  delimiter: string;
  hasHeader: boolean;
  /** 1-based line of the header, or 0 when there is none (JSON Lines and headerless files). */
  headerLine: number;
  columns: string[];
  time: (ColumnRef & { format: TimeFormat }) | null;
  count: ColumnRef | null;
  duration: (ColumnRef & { unit: DurationUnit }) | null;
  stepSeconds: number | null;
  schema: string | null;
  notes: string[];
}

/** Decide the layout from the first lines of the file. */
export function resolveLayout(
  file: string,
  head: string[],
  syntax: TraceLayout['syntax'],
  options: TraceReadOptions,
) {
  const firstIndex = head.findIndex((line) => line.trim() !== '');
  if (firstIndex < 0) throw new MigrateError(`${file}: the file is empty: no header and no rows`);
  const first = head[firstIndex]!;
  const layout =
    syntax === 'jsonl' ? jsonLayout(file, first, firstIndex + 1) : delimitedLayout(first, syntax);
  if (layout.hasHeader && syntax !== 'jsonl') layout.headerLine = firstIndex + 1;
  const sample = sampleRow(head, firstIndex, layout);
  if (layout.kind === 'servegen' && !options.timeColumn && !options.countColumn) return layout;
  resolveColumns(file, layout, sample, options);
  return layout;
}

function jsonLayout(file: string, first: string, lineNumber: number): TraceLayout {
  let value: unknown;
  try {
    value = JSON.parse(first);
  } catch (error) {
    throw new MigrateError(`${file}:${lineNumber}: not JSON Lines: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new MigrateError(`${file}:${lineNumber}: JSON Lines rows must be objects, one per line`);
  }
  return emptyLayout('jsonl', '', true, Object.keys(value));
}

function delimitedLayout(first: string, syntax: 'csv' | 'tsv'): TraceLayout {
  const delimiter = syntax === 'tsv' || (first.includes('\t') && !first.includes(',')) ? '\t' : ',';
  const fields = first.split(delimiter).map((f) => f.trim().replace(/^"(.*)"$/, '$1'));
  const looksLikeData = fields.every(
    (f) => f === '' || !Number.isNaN(parseNumber(f)) || /^\d{4}-\d{2}-\d{2}/.test(f),
  );
  const columns = looksLikeData ? fields.map((_, i) => String(i + 1)) : fields;
  const layout = emptyLayout(delimiter === '\t' ? 'tsv' : 'csv', delimiter, !looksLikeData, columns);
  if (looksLikeData && isServeGenRow(fields)) {
    layout.kind = 'servegen';
    layout.schema = 'servegen';
  }
  return layout;
}

/** ServeGen `chunk-*-trace.csv`: `window_start_s, rate, cv, pattern, shape, scale`, no header. */
export function isServeGenRow(fields: string[]): boolean {
  return (
    fields.length === 6 &&
    Number.isInteger(parseNumber(fields[0]!)) &&
    /^(|Gamma|Weibull)$/.test(fields[3]!.trim())
  );
}

function emptyLayout(
  syntax: TraceLayout['syntax'],
  delimiter: string,
  hasHeader: boolean,
  columns: string[],
): TraceLayout {
  return {
    syntax,
    kind: 'requests',
    delimiter,
    hasHeader,
    headerLine: 0,
    columns,
    time: null,
    count: null,
    duration: null,
    stepSeconds: null,
    schema: null,
    notes: [],
  };
}

interface Sample {
  values: Map<string, string>;
  /** 1-based line of the sample row. */
  line: number;
}

/** The first data row as a name → text map, for format detection. */
function sampleRow(head: string[], headerIndex: number, layout: TraceLayout): Sample {
  const start = layout.hasHeader && layout.syntax !== 'jsonl' ? headerIndex + 1 : headerIndex;
  const offset = head.slice(start).findIndex((l) => l.trim() !== '');
  const row = new Map<string, string>();
  const sample = { values: row, line: start + offset + 1 };
  const line = offset >= 0 ? head[start + offset] : undefined;
  if (line === undefined) return sample;
  if (layout.syntax === 'jsonl') {
    try {
      const value = JSON.parse(line) as Record<string, unknown>;
      for (const [k, v] of Object.entries(value)) row.set(k, typeof v === 'string' ? v : JSON.stringify(v));
    } catch {
      // A bad first row is reported with its line number by the reader.
    }
    return sample;
  }
  const fields = line.split(layout.delimiter);
  layout.columns.forEach((name, i) => {
    row.set(name, (fields[i] ?? '').trim().replace(/^"(.*)"$/, '$1'));
  });
  return sample;
}

function resolveColumns(file: string, layout: TraceLayout, sample: Sample, options: TraceReadOptions) {
  const schema = KNOWN_SCHEMAS.find((s) => s.matches(layout.columns, layout.syntax));
  if (schema) layout.schema = schema.id;
  layout.stepSeconds = options.stepSeconds ?? null;
  if (layout.kind === 'servegen') layout.kind = 'requests';

  const countName = options.countColumn ?? (options.timeColumn ? undefined : unique(layout, COUNT_STEMS));
  if (countName !== undefined) {
    layout.kind = 'counts';
    layout.count = columnRef(file, layout, countName, 'count');
  }
  const onlyColumn =
    layout.columns.length === 1 && options.timeFormat !== undefined ? layout.columns[0] : undefined;
  const timeName =
    options.timeColumn ??
    (schema && !options.countColumn ? schema.time : (unique(layout, TIME_STEMS, file, 'time') ?? onlyColumn));
  if (timeName !== undefined) {
    const ref = columnRef(file, layout, timeName, 'time');
    layout.time = { ...ref, format: timeFormatFor(file, ref, sample, options, schema) };
  } else if (layout.kind === 'counts' || options.stepSeconds !== undefined) {
    requireBareCounts(file, layout, options);
  } else {
    throw new MigrateError(
      `${file}: cannot tell which column holds the request time; columns are ${listColumns(layout)}`,
      {
        hint: 'pass --time-column NAME (and --time-format), or --count-column NAME --step SECONDS for counts',
      },
    );
  }
  if (layout.kind === 'counts' && layout.stepSeconds === null && !layout.time)
    requireBareCounts(file, layout, options);
  if (layout.kind === 'requests') resolveDuration(file, layout, options);
}

function requireBareCounts(file: string, layout: TraceLayout, options: TraceReadOptions) {
  if (options.stepSeconds === undefined) {
    throw new MigrateError(`${file}: a file of counts without a time column needs the step between rows`, {
      hint: 'pass --step SECONDS (the time each count covers)',
    });
  }
  layout.kind = 'counts';
  if (!layout.count) {
    if (layout.columns.length !== 1) {
      throw new MigrateError(`${file}: which column holds the counts? columns are ${listColumns(layout)}`, {
        hint: 'pass --count-column NAME',
      });
    }
    layout.count = { name: layout.columns[0]!, index: layout.syntax === 'jsonl' ? -1 : 0 };
  }
}

function timeFormatFor(
  file: string,
  ref: ColumnRef,
  sample: Sample,
  options: TraceReadOptions,
  schema: KnownSchema | undefined,
): TimeFormat {
  if (options.timeFormat !== undefined) {
    const format = normaliseTimeFormat(options.timeFormat);
    if (!format) {
      throw new MigrateError(`unknown time format ${JSON.stringify(options.timeFormat)}`, {
        hint: 'use iso, epoch-s, epoch-ms, epoch-us, relative-s or relative-ms (azure = iso)',
      });
    }
    return format;
  }
  if (schema && schema.time === ref.name) return schema.format;
  const value = sample.values.get(ref.name);
  if (value === undefined)
    throw new MigrateError(`${file}: no data rows to tell the format of column ${ref.name}`);
  const detected = detectTimeFormat(value, ref.name);
  if ('format' in detected) return detected.format;
  throw new MigrateError(
    `${file}:${sample.line}: column ${JSON.stringify(ref.name)}: ${detected.ambiguous}`,
    {
      hint: 'pass --time-format iso|epoch-s|epoch-ms|epoch-us|relative-s|relative-ms',
    },
  );
}

function resolveDuration(file: string, layout: TraceLayout, options: TraceReadOptions) {
  const explicitUnit = options.durationUnit !== undefined ? durationUnit(options.durationUnit) : null;
  if (options.durationColumn !== undefined) {
    const ref = columnRef(file, layout, options.durationColumn, 'duration');
    const unit = explicitUnit ?? unitFromName(ref.name);
    if (!unit) {
      throw new MigrateError(
        `${file}: the unit of duration column ${JSON.stringify(ref.name)} is not in its name`,
        {
          hint: 'pass --duration-unit ns|us|ms|s',
        },
      );
    }
    layout.duration = { ...ref, unit };
    return;
  }
  const candidates = layout.columns.filter((c) => stemMatches(DURATION_STEMS, c));
  if (candidates.length > 1) {
    layout.notes.push(
      `several duration-like columns (${candidates.join(', ')}): pass --duration-column to use one`,
    );
    return;
  }
  const name = candidates[0];
  if (name === undefined) return;
  const unit = explicitUnit ?? unitFromName(name);
  if (!unit) {
    layout.notes.push(
      `column ${name} looks like a duration but its unit is unknown: pass --duration-unit to use it`,
    );
    return;
  }
  layout.duration = { ...columnRef(file, layout, name, 'duration'), unit };
}

export function durationUnit(text: string): DurationUnit {
  const lower = text.trim().toLowerCase();
  const aliases: Record<string, DurationUnit> = {
    ns: 'ns',
    us: 'us',
    µs: 'us',
    ms: 'ms',
    s: 's',
    sec: 's',
    seconds: 's',
    milliseconds: 'ms',
    microseconds: 'us',
  };
  const unit = aliases[lower];
  if (!unit)
    throw new MigrateError(`unknown duration unit ${JSON.stringify(text)}`, { hint: 'use ns, us, ms or s' });
  return unit;
}

/** The one column whose name matches; undefined for none; an error listing columns for several. */
function unique(layout: TraceLayout, stems: Set<string>, file?: string, role?: string): string | undefined {
  const matches = layout.columns.filter((c) => stemMatches(stems, c));
  if (matches.length > 1 && file && role) {
    throw new MigrateError(`${file}: several columns could hold the request ${role}: ${matches.join(', ')}`, {
      hint: `columns are ${listColumns(layout)}; pass --${role}-column NAME`,
    });
  }
  return matches.length === 1 ? matches[0] : undefined;
}

function columnRef(file: string, layout: TraceLayout, wanted: string, role: string): ColumnRef {
  const exact = layout.columns.indexOf(wanted);
  const folded = layout.columns.findIndex((c) => c.toLowerCase() === wanted.toLowerCase());
  const byNumber = /^\d+$/.test(wanted) ? Number(wanted) - 1 : -1;
  const index = exact >= 0 ? exact : folded >= 0 ? folded : byNumber < layout.columns.length ? byNumber : -1;
  if (index < 0) {
    throw new MigrateError(
      `${file}: no ${role} column ${JSON.stringify(wanted)}; columns are ${listColumns(layout)}`,
      {
        hint: layout.hasHeader ? undefined : 'this file has no header: refer to columns by 1-based number',
      },
    );
  }
  const name = layout.columns[index]!;
  return { name, index: layout.syntax === 'jsonl' ? -1 : index };
}

function listColumns(layout: TraceLayout): string {
  return layout.columns.map((c) => JSON.stringify(c)).join(', ');
}
