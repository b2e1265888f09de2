/**
 * The charts of the HTML report as Vega-Lite specs — pure data, no drawing code. render.ts compiles
 * them to Vega and renders SVG at build time, so the page needs no script library and no network.
 */

import type { OkRun, ReplayReport } from '../../loadtests/engine/result.ts';
import type { ReportJson, ResultRow } from '../pipeline/model.ts';

export type VegaLiteSpec = Record<string, unknown>;

/** One colour per target in every chart, readable on light and dark backgrounds. */
export const TARGET_COLORS: Record<string, string> = {
  kubernetes: '#4c78a8',
  knative: '#f58518',
  'aws-lambda': '#e45756',
  'cloud-run': '#2a9d8f',
  'azure-functions': '#8e6cc0',
};
const TRAFFIC_COLOR = '#9a9a9a';

const CONFIG = {
  background: 'transparent',
  font: 'system-ui, -apple-system, Segoe UI, sans-serif',
  view: { stroke: null },
  axis: { labelFontSize: 11, titleFontSize: 11, titleFontWeight: 'normal' },
  legend: { labelFontSize: 11, titleFontSize: 11, orient: 'bottom', direction: 'horizontal' },
};

function colorScale(targets: readonly string[]) {
  return { domain: [...targets], range: targets.map((target) => TARGET_COLORS[target] ?? '#777') };
}

function column(run: OkRun, name: string): number[] {
  const index = run.timeline.columns.indexOf(name);
  return run.timeline.rows.map((row) => row[index] ?? 0);
}

/** Traffic (requests per second, an area) and every target's instances (lines) over the same time axis. */
export function timelineChart(replay: ReplayReport): VegaLiteSpec | null {
  const runs = replay.runs.filter((run): run is OkRun => run.status === 'ok');
  const first = runs[0];
  if (!first) return null;
  const step = first.timeline.stepSeconds;
  const minutes = column(first, 'tSeconds').map((seconds) => Math.round((seconds / 60) * 1000) / 1000);
  const traffic = column(first, 'arrivals').map((count, index) => ({
    minute: minutes[index],
    requestsPerSecond: Math.round((count / step) * 1000) / 1000,
  }));
  const instances = runs.flatMap((run) => {
    const time = column(run, 'tSeconds');
    return column(run, 'instancesMax').map((value, index) => ({
      minute: Math.round((time[index]! / 60) * 1000) / 1000,
      instances: value,
      target: run.target,
    }));
  });
  const x = { field: 'minute', type: 'quantitative', title: 'minutes from the start' };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 640,
    height: 220,
    config: CONFIG,
    layer: [
      {
        data: { values: traffic },
        mark: { type: 'area', color: TRAFFIC_COLOR, opacity: 0.35, interpolate: 'step-after' },
        encoding: { x, y: { field: 'requestsPerSecond', type: 'quantitative', title: 'requests/s' } },
      },
      {
        data: { values: instances },
        mark: { type: 'line', interpolate: 'step-after', strokeWidth: 2 },
        encoding: {
          x,
          y: {
            field: 'instances',
            type: 'quantitative',
            title: 'pods / instances',
            axis: { orient: 'right' },
          },
          color: {
            field: 'target',
            type: 'nominal',
            title: 'instances on',
            scale: colorScale(runs.map((run) => run.target)),
          },
        },
      },
    ],
    resolve: { scale: { y: 'independent' } },
  };
}

/** Latency percentiles per target, grouped by percentile. */
export function latencyChart(rows: readonly ResultRow[]): VegaLiteSpec | null {
  const ran = rows.filter((row) => row.status === 'ok');
  if (ran.length === 0) return null;
  const measures: [string, keyof ResultRow][] = [
    ['p50', 'p50Ms'],
    ['p90', 'p90Ms'],
    ['p99', 'p99Ms'],
    ['p99 in spike', 'spikeP99Ms'],
  ];
  const values = ran.flatMap((row) =>
    measures
      .filter(([, key]) => row[key] !== null)
      .map(([percentile, key]) => ({ percentile, target: row.target, ms: row[key] as number })),
  );
  return barChart(
    values,
    { field: 'percentile', type: 'nominal', title: null, sort: measures.map(([name]) => name) },
    { field: 'ms', type: 'quantitative', title: 'latency, ms' },
    ran.map((row) => row.target),
    true,
  );
}

export function coldStartChart(rows: readonly ResultRow[]): VegaLiteSpec | null {
  const ran = rows.filter((row) => row.coldStarts !== null);
  if (ran.length === 0) return null;
  return barChart(
    ran.map((row) => ({ target: row.target, coldStarts: row.coldStarts })),
    { field: 'target', type: 'nominal', title: null, sort: null },
    { field: 'coldStarts', type: 'quantitative', title: 'cold starts' },
    ran.map((row) => row.target),
    false,
  );
}

/** GPU-hours allocated (paid for) against busy (serving), per target. */
export function gpuChart(rows: readonly ResultRow[]): VegaLiteSpec | null {
  const ran = rows.filter((row) => row.gpuAllocatedHours !== null);
  if (ran.length === 0) return null;
  const values = ran.flatMap((row) => [
    { target: row.target, use: 'allocated', hours: row.gpuAllocatedHours },
    { target: row.target, use: 'busy', hours: row.gpuBusyHours },
  ]);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 260,
    height: 180,
    config: CONFIG,
    data: { values },
    mark: { type: 'bar' },
    encoding: {
      x: { field: 'target', type: 'nominal', title: null, sort: null },
      xOffset: { field: 'use', sort: ['allocated', 'busy'] },
      y: { field: 'hours', type: 'quantitative', title: 'GPU-hours' },
      color: {
        field: 'target',
        type: 'nominal',
        legend: null,
        scale: colorScale(ran.map((row) => row.target)),
      },
      opacity: {
        field: 'use',
        type: 'ordinal',
        sort: ['allocated', 'busy'],
        title: 'GPU time',
        scale: { domain: ['allocated', 'busy'], range: [0.45, 1] },
        legend: { symbolFillColor: TRAFFIC_COLOR, symbolStrokeColor: TRAFFIC_COLOR },
      },
    },
  };
}

/** Monthly cost per target; with several workloads, stacked by workload. */
export function costChart(rows: readonly ResultRow[], stacked: boolean): VegaLiteSpec | null {
  const ran = rows.filter((row) => row.monthlyCostUsd !== null);
  if (ran.length === 0) return null;
  const targets = [...new Set(ran.map((row) => row.target))];
  const values = ran.map((row) => ({ target: row.target, workload: row.workload, usd: row.monthlyCostUsd }));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: stacked ? 420 : 260,
    height: 180,
    config: CONFIG,
    data: { values },
    mark: { type: 'bar' },
    encoding: {
      y: { field: 'target', type: 'nominal', title: null, sort: targets },
      x: { field: 'usd', type: 'quantitative', title: 'monthly cost, USD', aggregate: 'sum' },
      color: stacked
        ? { field: 'workload', type: 'nominal', title: 'workload' }
        : { field: 'target', type: 'nominal', legend: null, scale: colorScale(targets) },
      ...(stacked ? { order: { field: 'workload' } } : {}),
    },
  };
}

function barChart(
  values: Record<string, unknown>[],
  x: Record<string, unknown>,
  y: Record<string, unknown>,
  targets: readonly string[],
  grouped: boolean,
): VegaLiteSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 260,
    height: 180,
    config: CONFIG,
    data: { values },
    mark: { type: 'bar' },
    encoding: {
      x,
      ...(grouped ? { xOffset: { field: 'target', sort: [...targets] } } : {}),
      y,
      color: {
        field: 'target',
        type: 'nominal',
        title: null,
        scale: colorScale(targets),
        ...(grouped ? {} : { legend: null }),
      },
    },
  };
}

/** The charts of one workload, in page order, with their headings. */
export function workloadCharts(report: ReportJson, replay: ReplayReport, workload: string) {
  const rows = report.results.filter((row) => row.workload === workload);
  return [
    { id: 'timeline', title: 'Traffic and instances over time', spec: timelineChart(replay), wide: true },
    { id: 'latency', title: 'Latency percentiles', spec: latencyChart(rows), wide: false },
    { id: 'cold-starts', title: 'Cold starts', spec: coldStartChart(rows), wide: false },
    { id: 'gpu', title: 'GPU time: allocated vs busy', spec: gpuChart(rows), wide: false },
    { id: 'cost', title: 'Monthly cost', spec: costChart(rows, false), wide: false },
  ].filter(
    (chart): chart is { id: string; title: string; spec: VegaLiteSpec; wide: boolean } => chart.spec !== null,
  );
}
