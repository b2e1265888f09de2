import { rmSync } from 'node:fs';
import azure, {
  type HttpFunctionOptions,
  type HttpResponseInit,
  type InvocationContext,
  type WarmupFunctionOptions,
} from '@azure/functions';
import { InferenceSession } from 'onnxruntime-node';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { batch, createModelFixture, expectPredictions, type ModelFixture } from '../../testing/fixture.ts';

/**
 * Outside the Functions host the package runs in "test mode" and skips registration, so app.http and
 * app.warmup are replaced by recorders; HttpRequest and InvocationContext stay the real classes.
 */
const registered = vi.hoisted(() => ({
  http: [] as [string, HttpFunctionOptions][],
  warmup: [] as [string, WarmupFunctionOptions][],
}));

vi.mock('@azure/functions', async (importOriginal) => {
  const real = await importOriginal<typeof import('@azure/functions')>();
  const app = {
    ...real.app,
    http: (name: string, options: HttpFunctionOptions) => registered.http.push([name, options]),
    warmup: (name: string, options: WarmupFunctionOptions) => registered.warmup.push([name, options]),
  };
  // Both shapes: the template imports `app` by name, the tests reach the classes through `default`.
  return { ...real, app, default: { ...(real as unknown as { default: object }).default, app } };
});

// The CJS bundle's classes are reachable only through the default export under ESM.
const { HttpRequest, InvocationContext: Context } = azure;

/** Importing the module is the worker loading the app's entry point. */
async function startWorker() {
  vi.resetModules();
  registered.http.length = 0;
  registered.warmup.length = 0;
  const mod = await import('./function.ts');
  const cache = await import('../shared/model-cache.ts');
  expect(registered.http).toHaveLength(1);
  const [, options] = registered.http[0]!;
  const invoke = async (body: string): Promise<HttpResponseInit> => {
    const request = new HttpRequest({
      method: 'POST',
      url: 'http://localhost/api/predict',
      body: { string: body },
    });
    const context = new Context({ functionName: 'predict' });
    return (await options.handler(request, context)) as HttpResponseInit;
  };
  return { mod, cache, invoke };
}

let fx: ModelFixture;
let creates: ReturnType<typeof vi.spyOn>;

beforeEach(() => {
  fx = createModelFixture();
  creates = vi.spyOn(InferenceSession, 'create');
  vi.spyOn(console, 'log').mockImplementation(() => undefined);
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
  vi.spyOn(console, 'info').mockImplementation(() => undefined);
});

afterEach(() => {
  vi.restoreAllMocks();
  fx.cleanup();
});

describe('azure-functions app', () => {
  it('registers an HTTP predict function (POST, function key) and a warmup trigger', async () => {
    const { mod } = await startWorker();
    const [name, options] = registered.http[0]!;
    expect(name).toBe('predict');
    expect(options).toMatchObject({ methods: ['POST'], authLevel: 'function' });
    expect(options.handler).toBe(mod.predictHandler);
    expect(registered.warmup).toEqual([['warmup', { handler: mod.warmupHandler }]]);
  });

  it('serves 10 concurrent first requests from the load started at import, then 50 more', async () => {
    const { cache, invoke } = await startWorker();
    expect(cache.isModelLoaded()).toBe(false); // started, not awaited: registration is not held up
    const first = await Promise.all(
      Array.from({ length: 10 }, (_, i) => invoke(JSON.stringify({ inputs: batch(i) }))),
    );
    first.forEach((res, i) => {
      expect(res.status).toBe(200);
      expectPredictions((res.jsonBody as { outputs: unknown }).outputs, batch(i));
    });
    for (let i = 0; i < 50; i++) {
      const res = await invoke(JSON.stringify({ inputs: batch(i) }));
      expect(res.status).toBe(200);
      expectPredictions((res.jsonBody as { outputs: unknown }).outputs, batch(i));
    }
    expect(creates).toHaveBeenCalledTimes(1);
    expect(cache.modelStats()).toMatchObject({ sessionsCreated: 1, objectStoreFetches: 1 });
  });

  it('warms up through the registered trigger; a scaled-out instance reads the model from disk', async () => {
    const { cache } = await startWorker();
    const [name, warmup] = registered.warmup[0]!;
    expect(name).toBe('warmup');
    const context = new Context({ functionName: 'warmup' });
    await warmup.handler({}, context as InvocationContext);
    expect(cache.isModelLoaded()).toBe(true);

    rmSync(fx.modelFile);
    const next = await startWorker();
    await registered.warmup[0]![1].handler({}, new Context({ functionName: 'warmup' }));
    expect(next.cache.modelStats()).toMatchObject({
      loadedFrom: 'disk',
      objectStoreFetches: 0,
      sessionsCreated: 1,
    });
    expect((await next.invoke(JSON.stringify({ inputs: batch(8) }))).status).toBe(200);
  });

  it('answers bad input with 400 and a missing model with 503', async () => {
    const { invoke } = await startWorker();
    expect((await invoke('{bad')).status).toBe(400);
    expect((await invoke(JSON.stringify({ inputs: [[1, 2]] }))).status).toBe(400);
    expect((await invoke(JSON.stringify({ inputs: 'x' }))).status).toBe(400);

    process.env.MODEL_URI = `${fx.modelUri}.missing`;
    process.env.MODEL_CACHE_DIR = `${fx.cacheDir}-empty`;
    const broken = await startWorker();
    const res = await broken.invoke(JSON.stringify({ inputs: batch(0) }));
    expect(res.status).toBe(503);
    expect(broken.cache.isModelLoaded()).toBe(false);
  });
});
