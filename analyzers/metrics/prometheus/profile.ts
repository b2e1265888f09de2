/**
 * profileFromPrometheus: a workload's request history (and what the cluster did meanwhile) as a
 * TrafficProfile. Request presets are tried in order and the first with data is used; the others are
 * recorded as `no-data`. Nothing is invented: a step without a point is a gap, a preset without
 * series says so, and when no preset has data the error lists every query tried.
 */

import { MigrateError } from '../../../core/errors.ts';
import { buildTrafficProfile } from '../../../core/traffic/build.ts';
import type {
  LatencyDistribution,
  PrometheusOrigin,
  PrometheusQueryRecord,
  RateSeries,
  TrafficProfile,
} from '../../../core/traffic/profile.ts';
import { type PrometheusClient, type RangeQuery, resolveWindow, type WindowOptions } from './client.ts';
import { observeCluster } from './cluster.ts';
import { type GridValues, onGrid } from './grid.ts';
import { presetsOf, type QueryPreset, renderQuery, type WorkloadRef } from './presets.ts';

export interface PrometheusProfileOptions extends WindowOptions {
  /** Use only this request preset (`requests:vllm`), instead of trying them in order. */
  requestPreset?: string;
  /** `name=PROMQL` overrides by preset name or kind (see presets.ts). */
  overrides?: Record<string, string>;
  /** Also query replicas, CPU, GPUs and in-flight requests (default true). */
  cluster?: boolean;
  /** Also query latency quantiles (default true). */
  latency?: boolean;
}

export async function profileFromPrometheus(
  client: PrometheusClient,
  workload: WorkloadRef,
  options: PrometheusProfileOptions = {},
): Promise<TrafficProfile> {
  const window = resolveWindow(options);
  const evalRange = { ...window, startSeconds: window.startSeconds + window.stepSeconds };
  const template = {
    stepSeconds: window.stepSeconds,
    windowSeconds: window.endSeconds - window.startSeconds,
  };
  const records: PrometheusQueryRecord[] = [];
  const warnings: string[] = [];

  let chosen: { preset: QueryPreset; grid: GridValues } | null = null;
  for (const preset of presetsOf('requests', options.overrides, options.requestPreset)) {
    const promql = renderQuery(preset.promql, workload, template);
    const result = await client.queryRange(promql, evalRange);
    warnings.push(...result.warnings.map((w) => `Prometheus warning for ${preset.name}: ${w}`));
    const grid = onGrid(result.series, window);
    const points = grid.values.filter((v) => !Number.isNaN(v)).length;
    records.push({
      name: preset.name,
      promql,
      status: points > 0 ? 'data' : 'no-data',
      series: result.series.length,
      points,
    });
    if (points > 0) {
      chosen = { preset, grid };
      break;
    }
  }
  if (!chosen) throw noRequestData(client, workload, window, records, options.requestPreset);

  const series = seriesFromGrid(chosen.grid, window, warnings, chosen.preset.name);
  const latency =
    options.latency === false
      ? null
      : await latencyFor(client, workload, window, chosen.preset, options, records);
  const cluster =
    options.cluster === false
      ? undefined
      : await observeCluster(client, workload, window, options.overrides, records);
  const present = series.requests.length - series.missingSteps.length;
  const origin: PrometheusOrigin = {
    kind: 'prometheus',
    baseUrl: client.baseUrl,
    startMs: window.startSeconds * 1000,
    endMs: window.endSeconds * 1000,
    stepSeconds: window.stepSeconds,
    queries: records,
    coverage: series.requests.length > 0 ? present / series.requests.length : 0,
  };
  return buildTrafficProfile({ series, latency, origin, warnings, ...(cluster ? { cluster } : {}) });
}

function seriesFromGrid(grid: GridValues, window: RangeQuery, warnings: string[], name: string): RateSeries {
  const missingSteps: number[] = [];
  let negative = 0;
  const requests = grid.values.map((v, i) => {
    if (Number.isNaN(v)) missingSteps.push(i);
    else if (v < 0) negative += 1;
    return Number.isNaN(v) || v < 0 ? 0 : v;
  });
  if (negative > 0) warnings.push(`${name}: ${negative} negative values (not a counter increase?) read as 0`);
  if (grid.nonFinite > 0) warnings.push(`${name}: ${grid.nonFinite} NaN/Inf points treated as gaps`);
  if (missingSteps.length > 0) {
    const share = ((missingSteps.length / requests.length) * 100).toFixed(1);
    warnings.push(
      `${name}: no data for ${missingSteps.length} of ${requests.length} steps (${share} %): gaps, not zeros`,
    );
  }
  return {
    startMs: window.startSeconds * 1000,
    timeBase: 'epoch',
    stepSeconds: window.stepSeconds,
    requests,
    missingSteps,
  };
}

function noRequestData(
  client: PrometheusClient,
  workload: WorkloadRef,
  window: RangeQuery,
  records: PrometheusQueryRecord[],
  only: string | undefined,
): MigrateError {
  const from = new Date(window.startSeconds * 1000).toISOString();
  const to = new Date(window.endSeconds * 1000).toISOString();
  const tried = records.map((r) => `\n  ${r.name}: ${r.promql}`).join('');
  const what = only && records.length === 0 ? ` (no request preset named ${only})` : '';
  return new MigrateError(
    `no request metrics for ${workload.namespace}/${workload.name} in Prometheus at ${client.baseUrl} ` +
      `from ${from} to ${to}${what}; every query returned no data:${tried}`,
    { hint: 'pass --query requests=PROMQL (requests per step, e.g. increase(…[$step]))' },
  );
}

const QUANTILES = [
  ['p50Ms', 0.5],
  ['p90Ms', 0.9],
  ['p95Ms', 0.95],
  ['p99Ms', 0.99],
] as const;

/** Quantiles over the whole window from the histogram paired with the request source, else any. */
async function latencyFor(
  client: PrometheusClient,
  workload: WorkloadRef,
  window: RangeQuery,
  requests: QueryPreset,
  options: PrometheusProfileOptions,
  records: PrometheusQueryRecord[],
): Promise<LatencyDistribution | null> {
  const presets = presetsOf('latency', options.overrides);
  presets.sort((a, b) => Number(b.pairsWith === requests.name) - Number(a.pairsWith === requests.name));
  const template = {
    stepSeconds: window.stepSeconds,
    windowSeconds: window.endSeconds - window.startSeconds,
  };
  for (const preset of presets) {
    const scale = preset.unit === 's' ? 1000 : 1;
    const found: Partial<Record<(typeof QUANTILES)[number][0], number | null>> = {};
    let any = false;
    let promql = '';
    for (const [key, q] of QUANTILES) {
      promql = renderQuery(preset.promql, workload, { ...template, quantile: q });
      const result = await client.query(promql, window.endSeconds);
      const value = result.series.find((s) => Number.isFinite(s.value))?.value;
      found[key] = value === undefined ? null : value * scale;
      any ||= value !== undefined;
      if (!any) break; // no p50 means no histogram: skip the other quantiles
    }
    records.push({
      name: preset.name,
      promql,
      status: any ? 'data' : 'no-data',
      series: any ? 1 : 0,
      points: any ? 4 : 0,
    });
    if (any) {
      return {
        p50Ms: found.p50Ms ?? null,
        p90Ms: found.p90Ms ?? null,
        p95Ms: found.p95Ms ?? null,
        p99Ms: found.p99Ms ?? null,
        meanMs: null,
        samples: null,
        source: `${preset.name}: ${promql}`,
      };
    }
  }
  return null;
}
