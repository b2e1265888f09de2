/**
 * Against a real Prometheus (Debian package `prometheus`), backfilled from corpus traces by
 * test/helpers/prometheus.ts: the profile read back must be the trace.
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrometheusClient, type PrometheusClient } from '../analyzers/metrics/prometheus/client.ts';
import { profileFromPrometheus } from '../analyzers/metrics/prometheus/profile.ts';
import { MigrateError } from '../core/errors.ts';
import type { TrafficProfile } from '../core/traffic/profile.ts';
import {
  type BackfilledPrometheus,
  LATENCY_BUCKETS_MS,
  startBackfilledPrometheus,
} from './helpers/prometheus.ts';

let server: BackfilledPrometheus;
let client: PrometheusClient;
const CODE = { namespace: 'ml', name: 'llm-code', kind: 'Deployment' };

beforeAll(async () => {
  server = await startBackfilledPrometheus();
  client = createPrometheusClient({ baseUrl: server.baseUrl, timeoutMs: 10_000, retries: 0 });
});

afterAll(async () => {
  await server?.stop();
});

/** The window that covers exactly the trace's 1-minute bins. */
function window(minutes: number) {
  const base = server.truth.baseSeconds;
  return { start: base * 1000, end: (base + minutes * 60) * 1000, stepSeconds: 60 };
}

const rounded = (values: number[]) => values.map((v) => Math.round(v * 1e6) / 1e6);

describe('profileFromPrometheus against a real server', () => {
  let code: TrafficProfile;

  beforeAll(async () => {
    code = await profileFromPrometheus(client, CODE, window(server.truth.code.perMinute.length));
  });

  it('reads the Istio request counters back as the trace, minute by minute, across a counter reset', () => {
    expect(rounded(code.series.requests)).toEqual(server.truth.code.perMinute);
    expect(code.stats.requests).toBeCloseTo(8819, 6);
    expect(code.stats.largestIncreasePerMinute).toBeCloseTo(632, 6);
    expect(code.stats.peakToMean1m).toBeCloseTo(632 / (8819 / 58), 6);
    expect(code.stats.label).toBe('spiky');
    expect(code.stats.missingFraction).toBe(0);
    expect(code.origin).toMatchObject({ kind: 'prometheus', stepSeconds: 60, coverage: 1 });
    expect(code.origin.kind === 'prometheus' && code.origin.queries[0]).toMatchObject({
      name: 'requests:istio',
      status: 'data',
    });
  });

  it('estimates latency quantiles from the Istio histogram within the right bucket', () => {
    const sorted = [...server.truth.code.latenciesMs].sort((a, b) => a - b);
    const truthAt = (q: number) => sorted[Math.ceil(q * sorted.length) - 1]!;
    const bucketOf = (ms: number) => LATENCY_BUCKETS_MS.findIndex((le) => ms <= le);

    for (const [key, q] of [
      ['p50Ms', 0.5],
      ['p90Ms', 0.9],
      ['p99Ms', 0.99],
    ] as const) {
      const estimate = code.latency![key]!;

      expect(bucketOf(estimate)).toBe(bucketOf(truthAt(q)));
    }
    expect(code.latency!.source).toMatch(/^latency:istio: histogram_quantile\(0\.99, /);
  });

  it('observes replicas over time and GPU-seconds allocated versus busy', () => {
    const { truth } = server;
    const evalTimes = code.series.requests.map((_, i) => truth.baseSeconds + 60 * (i + 1));
    const replicas = evalTimes.map((t) => truth.replicasAt(t));
    const busy = evalTimes.map((t) => (truth.replicasAt(t) * truth.gpuUtilPercentAt(t)) / 100);

    const cluster = code.cluster!;

    expect(cluster.replicas!.values).toEqual(replicas);
    expect(cluster.replicaStats).toMatchObject({ min: Math.min(...replicas), max: Math.max(...replicas) });
    expect(cluster.gpu!.allocatedGpuSeconds).toBe(replicas.reduce((a, b) => a + b, 0) * 60);
    expect(cluster.gpu!.busyGpuSeconds).toBeCloseTo(busy.reduce((a, b) => a + b, 0) * 60, 6);
    expect(cluster.gpu!.idleFraction).toBeGreaterThan(0);
    expect(cluster.cpuCores).toBeNull();
  });

  it('falls back through the presets to vLLM for a workload without a mesh, recording each miss', async () => {
    const chat = await profileFromPrometheus(
      client,
      { namespace: 'ml', name: 'chat', kind: 'Deployment' },
      { ...window(server.truth.chat.perMinute.length), cluster: true },
    );

    expect(rounded(chat.series.requests)).toEqual(server.truth.chat.perMinute);
    expect(
      chat.origin.kind === 'prometheus' &&
        chat.origin.queries.slice(0, 5).map((q) => `${q.name}=${q.status}`),
    ).toEqual([
      'requests:istio=no-data',
      'requests:nginx=no-data',
      'requests:knative=no-data',
      'requests:triton=no-data',
      'requests:vllm=data',
    ]);
    expect(chat.cluster?.replicaStats).toEqual({ min: 2, max: 2, mean: 2 });
    expect(chat.cluster?.gpu).toBeNull();
    expect(Math.max(...chat.cluster!.inFlightRequests!.values.map((v) => v ?? 0))).toBeGreaterThan(0);
  });

  it('uses a name=PROMQL override instead of the presets', async () => {
    const errors = await profileFromPrometheus(client, CODE, {
      ...window(58),
      overrides: {
        requests:
          'sum(increase(istio_requests_total{destination_workload="$workload",destination_workload_namespace="$namespace",response_code="503"}[$step]))',
      },
      cluster: false,
      latency: false,
    });

    expect(Math.round(errors.stats.requests)).toBe(server.truth.code.errors);
    expect(errors.origin.kind === 'prometheus' && errors.origin.queries.map((q) => q.name)).toEqual([
      'requests:custom',
    ]);
  });

  it('says which queries had no data instead of inventing zeros', async () => {
    const error = await profileFromPrometheus(client, { namespace: 'ml', name: 'ghost' }, window(10)).catch(
      (e) => e,
    );

    expect(error).toBeInstanceOf(MigrateError);
    expect(error.message).toContain('no request metrics for ml/ghost');
    expect(error.message).toContain('requests:istio: sum(increase(istio_requests_total{');
    expect(error.message).toContain('requests:http: ');
  });

  it('marks steps outside the data as gaps, and the coverage', async () => {
    const base = server.truth.baseSeconds;
    const profile = await profileFromPrometheus(client, CODE, {
      start: (base + 3600) * 1000,
      end: (base + 3600 + 40 * 60) * 1000,
      stepSeconds: 60,
      cluster: false,
      latency: false,
    });

    // Scrapes run to base + 70 min: the first 10 steps have data (all zero), the rest are gaps.
    expect(profile.series.missingSteps).toHaveLength(30);
    expect(profile.origin.kind === 'prometheus' && profile.origin.coverage).toBe(0.25);
    expect(profile.stats.idleFraction).toBe(1);
    expect(profile.warnings.join('\n')).toContain('gaps, not zeros');
  });
});

describe('the client against a real server', () => {
  it('splits a long range to stay under the points limit and joins the pieces', async () => {
    const base = server.truth.baseSeconds;
    const range = { startSeconds: base, endSeconds: base + 3600, stepSeconds: 15 };
    const query =
      'sum by (pod) (istio_requests_total{destination_workload="llm-code",destination_workload_namespace="ml"})';
    const small = createPrometheusClient({ baseUrl: server.baseUrl, maxPointsPerSeries: 50, retries: 0 });

    const whole = await client.queryRange(query, range);
    const split = await small.queryRange(query, range);

    expect(whole.requests).toBe(1);
    expect(split.requests).toBe(Math.ceil(241 / 50));
    expect(split.series).toEqual(whole.series);
    expect(split.series[0]!.points).toHaveLength(241);
  });

  it('shows that the raw counters reset, which is why presets use increase()', async () => {
    const base = server.truth.baseSeconds;
    const query =
      'sum(istio_requests_total{destination_workload="llm-code",destination_workload_namespace="ml"})';

    const before = await client.query(query, base);
    const after = await client.query(query, base + 3480);

    expect(after.series[0]!.value - before.series[0]!.value).toBeLessThan(8819);
  });

  it('passes on the server’s parse error for bad PromQL', async () => {
    const error = await client.query('sum(rate(x[5m]', server.truth.baseSeconds).catch((e) => e);

    expect(error).toBeInstanceOf(MigrateError);
    expect(error.message).toMatch(/rejected the query \(HTTP 400\) bad_data: .*parse error/);
  });
});
