/**
 * Fixtures are hand-written from k6's documented output shapes (k6 cannot be installed here):
 * --summary-export (flat metric objects; Rate metrics as passes/fails/value), the handleSummary `data`
 * object ({type, contains, values}), and --out json NDJSON (Metric and Point lines).
 */
import { describe, expect, it } from 'vitest';
import { MigrateError } from '../../core/errors.ts';
import { exactSummary, importK6 } from './import.ts';

const SUMMARY_EXPORT = {
  root_group: { name: '', path: '', id: 'd41d8cd98f00b204e9800998ecf8427e', groups: {}, checks: {} },
  metrics: {
    http_req_duration: {
      avg: 120.5,
      min: 10.1,
      med: 95.25,
      max: 2101.7,
      'p(90)': 180.4,
      'p(95)': 250.9,
      'p(99)': 1800.2,
      'p(99.9)': 2050,
    },
    'http_req_duration{expected_response:true}': {
      avg: 110,
      min: 10.1,
      med: 94,
      max: 2000,
      'p(90)': 170,
      'p(95)': 240,
      'p(99)': 1700,
      'p(99.9)': 1990,
    },
    http_reqs: { count: 1000, rate: 16.66 },
    http_req_failed: { passes: 12, fails: 988, value: 0.012, thresholds: { 'rate<0.01': true } },
    iterations: { count: 1000, rate: 16.66 },
    dropped_iterations: { count: 7, rate: 0.11 },
    vus: { value: 3, min: 1, max: 40 },
  },
};

const HANDLE_SUMMARY = {
  state: { isStdOutTTY: false, isStdErrTTY: false, testRunDurationMs: 60012.5 },
  options: { summaryTrendStats: ['avg', 'min', 'med', 'p(90)', 'p(95)', 'p(99)', 'max'] },
  metrics: {
    http_req_duration: {
      type: 'trend',
      contains: 'time',
      values: { avg: 50, min: 5, med: 40, max: 900, 'p(90)': 80, 'p(95)': 100, 'p(99)': 700 },
    },
    'http_req_duration{target:lambda}': {
      type: 'trend',
      contains: 'time',
      values: { avg: 60, min: 5, med: 45, max: 900, 'p(90)': 90, 'p(95)': 120, 'p(99)': 800 },
      thresholds: { 'p(99)<1000': { ok: true } },
    },
    'http_req_duration{target:cluster}': {
      type: 'trend',
      contains: 'time',
      values: { avg: 40, min: 6, med: 35, max: 300, 'p(90)': 60, 'p(95)': 70, 'p(99)': 200 },
      thresholds: { 'p(99)<1000': { ok: true } },
    },
    http_reqs: { type: 'counter', contains: 'default', values: { count: 600, rate: 10 } },
    http_req_failed: { type: 'rate', contains: 'default', values: { rate: 0.01, passes: 6, fails: 594 } },
    'http_req_failed{target:lambda}': {
      type: 'rate',
      contains: 'default',
      values: { rate: 0.02, passes: 6, fails: 294 },
    },
    'http_req_failed{target:cluster}': {
      type: 'rate',
      contains: 'default',
      values: { rate: 0, passes: 0, fails: 300 },
    },
    'http_req_duration{status:200}': { type: 'trend', contains: 'time', values: { avg: 1 } },
    iterations: { type: 'counter', contains: 'default', values: { count: 600, rate: 10 } },
  },
};

const point = (metric: string, time: string, value: number, tags: Record<string, string>) =>
  JSON.stringify({ type: 'Point', metric, data: { time, value, tags } });

function ndjson(): string {
  const lines = [
    JSON.stringify({
      type: 'Metric',
      data: { name: 'http_req_duration', type: 'trend', contains: 'time', thresholds: [], submetrics: null },
      metric: 'http_req_duration',
    }),
  ];
  const request = (target: string, second: number, ms: number, status: string) => {
    const time = `2026-05-01T12:00:${String(second).padStart(2, '0')}.000Z`;
    const ok = status.startsWith('2');
    const tags = {
      target,
      scenario: target,
      method: 'POST',
      name: 'replay',
      status,
      expected_response: String(ok),
      ...(status === '0' ? { error_code: '1211' } : {}),
    };
    lines.push(point('http_reqs', time, 1, tags));
    lines.push(point('http_req_duration', time, ms, tags));
    lines.push(point('http_req_failed', time, ok ? 0 : 1, tags));
  };
  for (let i = 1; i <= 100; i += 1) request('lambda', i % 50, i, '200');
  request('lambda', 50, 5000, '503');
  for (let i = 1; i <= 10; i += 1) request('cluster', i, 20, '200');
  request('cluster', 11, 60000, '0');
  lines.push(
    point('dropped_iterations', '2026-05-01T12:00:30.000Z', 1, { scenario: 'cluster', target: 'cluster' }),
  );
  lines.push(point('vus', '2026-05-01T12:00:30.000Z', 4, {}));
  return `${lines.join('\n')}\n`;
}

describe('import-k6: --summary-export', () => {
  it('maps one untagged run, latency of served requests, failures and drops', () => {
    const result = importK6(JSON.stringify(SUMMARY_EXPORT), 'summary.json');
    expect(result.kind).toBe('live');
    expect(result.source.format).toBe('summary');
    expect(result.runs).toHaveLength(1);
    const run = result.runs[0]!;
    expect(run.target).toBe('k6');
    expect(run.requests).toEqual({ total: 1007, served: 988, timedOut: 0, failed: 12, dropped: 7 });
    expect(run.achievedRatePerSecond).toBe(16.66);
    expect(run.latencyMs).toEqual({
      mean: 110,
      p50: 94,
      p90: 170,
      p95: 240,
      p99: 1700,
      p999: 1990,
      max: 2000,
    });
    expect(result.notes).toEqual([]);
  });

  it('says when latency includes failures and p99 is missing', () => {
    const { 'http_req_duration{expected_response:true}': _, ...metrics } = SUMMARY_EXPORT.metrics;
    const { 'p(99)': __, ...duration } = metrics.http_req_duration;
    const result = importK6(
      JSON.stringify({ metrics: { ...metrics, http_req_duration: duration } }),
      's.json',
      {
        defaultTarget: 'lambda',
      },
    );
    expect(result.runs[0]!.target).toBe('lambda');
    expect(result.runs[0]!.latencyMs.p99).toBeNull();
    expect(result.runs[0]!.latencyMs.p50).toBe(95.25);
    expect(result.notes.join('\n')).toMatch(/includes failed requests/);
    expect(result.notes.join('\n')).toMatch(/p\(99\)/);
  });
});

describe('import-k6: handleSummary data', () => {
  it('gives one run per target sub-metric, ignoring other tags', () => {
    const result = importK6(JSON.stringify(HANDLE_SUMMARY), 'data.json');
    expect(result.source.elapsedSeconds).toBe(60.013);
    expect(result.runs.map((run) => run.target)).toEqual(['cluster', 'lambda']);
    const lambda = result.runs[1]!;
    expect(lambda.requests).toEqual({ total: 300, served: 294, timedOut: 0, failed: 6, dropped: 0 });
    expect(lambda.latencyMs.p99).toBe(800);
    expect(lambda.latencyMs.p50).toBe(45);
    expect(result.runs[0]!.requests.failed).toBe(0);
    expect(result.notes.join('\n')).toMatch(/http_req_failed\{target/);
  });
});

describe('import-k6: --out json NDJSON', () => {
  it('groups points by target with exact quantiles, status codes, errors and drops', () => {
    const result = importK6(ndjson(), 'points.json');
    expect(result.source.format).toBe('ndjson');
    const [cluster, lambda] = result.runs;
    expect(lambda!.target).toBe('lambda');
    expect(lambda!.requests).toEqual({ total: 101, served: 100, timedOut: 0, failed: 1, dropped: 0 });
    // Served latencies are 1…100 ms: nearest-rank p50 = 50, p99 = 99; the 503 is left out.
    expect(lambda!.latencyMs.p50).toBe(50);
    expect(lambda!.latencyMs.p99).toBe(99);
    expect(lambda!.latencyMs.max).toBe(100);
    expect(lambda!.statusCodes).toEqual({ '200': 100, '503': 1 });
    expect(cluster!.requests).toEqual({ total: 12, served: 10, timedOut: 0, failed: 1, dropped: 1 });
    expect(cluster!.errors).toEqual({ '1211': 1 });
    expect(cluster!.latencyMs.max).toBe(20);
    expect(result.source.elapsedSeconds).toBe(50); // first http_reqs at :00, last (the 503) at :50
    for (const run of result.runs) {
      const { total, served, failed, timedOut, dropped } = run.requests;
      expect(served + failed + timedOut + dropped).toBe(total);
    }
  });

  it('quantiles of nothing are null', () => {
    expect(exactSummary([]).p99).toBeNull();
    expect(exactSummary([3, 1, 2])).toMatchObject({ p50: 2, max: 3, mean: 2 });
  });
});

describe('import-k6: input the user can fix', () => {
  it.each([
    ['', /is empty/],
    ['{"hello": 1}', /neither a k6 summary/],
    ['{"metrics": {"vus": {"value": 1}}}', /no http_reqs/],
    [
      '{"type":"Point","metric":"http_reqs","data":{"value":1}}\nnot json',
      /points.json:2: is not a JSON line/,
    ],
    ['{"type":"Metric","metric":"x","data":{}}', /no Point lines/],
  ])('%j', (text, message) => {
    const call = () => importK6(text, 'points.json');
    expect(call).toThrow(MigrateError);
    expect(call).toThrow(message);
  });
});
