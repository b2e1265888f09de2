import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { InferenceSession } from 'onnxruntime-node';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  batch,
  createModelFixture,
  expectPredictions,
  type ModelFixture,
  writeModel,
} from '../../testing/fixture.ts';
import { encodeLinearModel, type LinearModel } from '../../testing/tiny-onnx.ts';

type Cache = typeof import('./model-cache.ts');

/** A fresh module is a fresh instance: same disk, empty memory. */
async function freshInstance(): Promise<Cache> {
  vi.resetModules();
  return import('./model-cache.ts');
}

// Taken before any spy so a test can wrap the real implementation.
const realCreate = InferenceSession.create.bind(InferenceSession) as (
  path: string,
  options?: InferenceSession.SessionOptions,
) => Promise<InferenceSession>;

let fx: ModelFixture;
let creates: ReturnType<typeof vi.spyOn>;

beforeEach(() => {
  fx = createModelFixture();
  creates = vi.spyOn(InferenceSession, 'create');
  vi.spyOn(console, 'log').mockImplementation(() => undefined);
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
});

afterEach(() => {
  vi.restoreAllMocks();
  fx.cleanup();
});

describe('memory layer', () => {
  it('creates one session for 10 concurrent first requests and 50 more after', async () => {
    const cache = await freshInstance();
    const first = await Promise.all(Array.from({ length: 10 }, () => cache.getSession()));
    expect(new Set(first).size).toBe(1);
    for (let i = 0; i < 50; i++) expectPredictions(await cache.predict(batch(i)), batch(i));
    expect(creates).toHaveBeenCalledTimes(1);
    expect(cache.modelStats()).toMatchObject({ sessionsCreated: 1, objectStoreFetches: 1, diskHits: 0 });
  });

  it('shares one slow fetch between concurrent predictions', async () => {
    const cache = await freshInstance();
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const fetcher = vi.fn(async (uri: string) => {
      await gate;
      return cache.defaultFetchModel(uri);
    });
    cache.setModelFetcher(fetcher);
    const pending = Array.from({ length: 10 }, (_, i) => cache.predict(batch(i)));
    await new Promise((r) => setTimeout(r, 20));
    expect(cache.isModelLoaded()).toBe(false);
    release();
    const results = await Promise.all(pending);
    for (const [i, out] of results.entries()) expectPredictions(out, batch(i));
    expect(fetcher).toHaveBeenCalledTimes(1);
    expect(creates).toHaveBeenCalledTimes(1);
    expect(cache.isModelLoaded()).toBe(true);
  });

  it('retries after a failed load instead of caching the failure', async () => {
    const cache = await freshInstance();
    const fetcher = vi
      .fn<(uri: string) => Promise<Uint8Array>>()
      .mockRejectedValueOnce(new Error('store unavailable'))
      .mockImplementation(cache.defaultFetchModel);
    cache.setModelFetcher(fetcher);
    await expect(cache.getSession()).rejects.toThrow('store unavailable');
    expect(cache.isModelLoaded()).toBe(false);
    expectPredictions(await cache.predict(batch(1)), batch(1));
    expect(fetcher).toHaveBeenCalledTimes(2);
    expect(cache.modelStats().sessionsCreated).toBe(1);
  });

  it('fails clearly without MODEL_URI', async () => {
    delete process.env.MODEL_URI;
    const cache = await freshInstance();
    await expect(cache.getSession()).rejects.toThrow(/MODEL_URI is not set/);
  });
});

describe('disk layer', () => {
  it('serves a second instance from disk without touching the object store', async () => {
    const first = await freshInstance();
    await first.getSession();
    expect(first.modelStats()).toMatchObject({ loadedFrom: 'object-store', objectStoreFetches: 1 });
    expect(readdirSync(fx.cacheDir).filter((f) => f.endsWith('.onnx'))).toHaveLength(1);
    expect(readdirSync(fx.cacheDir).some((f) => f.endsWith('.tmp'))).toBe(false);

    rmSync(fx.modelFile); // the object store is gone: only the disk layer can serve now
    const second = await freshInstance();
    const fetcher = vi.fn(second.defaultFetchModel);
    second.setModelFetcher(fetcher);
    expectPredictions(await second.predict(batch(3)), batch(3));
    expect(second.modelStats()).toMatchObject({ loadedFrom: 'disk', diskHits: 1, objectStoreFetches: 0 });
    expect(fetcher).not.toHaveBeenCalled();
  });

  it('keys the disk copy by URI, so a new model version is fetched, not read stale', async () => {
    await (await freshInstance()).getSession();
    const v2: LinearModel = {
      w: [
        [1, 0, 0],
        [0, 1, 0],
        [0, 0, 1],
        [1, 1, 1],
      ],
      b: [0, 0, 0],
    };
    const v2File = path.join(fx.root, 'store', 'model-v2.onnx');
    writeModel(v2File, v2);
    process.env.MODEL_URI = v2File; // a plain path is a valid URI too
    const cache = await freshInstance();
    expectPredictions(await cache.predict(batch(2)), batch(2), v2);
    expect(cache.modelStats()).toMatchObject({ loadedFrom: 'object-store', objectStoreFetches: 1 });
  });

  it('replaces a corrupt disk copy from the object store', async () => {
    await (await freshInstance()).getSession();
    const [cached] = readdirSync(fx.cacheDir);
    writeFileSync(path.join(fx.cacheDir, cached!), 'not a model');
    const cache = await freshInstance();
    expectPredictions(await cache.predict(batch(4)), batch(4));
    expect(cache.modelStats()).toMatchObject({ loadedFrom: 'object-store', diskHits: 0 });
    const third = await freshInstance();
    await third.getSession();
    expect(third.modelStats().loadedFrom).toBe('disk');
  });

  it('still serves when the disk cannot be written', async () => {
    const blocker = path.join(fx.root, 'a-file');
    writeFileSync(blocker, '');
    process.env.MODEL_CACHE_DIR = path.join(blocker, 'model'); // ENOTDIR, even for root
    const cache = await freshInstance();
    expectPredictions(await cache.predict(batch(5)), batch(5));
    expect(cache.modelStats()).toMatchObject({ sessionsCreated: 1, loadedFrom: 'object-store' });
  });
});

describe('object-store layer', () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise((r) => server?.close(r) ?? r(undefined));
    server = undefined;
  });

  it('fetches http(s) URIs with global fetch', async () => {
    let requests = 0;
    const bytes = encodeLinearModel();
    server = createServer((req, res) => {
      requests += 1;
      if (req.url !== '/models/tiny.onnx') return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(bytes);
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const cache = await freshInstance();
    expect(await cache.defaultFetchModel(`${base}/models/tiny.onnx`)).toEqual(bytes);
    await expect(cache.defaultFetchModel(`${base}/missing`)).rejects.toThrow(/HTTP 404/);
    process.env.MODEL_URI = `${base}/models/tiny.onnx`;
    expectPredictions(await cache.predict(batch(6)), batch(6));
    expect(requests).toBe(3);
  });

  it('asks for a registered fetcher for cloud schemes', async () => {
    const cache = await freshInstance();
    await expect(cache.defaultFetchModel('s3://bucket/model.onnx')).rejects.toThrow(/setModelFetcher/);
    await expect(cache.defaultFetchModel('gs://bucket/model.onnx')).rejects.toThrow(/setModelFetcher/);
  });
});

describe('inputs', () => {
  it('rejects malformed bodies as bad requests', async () => {
    const cache = await freshInstance();
    const bad = [
      null,
      {},
      { inputs: [] },
      { inputs: [1, 2] },
      { inputs: [[1], [1, 2]] },
      { inputs: [[1, 'x']] },
    ];
    for (const body of bad) expect(() => cache.parseInputs(body)).toThrow(cache.BadRequestError);
    expect(() => cache.parseInputs({ inputs: [[Number.NaN]] })).toThrow(/finite/);
    expect(cache.parseInputs({ inputs: [[1, 2]] })).toEqual([[1, 2]]);
  });

  it('rejects a row width the model does not take, before running it', async () => {
    const cache = await freshInstance();
    await expect(cache.predict([[1, 2, 3]])).rejects.toThrow(/must have 4 values, got 3/);
    await expect(cache.predict([[1, 2, 3]])).rejects.toBeInstanceOf(cache.BadRequestError);
  });

  it('warms up by loading and running one inference', async () => {
    const cache = await freshInstance();
    const runs: ReturnType<typeof vi.spyOn>[] = [];
    creates.mockImplementation(async (...args: Parameters<typeof realCreate>) => {
      const session = await realCreate(...args);
      runs.push(vi.spyOn(session, 'run'));
      return session;
    });
    await cache.warmUp();
    expect(cache.isModelLoaded()).toBe(true);
    expect(creates).toHaveBeenCalledTimes(1);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toHaveBeenCalledTimes(1);
  });
});
