/**
 * measure against the fake: ARM gives the host name, the key and the route; the fake function host
 * adds a fixed 300 ms to the first request of every new instance and answers in 20 ms otherwise.
 */

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeArm, startFakeArm, useAzureEnv } from '../../test/helpers/fake-arm.ts';
import type { MeasureOptions } from '../types.ts';
import { type AzureSession, connectAzure } from './client.ts';
import { measureAzure } from './measure.ts';
import { azureFlags } from './test-support.ts';

let fake: FakeArm;
let restoreEnv: () => void;
let session: AzureSession;

beforeAll(async () => {
  fake = await startFakeArm({ functions: { coldMs: 300, serviceMs: 20, perInstance: 1 } });
  restoreEnv = useAzureEnv(fake.env);
  session = await connectAzure(azureFlags({ endpoint: fake.endpoint, caFile: fake.caFile }), {
    pollIntervalMs: 5,
  });
});
afterAll(async () => {
  restoreEnv();
  await fake.close();
});
beforeEach(() => {
  fake.functions.requests.length = 0;
});

const seed = (name: string, alwaysReady: number, memoryMb = 2048) => {
  fake.seedPlan(`${name}-plan`, {
    kind: 'functionapp',
    sku: { name: 'FC1', tier: 'FlexConsumption' },
    properties: { reserved: true },
  });
  fake.seedSite(name, {
    properties: {
      serverFarmId: `/subscriptions/${fake.subscriptionId}/resourceGroups/rg-migrate/providers/Microsoft.Web/serverfarms/${name}-plan`,
      functionAppConfig: {
        deployment: {
          storage: {
            type: 'blobContainer',
            value: 'https://st.blob.core.windows.net/pkg',
            authentication: { type: 'SystemAssignedIdentity' },
          },
        },
        runtime: { name: 'python', version: '3.11' },
        scaleAndConcurrency: {
          instanceMemoryMB: memoryMb,
          maximumInstanceCount: 40,
          alwaysReady: alwaysReady ? [{ name: 'http', instanceCount: alwaysReady }] : [],
          triggers: { http: { perInstanceConcurrency: 1 } },
        },
      },
    },
  });
};

const options = (over: Partial<MeasureOptions> = {}): MeasureOptions & { seen: [number, number][] } => {
  const seen: [number, number][] = [];
  return {
    requests: 8,
    concurrency: 4,
    payload: null,
    path: null,
    progress: (done, total) => seen.push([done, total]),
    seen,
    ...over,
  };
};

describe('measure', () => {
  it('from zero: the first burst are the cold starts (first-burst time − warm median), the rest the service times', async () => {
    seed('cold-app', 0);
    const opts = options();
    const samples = await measureAzure(session, 'cold-app', opts);
    expect(samples.coldStartMs).toHaveLength(4);
    for (const cold of samples.coldStartMs) {
      expect(cold).toBeGreaterThanOrEqual(250);
      expect(cold).toBeLessThanOrEqual(450);
    }
    expect(samples.serviceMs).toHaveLength(4);
    for (const warm of samples.serviceMs) {
      expect(warm).toBeGreaterThanOrEqual(19);
      expect(warm).toBeLessThan(200);
    }
    expect(samples.failures).toEqual({});
    expect(samples.cpuMillis).toBe(1000); // 2,048 MB Flex instance: 1 core (platform-facts.md g)
    expect(samples.method).toMatch(
      /first burst of 4 request\(s\) after idle is taken as meeting new instances/,
    );
    expect(samples.facts).toMatchObject({
      url: `https://${fake.functions.hostName}/api/predict`,
      memoryMb: 2048,
      alwaysReady: 0,
    });
    expect(opts.seen.at(-1)).toEqual([8, 8]);
    expect(opts.seen).toHaveLength(8);
    // The route came from List Functions (POST only), the key from List Host Keys.
    expect(fake.functions.requests.map((r) => [r.method, r.path, r.cold, r.status])).toEqual([
      ...Array.from({ length: 4 }, () => ['post', '/api/predict', true, 200]),
      ...Array.from({ length: 4 }, () => ['post', '/api/predict', false, 200]),
    ]);
    expect(JSON.stringify(samples)).not.toContain(fake.functions.key);
  });

  it('with always-ready instances the app was not at zero: no cold samples, and the method says so', async () => {
    seed('warm-app', 4);
    const samples = await measureAzure(session, 'warm-app', options());
    expect(samples.coldStartMs).toEqual([]);
    expect(samples.serviceMs).toHaveLength(8);
    expect(Math.max(...samples.serviceMs)).toBeLessThan(200);
    expect(samples.method).toMatch(/keeps 4 always-ready instance\(s\), so it was not at zero/);
    expect(fake.functions.requests.every((r) => !r.cold)).toBe(true);
  });

  it('a first burst bigger than the always-ready capacity mixes warm and new instances: it is left out, not guessed at', async () => {
    seed('mixed-app', 1);
    fake.functions.setTimes({ coldMs: 60, serviceMs: 20 }); // the cold figure is not asserted here
    const samples = await measureAzure(
      session,
      'mixed-app',
      options({ requests: 6, concurrency: 3 }),
    ).finally(() => fake.functions.setTimes({ coldMs: 300, serviceMs: 20 }));
    expect(fake.functions.requests.slice(0, 3).filter((r) => r.cold)).toHaveLength(2); // the fake did start two
    expect(samples.coldStartMs).toEqual([]);
    expect(samples.serviceMs).toHaveLength(3);
    expect(Math.max(...samples.serviceMs)).toBeLessThan(200);
    expect(samples.method).toMatch(
      /for 1 request\(s\) at once, fewer than the 3 of the first burst: that burst .* is left out/,
    );
  });

  it('counts failures by HTTP status and measures only the successes; 512 MB is a quarter core', async () => {
    seed('flaky-app', 2, 512);
    fake.functions.failNext(503, 2);
    const samples = await measureAzure(
      session,
      'flaky-app',
      options({ requests: 6, concurrency: 2, path: '/api/predict', payload: '{"x":[1]}' }),
    );
    expect(samples.failures).toEqual({ 'HTTP 503': 2 });
    expect(samples.serviceMs).toHaveLength(4);
    expect(samples.cpuMillis).toBe(250);
  });

  it('an app that does not exist is a clear error', async () => {
    await expect(measureAzure(session, 'nobody', options())).rejects.toThrow(
      /nobody: no function app of that name in resource group rg-migrate/,
    );
  });
});
