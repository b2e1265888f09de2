import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InferenceSession } from 'onnxruntime-node';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { batch, createModelFixture, expectPredictions, type ModelFixture } from '../../testing/fixture.ts';
import { encodeLinearModel } from '../../testing/tiny-onnx.ts';

type ServerModule = typeof import('./server.ts');

let fx: ModelFixture;
let creates: ReturnType<typeof vi.spyOn>;
let running: ServerModule | undefined;
let store: Server | undefined;
let sigtermBefore: Set<NodeJS.SignalsListener>;

/** Importing the module is the container starting: it listens and begins loading at once. */
async function startInstance() {
  vi.resetModules();
  process.env.PORT = '0';
  process.env.HOST = '127.0.0.1';
  running = await import('./server.ts');
  const cache = await import('../shared/model-cache.ts');
  const base = `http://127.0.0.1:${await running.listening}`;
  return { base, cache, mod: running };
}

/** An object store whose download is held until the test lets it go, so the 503 phase is observable. */
async function gatedStore(): Promise<{ uri: string; release: () => void; requests: () => number }> {
  let release!: () => void;
  const gate = new Promise<void>((r) => {
    release = r;
  });
  let count = 0;
  const bytes = encodeLinearModel();
  store = createServer((_req, res) => {
    count += 1;
    void gate.then(() => res.writeHead(200).end(bytes));
  });
  await new Promise<void>((r) => store!.listen(0, '127.0.0.1', r));
  return {
    uri: `http://127.0.0.1:${(store.address() as AddressInfo).port}/model.onnx`,
    release,
    requests: () => count,
  };
}

async function waitReady(base: string, timeoutMs = 10_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let polls = 0;
  for (;;) {
    polls += 1;
    const res = await fetch(`${base}/ready`);
    if (res.status === 200) return polls;
    expect(res.status).toBe(503);
    if (Date.now() > deadline) throw new Error('/ready never turned 200');
    await new Promise((r) => setTimeout(r, 10));
  }
}

function predict(base: string, body: unknown): Promise<Response> {
  return fetch(`${base}/predict`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

beforeEach(() => {
  fx = createModelFixture();
  creates = vi.spyOn(InferenceSession, 'create');
  vi.spyOn(console, 'log').mockImplementation(() => undefined);
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
  sigtermBefore = new Set(process.listeners('SIGTERM'));
});

afterEach(async () => {
  if (running?.server.listening) await running.shutdown(100);
  running = undefined;
  await new Promise((r) => (store ? store.close(r) : r(undefined)));
  store?.closeAllConnections();
  store = undefined;
  for (const l of process.listeners('SIGTERM')) if (!sigtermBefore.has(l)) process.off('SIGTERM', l);
  vi.restoreAllMocks();
  fx.cleanup();
});

describe('cloud-run server', () => {
  it('reports 503 on /ready until loaded, serves 10 early requests from one load, then 50 more', async () => {
    const object = await gatedStore();
    process.env.MODEL_URI = object.uri;
    const { base, cache } = await startInstance();

    const ready = await fetch(`${base}/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ ready: false });
    expect((await fetch(`${base}/healthz`)).status).toBe(200);

    const early = Array.from({ length: 10 }, (_, i) => predict(base, { inputs: batch(i) }));
    object.release();
    const responses = await Promise.all(early);
    for (const [i, res] of responses.entries()) {
      expect(res.status).toBe(200);
      expectPredictions(((await res.json()) as { outputs: unknown }).outputs, batch(i));
    }

    await waitReady(base);
    for (let i = 0; i < 50; i++) {
      const res = await predict(base, { inputs: batch(i) });
      expect(res.status).toBe(200);
      expectPredictions(((await res.json()) as { outputs: unknown }).outputs, batch(i));
    }
    expect(object.requests()).toBe(1);
    expect(creates).toHaveBeenCalledTimes(1);
    expect(cache.modelStats()).toMatchObject({ sessionsCreated: 1, objectStoreFetches: 1 });
  });

  it('becomes ready after a failed startup load once the store recovers (the probe drives the retry)', async () => {
    process.env.MODEL_URI = `${fx.modelFile}.not-yet`;
    const { base, cache, mod } = await startInstance();
    expect(await mod.modelReady).toBe(false);
    expect((await fetch(`${base}/ready`)).status).toBe(503);
    process.env.MODEL_URI = fx.modelUri; // the next attempt finds the model
    await waitReady(base);
    expect(cache.modelStats().sessionsCreated).toBe(1);
  });

  it('starts a second instance from the disk cache', async () => {
    const first = await startInstance();
    await waitReady(first.base);
    await first.mod.shutdown(100);
    const { base, cache } = await startInstance();
    await waitReady(base);
    expect(cache.modelStats()).toMatchObject({ loadedFrom: 'disk', objectStoreFetches: 0 });
  });

  it('answers errors with the right status codes', async () => {
    const { base } = await startInstance();
    await waitReady(base);
    expect((await predict(base, '{oops')).status).toBe(400);
    expect((await predict(base, { inputs: [[1]] })).status).toBe(400);
    expect((await fetch(`${base}/predict`)).status).toBe(405);
    expect((await fetch(`${base}/nope`)).status).toBe(404);
    const big = JSON.stringify({ inputs: [[1, 2, 3, 4]], pad: 'x'.repeat(7 * 1024 * 1024) });
    expect((await predict(base, big)).status).toBe(400);
  });

  it('drains on shutdown and registers a SIGTERM handler', async () => {
    const { base, mod } = await startInstance();
    await waitReady(base);
    const added = process.listeners('SIGTERM').filter((l) => !sigtermBefore.has(l));
    expect(added).toHaveLength(1);
    // A request whose body is still arriving when SIGTERM comes must still get its answer.
    const body = JSON.stringify({ inputs: batch(1) });
    const req = request(`${base}/predict`, { method: 'POST', headers: { 'content-length': body.length } });
    const answered = new Promise<{ status: number; text: string }>((resolve, reject) => {
      req.on('response', async (res) => {
        let text = '';
        for await (const chunk of res) text += chunk;
        resolve({ status: res.statusCode ?? 0, text });
      });
      req.on('error', reject);
    });
    req.write(body.slice(0, 5));
    await new Promise((r) => setTimeout(r, 20));
    const stopped = mod.shutdown(5000);
    req.end(body.slice(5));
    await stopped;
    const { status, text } = await answered;
    expect(status).toBe(200);
    expectPredictions((JSON.parse(text) as { outputs: unknown }).outputs, batch(1));
    expect(mod.server.listening).toBe(false);
    await expect(fetch(`${base}/ready`)).rejects.toThrow();
  });
});
