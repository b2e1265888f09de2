import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MigrateError } from '../../core/errors.ts';
import { applyEnv, type FakeCloudRun, startFakeCloudRun } from '../../test/helpers/fake-cloud-run.ts';
import type { MeasureOptions } from '../types.ts';
import { type CloudRunSession, connectCloudRun } from './client.ts';
import { cloudRunCloud } from './index.ts';
import { analyzeBursts } from './measure.ts';

// The fake service adds 300 ms to the first request of every new instance and serves each in 20 ms.
const COLD_MS = 300;
const SERVICE_MS = 20;

let fake: FakeCloudRun;
let restore: () => void;
let session: CloudRunSession;

const template = (minInstanceCount: number) => ({
  template: {
    scaling: { minInstanceCount, maxInstanceCount: 10 },
    containers: [
      { image: 'gcr.io/fake-project/model:1', resources: { limits: { cpu: '2', memory: '4Gi' } } },
    ],
  },
});

function options(change: Partial<MeasureOptions> = {}): MeasureOptions & { seen: [number, number][] } {
  const seen: [number, number][] = [];
  return {
    requests: 12,
    concurrency: 4,
    payload: null,
    path: null,
    progress: (done, total) => seen.push([done, total]),
    seen,
    ...change,
  };
}

beforeEach(async () => {
  fake = await startFakeCloudRun({ coldStartMs: COLD_MS, serviceMs: SERVICE_MS });
  restore = applyEnv(fake.env);
  session = await connectCloudRun(
    {
      region: fake.region,
      project: null,
      subscription: null,
      resourceGroup: null,
      endpoint: fake.endpoint,
      caFile: null,
      requestTimeoutMs: 5_000,
      extra: {},
    },
    { retryDelayMs: 5, attempts: 3, pollDelayMs: 5, pollTimeoutMs: 5_000 },
  );
});

afterEach(async () => {
  cloudRunCloud.close(session);
  restore();
  await fake.close();
});

describe('cloud-run measure against the fake service', () => {
  it('a service at zero: the first burst is cold, its cold start is its time minus the warm median', async () => {
    fake.seed('model', template(0));
    const run = options();
    const samples = await cloudRunCloud.measure(session, 'model', run);
    expect(samples.coldStartMs).toHaveLength(4);
    for (const cold of samples.coldStartMs) {
      expect(cold).toBeGreaterThanOrEqual(250);
      expect(cold).toBeLessThanOrEqual(450);
    }
    expect(samples.serviceMs).toHaveLength(8);
    for (const warm of samples.serviceMs) {
      expect(warm).toBeGreaterThanOrEqual(SERVICE_MS - 1);
      expect(warm).toBeLessThan(150);
    }
    expect(samples.failures).toEqual({});
    expect(samples.cpuMillis).toBe(2000);
    expect(samples.method).toMatch(
      /^Cloud Run exposes no per-request instance id, so the first burst of 4 request\(s\) is taken as meeting new instances — assuming the service had scaled to zero/,
    );
    expect(samples.facts).toMatchObject({
      service: 'projects/fake-project/locations/europe-west4/services/model',
      uri: fake.serviceUri,
      region: 'europe-west4',
      minInstances: 0,
      memoryMb: 4096,
    });
    expect(run.seen).toHaveLength(12);
    expect(run.seen.at(-1)).toEqual([12, 12]);
    // The fake really started 4 instances for the first burst and reused them after.
    expect(fake.invocations.filter((call) => call.cold)).toHaveLength(4);
    expect(fake.invocations.slice(0, 4).every((call) => call.cold)).toBe(true);
    // Every request carried an ID token for the service's URL (the fake answers 401 otherwise).
    expect(
      fake.metadata.calls.some(
        (call) => call.path.includes('/identity?') && call.path.includes(`audience=${fake.serviceUri}`),
      ),
    ).toBe(true);
  });

  it('a service with minimum instances: nothing is counted as cold, and the method says why', async () => {
    fake.seed('model', template(4));
    const samples = await cloudRunCloud.measure(session, 'model', options({ requests: 8 }));
    expect(samples.coldStartMs).toEqual([]);
    expect(samples.serviceMs).toHaveLength(8);
    expect(Math.max(...samples.serviceMs)).toBeLessThan(150);
    expect(samples.method).toMatch(/keeps 4 minimum instance\(s\).*not at zero/);
    expect(fake.invocations.some((call) => call.cold)).toBe(false);
  });

  it('POSTs the payload to the path, and counts 429 and 5xx as failures by status', async () => {
    fake.seed('model', template(0));
    fake.failNext('Invoke', 503, 'busy', 2);
    fake.failNext('Invoke', 429, 'slow down', 1);
    const samples = await cloudRunCloud.measure(
      session,
      'model',
      options({ requests: 8, concurrency: 4, payload: '{"x":[1,2]}', path: '/v1/predict' }),
    );
    expect(samples.failures).toEqual({ 'HTTP 503': 2, throttled: 1 });
    expect(samples.coldStartMs).toHaveLength(1);
    expect(samples.serviceMs).toHaveLength(4);
    expect(fake.invocations.map((call) => [call.method, call.path, call.body])).toEqual(
      Array.from({ length: 5 }, () => ['POST', '/v1/predict', '{"x":[1,2]}']),
    );
  });

  it('a service that is not deployed is an error, not an empty measurement', async () => {
    const error = await cloudRunCloud
      .measure(session, 'missing', options())
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MigrateError);
    expect((error as MigrateError).message).toBe(
      'Cloud Run service projects/fake-project/locations/europe-west4/services/missing does not exist',
    );
  });
});

describe('analyzeBursts', () => {
  const ok = (ms: number) => ({ ms, failure: null });
  it('cold = first burst − median warm; failures are not samples', () => {
    const result = analyzeBursts(
      [
        [ok(330), ok(310), { ms: 5, failure: 'HTTP 503' }],
        [ok(20), ok(30), ok(10)],
        [ok(40), { ms: 1, failure: 'throttled' }],
      ],
      0,
    );
    // Warm 10, 20, 30, 40 → median 25.
    expect(result.coldStartMs).toEqual([305, 285]);
    expect(result.serviceMs).toEqual([20, 30, 10, 40]);
    expect(result.failures).toEqual({ 'HTTP 503': 1, throttled: 1 });
  });

  it('one burst only: no warm median, so no cold start either', () => {
    const result = analyzeBursts([[ok(300), ok(320)]], 0);
    expect(result.coldStartMs).toEqual([]);
    expect(result.serviceMs).toEqual([]);
    expect(result.method).toContain('no later request succeeded to give a warm median');
  });

  it('never a negative or jitter-sized cold start: a first burst no slower than the warm requests counts none', () => {
    const result = analyzeBursts([[ok(10)], [ok(50)]], 0);
    expect(result.coldStartMs).toEqual([]);
    expect(result.method).toContain('the service was probably not at zero');
  });
});
