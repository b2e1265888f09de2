/**
 * readTraceFile: a per-request trace (CSV, TSV, JSON Lines), a count file or a ServeGen folder
 * becomes a TrafficProfile. Files are streamed line by line; rows are turned into bins (or compact
 * arrival times when kept) as they are read.
 */

import { stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { MigrateError } from '../../../core/errors.ts';
import { binArrivals, binCountFor } from '../../../core/traffic/bins.ts';
import { buildTrafficProfile, latencyFromServiceTimes } from '../../../core/traffic/build.ts';
import type { FileOrigin, RateSeries, TrafficProfile } from '../../../core/traffic/profile.ts';
import { BadRowLog, CountRows, RequestCollector } from './accumulate.ts';
import { resolveLayout, type TraceLayout, type TraceReadOptions } from './columns.ts';
import { countSeries } from './counts.ts';
import { fieldAt, forEachLine, headLines } from './lines.ts';
import { readServeGen } from './servegen.ts';
import { DURATION_UNIT_MS, isRelative, parseNumber, timeParser } from './timestamps.ts';

export type { TraceReadOptions } from './columns.ts';

/** Read a trace file (or a ServeGen folder) into a profile. */
export async function readTraceFile(path: string, options: TraceReadOptions = {}): Promise<TrafficProfile> {
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
    throw new MigrateError(
      `cannot read trace ${path}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`,
    );
  });
  if (info.isDirectory()) return readServeGen(path, options);
  validateStep(options.stepSeconds);
  const syntax = options.format ?? syntaxFromName(path);
  const layout = resolveLayout(path, await headLines(path), syntax, options);
  if (layout.kind === 'servegen') return readServeGen(path, options);
  return layout.kind === 'counts' ? readCounts(path, layout, options) : readRequests(path, layout, options);
}

function validateStep(stepSeconds: number | undefined) {
  if (stepSeconds !== undefined && !(stepSeconds > 0 && Number.isFinite(stepSeconds))) {
    throw new MigrateError(`--step must be a positive number of seconds, got ${stepSeconds}`);
  }
}

function syntaxFromName(path: string): TraceLayout['syntax'] {
  const extension = extname(path).toLowerCase();
  if (extension === '.jsonl' || extension === '.ndjson') return 'jsonl';
  if (extension === '.tsv' || extension === '.tab') return 'tsv';
  return 'csv';
}

/**
 * Access to the fields of the current line. `begin` returns why the line is not a row, or null; the
 * delimited reader allocates nothing per row beyond the fields it is asked for.
 */
interface RowAccess {
  begin(line: string): string | null;
  field(ref: { name: string; index: number }): unknown;
}

function rowAccess(layout: TraceLayout): RowAccess {
  if (layout.syntax === 'jsonl') {
    let row: Record<string, unknown> = {};
    return {
      begin(line) {
        let value: unknown;
        try {
          value = JSON.parse(line);
        } catch {
          return 'not valid JSON';
        }
        if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not a JSON object';
        row = value as Record<string, unknown>;
        return null;
      },
      field: (ref) => row[ref.name],
    };
  }
  let current = '';
  return {
    begin(line) {
      current = line;
      return null;
    },
    field: (ref) => fieldAt(current, layout.delimiter, ref.index),
  };
}

/** Spaces around a CSV field are not part of it; checking the ends first avoids a copy per row. */
function trimmed(value: unknown): unknown {
  if (typeof value !== 'string' || value.length === 0) return value;
  const first = value.charCodeAt(0);
  const last = value.charCodeAt(value.length - 1);
  return first <= 32 || last <= 32 ? value.trim() : value;
}

const isBlank = (line: string) => line.length === 0 || (line.charCodeAt(0) <= 32 && line.trim() === '');

/** The value as a number (NaN when absent or invalid); JSON numbers go through the same parser. */
function numberFrom(value: unknown, toNumber: (text: string) => number): number {
  if (typeof value === 'string') return value.length === 0 ? Number.NaN : toNumber(value);
  if (typeof value === 'number') return toNumber(String(value));
  return Number.NaN;
}

function invalid(value: unknown, column: string): string {
  const empty = value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
  return empty ? `no value in ${column}` : `${column}: ${JSON.stringify(value)} is not valid`;
}

function baseOrigin(path: string, layout: TraceLayout, format: FileOrigin['format']): FileOrigin {
  return {
    kind: 'file',
    path,
    format,
    files: [path],
    lines: 0,
    dataRows: 0,
    badRows: 0,
    badRowSamples: [],
    outOfOrderRows: 0,
    columns: {
      time: layout.time?.name ?? null,
      count: layout.count?.name ?? null,
      duration: layout.duration?.name ?? null,
    },
    timeFormat: layout.time?.format ?? null,
    durationUnit: layout.duration?.unit ?? null,
    schema: layout.schema,
  };
}

async function readRequests(
  path: string,
  layout: TraceLayout,
  options: TraceReadOptions,
): Promise<TrafficProfile> {
  const time = layout.time!;
  const stepMs = (options.stepSeconds ?? 1) * 1000;
  const parseTime = timeParser(time.format);
  const durationScale = layout.duration ? DURATION_UNIT_MS[layout.duration.unit] : 0;
  const bad = new BadRowLog(options.maxBadRowSamples ?? 20);
  const collected = new RequestCollector(
    stepMs,
    path,
    options.keepArrivals ?? true,
    layout.duration !== null,
  );
  const row = rowAccess(layout);

  const lines = await forEachLine(path, (line, lineNumber) => {
    if (lineNumber === layout.headerLine || isBlank(line)) return;
    const notRow = row.begin(line);
    if (notRow !== null) return bad.add(path, lineNumber, notRow);
    const rawTime = row.field(time);
    const timeMs = numberFrom(trimmed(rawTime), parseTime);
    if (Number.isNaN(timeMs)) return bad.add(path, lineNumber, invalid(rawTime, time.name));
    let durationMs = Number.NaN;
    if (layout.duration) {
      const value = trimmed(row.field(layout.duration));
      if (value !== undefined && value !== null && value !== '') {
        const parsed = numberFrom(value, parseNumber);
        if (Number.isNaN(parsed)) return bad.add(path, lineNumber, invalid(value, layout.duration.name));
        if (parsed < 0) return bad.add(path, lineNumber, `${layout.duration.name}: negative duration`);
        durationMs = parsed * durationScale;
      }
    }
    collected.add(timeMs, durationMs);
  });

  const origin = baseOrigin(path, layout, layout.syntax);
  const { rows, outOfOrder } = collected;
  Object.assign(origin, {
    lines,
    dataRows: rows,
    badRows: bad.count,
    badRowSamples: bad.samples,
    outOfOrderRows: outOfOrder,
  });
  if (rows === 0) throw noRows(path, bad);
  const warnings = requestWarnings(layout, bad, outOfOrder);
  const timeBase = isRelative(time.format) ? 'relative' : 'epoch';
  if (!collected.times) {
    const { startMs, requests } = collected.bins!.result();
    const series: RateSeries = { startMs, timeBase, stepSeconds: stepMs / 1000, requests, missingSteps: [] };
    const span = { firstOffsetMs: collected.minMs - startMs, lastOffsetMs: collected.maxMs - startMs };
    return buildTrafficProfile({ series, span, origin, warnings });
  }
  const durations = collected.durations?.view() ?? null;
  return profileFromArrivals(collected.times.view(), durations, {
    stepMs,
    timeBase,
    origin,
    warnings,
    layout,
    path,
  });
}

function requestWarnings(layout: TraceLayout, bad: BadRowLog, outOfOrder: number): string[] {
  const warnings = [...layout.notes];
  const summary = bad.summary();
  if (summary) warnings.push(summary);
  if (outOfOrder > 0)
    warnings.push(`${outOfOrder} rows were earlier than the row before; they were sorted into place`);
  return warnings;
}

function noRows(path: string, bad: BadRowLog): MigrateError {
  const detail = bad.samples
    .slice(0, 5)
    .map((s) => `\n  line ${s.line}: ${s.reason}`)
    .join('');
  return new MigrateError(`${path}: no usable rows (${bad.count} bad)${detail}`);
}

interface ArrivalContext {
  stepMs: number;
  timeBase: RateSeries['timeBase'];
  origin: FileOrigin;
  warnings: string[];
  layout: TraceLayout;
  path: string;
}

/** Sort arrivals (carrying durations along), then bin them from the first request. */
function profileFromArrivals(times: Float64Array, durations: Float64Array | null, context: ArrivalContext) {
  let order: Uint32Array | null = null;
  if (context.origin.outOfOrderRows > 0) {
    order = new Uint32Array(times.length).map((_, i) => i);
    order.sort((a, b) => times[a]! - times[b]! || a - b);
  }
  const at = (i: number) => (order ? order[i]! : i);
  const firstMs = times[at(0)]!;
  const offsets = new Array<number>(times.length);
  for (let i = 0; i < times.length; i++) offsets[i] = times[at(i)]! - firstMs;
  const last = offsets[offsets.length - 1]!;
  const requests = binArrivals(offsets, 0, context.stepMs, binCountFor(0, last, context.stepMs));
  const series: RateSeries = {
    startMs: firstMs,
    timeBase: context.timeBase,
    stepSeconds: context.stepMs / 1000,
    requests,
    missingSteps: [],
  };
  let serviceTimesMs: (number | null)[] | undefined;
  if (durations) {
    serviceTimesMs = new Array(times.length);
    for (let i = 0; i < times.length; i++) {
      const value = durations[at(i)]!;
      serviceTimesMs[i] = Number.isNaN(value) ? null : value;
    }
  }
  const column = context.layout.duration?.name;
  return buildTrafficProfile({
    series,
    arrivalOffsetsMs: offsets,
    ...(serviceTimesMs ? { serviceTimesMs } : {}),
    latency: serviceTimesMs
      ? latencyFromServiceTimes(serviceTimesMs, `per-request durations (${context.path}:${column})`)
      : null,
    origin: context.origin,
    warnings: context.warnings,
  });
}

async function readCounts(
  path: string,
  layout: TraceLayout,
  options: TraceReadOptions,
): Promise<TrafficProfile> {
  const count = layout.count!;
  const parseTime = layout.time ? timeParser(layout.time.format) : null;
  const bad = new BadRowLog(options.maxBadRowSamples ?? 20);
  const rows = new CountRows();
  const row = rowAccess(layout);
  const lines = await forEachLine(path, (line, lineNumber) => {
    if (lineNumber === layout.headerLine || isBlank(line)) return;
    const notRow = row.begin(line);
    if (notRow !== null) return bad.add(path, lineNumber, notRow);
    const rawCount = trimmed(row.field(count));
    const value = numberFrom(rawCount, parseNumber);
    if (Number.isNaN(value)) return bad.add(path, lineNumber, invalid(rawCount, count.name));
    if (value < 0) return bad.add(path, lineNumber, `${count.name}: negative count`);
    let timeMs = Number.NaN;
    if (layout.time && parseTime) {
      const rawTime = trimmed(row.field(layout.time));
      timeMs = numberFrom(rawTime, parseTime);
      if (Number.isNaN(timeMs)) return bad.add(path, lineNumber, invalid(rawTime, layout.time.name));
    }
    rows.add(timeMs, value, lineNumber);
  });
  const origin = baseOrigin(path, layout, 'counts');
  if (rows.counts.length === 0) throw noRows(path, bad);
  const timeBase = layout.time && !isRelative(layout.time.format) ? 'epoch' : 'relative';
  const built = countSeries(rows, { stepSeconds: options.stepSeconds ?? null, timeBase, file: path, bad });
  Object.assign(origin, {
    lines,
    dataRows: rows.counts.length - built.rejected,
    badRows: bad.count,
    badRowSamples: bad.samples,
    outOfOrderRows: built.outOfOrder,
  });
  const warnings = [...requestWarnings(layout, bad, built.outOfOrder), ...built.warnings];
  return buildTrafficProfile({ series: built.series, origin, warnings });
}
