/**
 * Google Cloud Run entry point: a plain node:http server (no framework to load at cold start).
 *
 * - GET  /ready    503 until the model is loaded, then 200. Point the service's startup probe here:
 *                  Cloud Run sends no traffic to the instance until it passes, so no user request
 *                  waits on the model load.
 * - GET  /healthz  200 while the process serves (liveness; says nothing about the model).
 * - POST /predict  `{"inputs": number[][]}` -> `{"outputs": number[][]}`.
 *
 * PORT comes from Cloud Run; HOST defaults to all interfaces, as a container must listen.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  BadRequestError,
  getSession,
  isModelLoaded,
  modelStats,
  parseInputs,
  predict,
  warmUp,
} from '../shared/model-cache.ts';

/** Bounded so one oversized request cannot exhaust the instance's memory. */
const MAX_BODY_BYTES = Number(process.env.MAX_BODY_BYTES) || 6 * 1024 * 1024;

let draining = false;

function send(res: ServerResponse, status: number, payload: unknown): void {
  const body = JSON.stringify(payload);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    // While draining, a kept-alive connection would hold the process open until its idle timeout.
    ...(draining ? { connection: 'close' } : {}),
  });
  res.end(body);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new BadRequestError(`body larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new BadRequestError('body is not valid JSON');
  }
}

async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (req.method === 'GET' && url.pathname === '/ready') {
    if (isModelLoaded()) return send(res, 200, { ready: true, ...modelStats() });
    // The probe's polling doubles as the retry loop after a failed load; while a load is running
    // this joins it instead of starting another.
    getSession().catch(() => undefined);
    return send(res, 503, { ready: false });
  }
  if (req.method === 'GET' && url.pathname === '/healthz') return send(res, 200, { ok: true });
  if (url.pathname !== '/predict') return send(res, 404, { error: 'not found' });
  if (req.method !== 'POST') return send(res, 405, { error: 'use POST' });
  try {
    const inputs = parseInputs(await readJson(req));
    // Before the probe passes this waits on the shared load rather than failing the request.
    send(res, 200, { outputs: await predict(inputs) });
  } catch (err) {
    if (err instanceof BadRequestError) return send(res, 400, { error: err.message });
    console.error(JSON.stringify({ msg: 'prediction failed', err: String(err) }));
    send(res, isModelLoaded() ? 500 : 503, { error: 'prediction failed' });
  }
}

export const server = createServer((req, res) => {
  route(req, res).catch((err: unknown) => {
    console.error(JSON.stringify({ msg: 'unhandled', err: String(err) }));
    if (!res.headersSent) send(res, 500, { error: 'internal error' });
  });
});

/** Resolves with the bound port once the server listens (PORT=0 picks a free one, as tests do). */
export const listening: Promise<number> = new Promise((resolve, reject) => {
  server.once('error', reject);
  server.listen(Number(process.env.PORT ?? 8080), process.env.HOST, () => {
    const { port } = server.address() as AddressInfo;
    console.log(JSON.stringify({ msg: 'listening', port }));
    resolve(port);
  });
});

/**
 * Listening starts before the load so the startup probe gets its 503s instead of connection errors,
 * and the load starts at startup, not on the first request, so startup CPU boost is spent on it.
 * A failure leaves /ready at 503, and the probe's next poll starts another attempt.
 */
export const modelReady: Promise<boolean> = warmUp().then(
  () => true,
  (err: unknown) => {
    console.error(JSON.stringify({ msg: 'model load at startup failed', err: String(err) }));
    return false;
  },
);

/**
 * Cloud Run sends SIGTERM and waits up to 10 s before SIGKILL: stop taking connections, let in-flight
 * predictions finish, then let the process exit on its own once nothing is left to do.
 */
export async function shutdown(graceMs = 8000): Promise<void> {
  draining = true;
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const timer = setTimeout(() => server.closeAllConnections(), graceMs);
  timer.unref();
  await closed;
  clearTimeout(timer);
  if (isModelLoaded()) await (await getSession()).release();
}

process.once('SIGTERM', () => {
  console.log(JSON.stringify({ msg: 'SIGTERM: draining' }));
  void shutdown();
});
