/**
 * ServeGen (alibaba/ServeGen) per-client statistics: `chunk-<client>-trace.csv`, no header,
 * `window_start_s, rate, cv, pattern, shape, scale`, one row per 600-s window. A row is a mean rate
 * over the window, not a request: the expected requests are rate × window, and a workload (a
 * folder) is the sum of its clients.
 */

import { readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { MigrateError } from '../../../core/errors.ts';
import { buildTrafficProfile } from '../../../core/traffic/build.ts';
import type { FileOrigin, RateSeries, TrafficProfile } from '../../../core/traffic/profile.ts';
import { BadRowLog } from './accumulate.ts';
import type { TraceReadOptions } from './columns.ts';
import { forEachLine } from './lines.ts';
import { parseNumber } from './timestamps.ts';

const CLIENT_FILE = /^chunk-(\d+)-trace\.csv$/;

/** The client files of a ServeGen folder, in client order, or the one file given. */
async function clientFiles(path: string): Promise<string[]> {
  if (!(await stat(path)).isDirectory()) return [path];
  const names = (await readdir(path)).filter((name) => CLIENT_FILE.test(name));
  if (names.length === 0) {
    throw new MigrateError(
      `${path}: a folder is read as a ServeGen workload, but it has no chunk-<client>-trace.csv`,
      {
        hint: 'pass a trace file, or a folder of ServeGen client files',
      },
    );
  }
  const client = (name: string) => Number(CLIENT_FILE.exec(name)![1]);
  return names.sort((a, b) => client(a) - client(b)).map((name) => join(path, name));
}

export async function readServeGen(path: string, options: TraceReadOptions = {}): Promise<TrafficProfile> {
  const files = await clientFiles(path);
  const bad = new BadRowLog(options.maxBadRowSamples ?? 20);
  const windows = new Map<number, number>();
  let lines = 0;
  let rows = 0;
  let outOfOrder = 0;
  for (const file of files) {
    let previous = Number.NEGATIVE_INFINITY;
    lines += await forEachLine(file, (line, lineNumber) => {
      if (line.trim() === '') return;
      const fields = line.split(',');
      const start = parseNumber(fields[0] ?? '');
      const rate = parseNumber(fields[1] ?? '');
      if (fields.length !== 6) return bad.add(file, lineNumber, `expected 6 fields, found ${fields.length}`);
      if (!Number.isInteger(start) || start < 0)
        return bad.add(file, lineNumber, `window start ${JSON.stringify(fields[0])}`);
      if (!(rate >= 0))
        return bad.add(file, lineNumber, `rate ${JSON.stringify(fields[1])} is not a non-negative number`);
      if (!/^(|Gamma|Weibull)$/.test(fields[3]!.trim()))
        return bad.add(file, lineNumber, `unknown pattern ${fields[3]}`);
      if (start < previous) outOfOrder += 1;
      previous = start;
      rows += 1;
      windows.set(start, (windows.get(start) ?? 0) + rate);
    });
  }
  if (rows === 0) throw new MigrateError(`${path}: no usable ServeGen rows (${bad.count} bad)`);
  const starts = [...windows.keys()].sort((a, b) => a - b);
  const stepSeconds = options.stepSeconds ?? smallestGap(starts) ?? 600;
  const series = windowSeries(starts, windows, stepSeconds, path);
  const origin: FileOrigin = {
    kind: 'file',
    path,
    format: 'servegen',
    files: files.map((f) => (files.length > 1 ? basename(f) : f)),
    lines,
    dataRows: rows,
    badRows: bad.count,
    badRowSamples: bad.samples,
    outOfOrderRows: outOfOrder,
    columns: { time: '1 (window_start_s)', count: '2 (rate, req/s)', duration: null },
    timeFormat: 'relative-s',
    durationUnit: null,
    schema: 'servegen',
  };
  const warnings = [
    `ServeGen gives mean rates per ${stepSeconds}-s window: requests are expected counts (rate × window)`,
  ];
  const summary = bad.summary();
  if (summary) warnings.push(summary);
  if (series.missingSteps.length > 0)
    warnings.push(`${series.missingSteps.length} windows have no client row: gaps`);
  return buildTrafficProfile({ series, origin, warnings });
}

function smallestGap(sorted: number[]): number | null {
  let best: number | null = null;
  for (let i = 1; i < sorted.length; i++) {
    const gap = sorted[i]! - sorted[i - 1]!;
    if (gap > 0 && (best === null || gap < best)) best = gap;
  }
  return best;
}

function windowSeries(
  starts: number[],
  rates: Map<number, number>,
  stepSeconds: number,
  path: string,
): RateSeries {
  const first = starts[0]!;
  const size = Math.round((starts[starts.length - 1]! - first) / stepSeconds) + 1;
  const requests = new Array<number>(size).fill(0);
  const seen = new Uint8Array(size);
  for (const start of starts) {
    const index = (start - first) / stepSeconds;
    if (!Number.isInteger(index)) {
      throw new MigrateError(`${path}: window start ${start} s is not on the ${stepSeconds}-s grid`);
    }
    // Rounded to 1e-6 request: summing client rates leaves float noise that would show in outputs.
    requests[index] = Math.round(rates.get(start)! * stepSeconds * 1e6) / 1e6;
    seen[index] = 1;
  }
  const missingSteps: number[] = [];
  for (let i = 0; i < size; i++) if (!seen[i]) missingSteps.push(i);
  return { startMs: first * 1000, timeBase: 'relative', stepSeconds, requests, missingSteps };
}
