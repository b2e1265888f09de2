import { rmSync } from 'node:fs';
import { InferenceSession } from 'onnxruntime-node';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  batch,
  createModelFixture,
  expectPredictions,
  type ModelFixture,
  writeModel,
} from '../../testing/fixture.ts';
import type { HttpEventV2, HttpResultV2 } from './handler.ts';

/** Importing the module is Lambda's init phase for this execution environment. */
async function coldStart() {
  vi.resetModules();
  const lambda = await import('./handler.ts');
  const cache = await import('../shared/model-cache.ts');
  return { handler: lambda.handler, cache };
}

function post(body: unknown, extra: Partial<HttpEventV2> = {}): HttpEventV2 {
  return {
    body: typeof body === 'string' ? body : JSON.stringify(body),
    isBase64Encoded: false,
    requestContext: { http: { method: 'POST' } },
    ...extra,
  };
}

function payload(result: HttpResultV2): Record<string, unknown> {
  expect(result.headers['content-type']).toBe('application/json');
  return JSON.parse(result.body) as Record<string, unknown>;
}

let fx: ModelFixture;
let creates: ReturnType<typeof vi.spyOn>;

beforeEach(() => {
  fx = createModelFixture();
  creates = vi.spyOn(InferenceSession, 'create');
  vi.spyOn(console, 'log').mockImplementation(() => undefined);
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
});

afterEach(() => {
  vi.restoreAllMocks();
  fx.cleanup();
});

describe('aws-lambda handler', () => {
  it('loads the model during init, then serves 50 invocations from the same session', async () => {
    const { handler, cache } = await coldStart();
    expect(cache.isModelLoaded()).toBe(true); // before any invocation
    for (let i = 0; i < 50; i++) {
      const result = await handler(post({ inputs: batch(i) }));
      expect(result.statusCode).toBe(200);
      expectPredictions(payload(result).outputs, batch(i));
    }
    expect(creates).toHaveBeenCalledTimes(1);
    expect(cache.modelStats()).toMatchObject({ sessionsCreated: 1, objectStoreFetches: 1 });
  });

  it('retries a failed init load on the first requests, loading once for 10 concurrent ones', async () => {
    rmSync(fx.modelFile);
    const { handler, cache } = await coldStart();
    expect(cache.isModelLoaded()).toBe(false);
    const failed = await handler(post({ inputs: batch(0) }));
    expect(failed.statusCode).toBe(503);

    writeModel(fx.modelFile);
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => handler(post({ inputs: batch(i) }))),
    );
    results.forEach((r, i) => {
      expect(r.statusCode).toBe(200);
      expectPredictions(payload(r).outputs, batch(i));
    });
    expect(cache.modelStats().sessionsCreated).toBe(1);
  });

  it('answers a warm-up event without predicting, and the next instance loads from disk', async () => {
    const { handler, cache } = await coldStart();
    const warmed = await handler({ warmup: true });
    expect(warmed.statusCode).toBe(200);
    expect(payload(warmed)).toMatchObject({ warmed: true, sessionsCreated: 1 });
    expect(payload(warmed)).not.toHaveProperty('outputs');
    expect(cache.modelStats().sessionsCreated).toBe(1);

    rmSync(fx.modelFile);
    const next = await coldStart();
    expect(next.cache.modelStats()).toMatchObject({ loadedFrom: 'disk', objectStoreFetches: 0 });
    expect((await next.handler(post({ inputs: batch(9) }))).statusCode).toBe(200);
  });

  it('decodes base64 bodies and rejects bad requests with 4xx', async () => {
    const { handler } = await coldStart();
    const b64 = Buffer.from(JSON.stringify({ inputs: batch(2) })).toString('base64');
    const ok = await handler(post(b64, { isBase64Encoded: true }));
    expectPredictions(payload(ok).outputs, batch(2));

    expect((await handler(post('{not json'))).statusCode).toBe(400);
    expect((await handler(post({ inputs: [[1, 2]] }))).statusCode).toBe(400);
    expect((await handler(post({ rows: [] }))).statusCode).toBe(400);
    expect((await handler({ body: null, requestContext: { http: { method: 'POST' } } })).statusCode).toBe(
      400,
    );
    expect(
      (await handler(post({ inputs: batch(1) }, { requestContext: { http: { method: 'GET' } } }))).statusCode,
    ).toBe(405);
  });
});
