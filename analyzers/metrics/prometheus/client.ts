/**
 * A Prometheus HTTP API client for `/api/v1/query_range` and `/api/v1/query`.
 *
 * Prometheus refuses a range query whose result would exceed 11,000 points per series, so long
 * windows are split into consecutive chunks on the same step grid and the series are joined by their
 * label sets. Values arrive as strings; "NaN" and "±Inf" become NaN/±Infinity for the caller to
 * treat as gaps.
 */

import { MigrateError } from '../../../core/errors.ts';
import { parseDurationSeconds } from '../../../core/traffic/duration.ts';
import { createHttp, type HttpOptions } from './http.ts';

export interface PrometheusClientOptions extends HttpOptions {
  /** Points per series per request; Prometheus' own limit is 11,000. */
  maxPointsPerSeries?: number;
}

export interface RangeSeries {
  metric: Record<string, string>;
  /** [epoch seconds, value] in time order. */
  points: [number, number][];
}

export interface RangeQuery {
  startSeconds: number;
  endSeconds: number;
  stepSeconds: number;
}

export interface PrometheusClient {
  baseUrl: string;
  queryRange(
    promql: string,
    range: RangeQuery,
  ): Promise<{ series: RangeSeries[]; requests: number; warnings: string[] }>;
  query(
    promql: string,
    timeSeconds: number,
  ): Promise<{ series: { metric: Record<string, string>; value: number }[]; warnings: string[] }>;
}

export const PROMETHEUS_MAX_POINTS = 11_000;

export function createPrometheusClient(options: PrometheusClientOptions): PrometheusClient {
  const http = createHttp(options);
  const maxPoints = options.maxPointsPerSeries ?? PROMETHEUS_MAX_POINTS;
  if (!(maxPoints >= 2)) throw new MigrateError(`maxPointsPerSeries must be at least 2, got ${maxPoints}`);

  async function queryRange(promql: string, range: RangeQuery) {
    validateRange(range);
    const merged = new Map<string, RangeSeries>();
    const warnings: string[] = [];
    let requests = 0;
    for (const chunk of splitRange(range, maxPoints)) {
      const body = (await http.getJson('api/v1/query_range', {
        query: promql,
        start: String(chunk.startSeconds),
        end: String(chunk.endSeconds),
        step: String(chunk.stepSeconds),
      })) as ApiBody;
      requests += 1;
      warnings.push(...(body.warnings ?? []));
      for (const series of resultOf(body, 'matrix', http.baseUrl)) {
        const key = labelKey(series.metric);
        const target = merged.get(key) ?? { metric: series.metric, points: [] };
        for (const [t, v] of series.values ?? []) target.points.push([Number(t), parseValue(v)]);
        merged.set(key, target);
      }
    }
    return { series: [...merged.values()], requests, warnings: [...new Set(warnings)] };
  }

  async function query(promql: string, timeSeconds: number) {
    const body = (await http.getJson('api/v1/query', {
      query: promql,
      time: String(timeSeconds),
    })) as ApiBody;
    const data = body.data;
    if (data?.resultType === 'scalar') {
      const [, v] = data.result as unknown as [number, string];
      return { series: [{ metric: {}, value: parseValue(v) }], warnings: body.warnings ?? [] };
    }
    const series = resultOf(body, 'vector', http.baseUrl).map((s) => ({
      metric: s.metric,
      value: parseValue(s.value![1]),
    }));
    return { series, warnings: body.warnings ?? [] };
  }

  return { baseUrl: http.baseUrl, queryRange, query };
}

interface ApiSeries {
  metric: Record<string, string>;
  values?: [number, string][];
  value?: [number, string];
}

interface ApiBody {
  status: string;
  data?: { resultType: string; result: ApiSeries[] };
  warnings?: string[];
}

function resultOf(body: ApiBody, type: string, baseUrl: string): ApiSeries[] {
  if (!body.data || body.data.resultType !== type || !Array.isArray(body.data.result)) {
    throw new MigrateError(
      `Prometheus at ${baseUrl} answered a ${body.data?.resultType ?? 'malformed'} result where a ${type} was expected`,
    );
  }
  return body.data.result;
}

function parseValue(text: string): number {
  if (text === 'NaN') return Number.NaN;
  if (text === '+Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  return Number(text);
}

function labelKey(metric: Record<string, string>): string {
  return JSON.stringify(Object.entries(metric).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function validateRange(range: RangeQuery) {
  if (!(range.stepSeconds > 0)) throw new MigrateError(`the step must be positive, got ${range.stepSeconds}`);
  if (!(range.endSeconds >= range.startSeconds)) {
    throw new MigrateError(`the range ends (${range.endSeconds}) before it starts (${range.startSeconds})`);
  }
}

/** Consecutive chunks of at most `maxPoints` evaluation times each, on the original step grid. */
export function splitRange(range: RangeQuery, maxPoints: number): RangeQuery[] {
  const chunks: RangeQuery[] = [];
  const span = (maxPoints - 1) * range.stepSeconds;
  for (let start = range.startSeconds; start <= range.endSeconds; start += span + range.stepSeconds) {
    chunks.push({
      startSeconds: start,
      endSeconds: Math.min(range.endSeconds, start + span),
      stepSeconds: range.stepSeconds,
    });
  }
  return chunks;
}

export interface WindowOptions {
  /** `7d`, `6h`, `90m`: the window ends at `end` (default now). */
  since?: string;
  /** Epoch ms, or an ISO-8601 string. */
  start?: number | string;
  end?: number | string;
  stepSeconds?: number;
  /** Clock, injectable for tests; epoch ms. */
  now?: () => number;
}

/** The window as epoch seconds aligned to the step, so that the same flags give the same grid. */
export function resolveWindow(options: WindowOptions): RangeQuery {
  const stepSeconds = options.stepSeconds ?? 60;
  if (!(stepSeconds > 0))
    throw new MigrateError(`--step must be a positive number of seconds, got ${stepSeconds}`);
  const endMs = options.end !== undefined ? toMs(options.end, 'end') : (options.now ?? Date.now)();
  let startMs: number;
  if (options.start !== undefined) startMs = toMs(options.start, 'start');
  else {
    const since = parseDurationSeconds(options.since ?? '1d');
    if (since === null || since <= 0) {
      throw new MigrateError(`--since ${JSON.stringify(options.since)} is not a duration`, {
        hint: 'e.g. 6h, 7d, 2w',
      });
    }
    startMs = endMs - since * 1000;
  }
  const endSeconds = Math.floor(endMs / 1000 / stepSeconds) * stepSeconds;
  const startSeconds = Math.floor(startMs / 1000 / stepSeconds) * stepSeconds;
  if (endSeconds <= startSeconds)
    throw new MigrateError('the Prometheus window is empty: start must come before end');
  return { startSeconds, endSeconds, stepSeconds };
}

function toMs(value: number | string, name: string): number {
  const ms = typeof value === 'number' ? value : Date.parse(value);
  if (!Number.isFinite(ms))
    throw new MigrateError(`--${name} ${JSON.stringify(value)} is not a time`, { hint: 'use ISO-8601' });
  return ms;
}
