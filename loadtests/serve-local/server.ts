/**
 * `migrate serve-local`: an HTTP port on 127.0.0.1 in front of the instance pool. Every request but
 * `GET /_migrate/stats` becomes a Function URL (payload 2.0) event for the Lambda handler; the
 * handler's `{statusCode, headers, body}` is the response. A throttled request gets 429.
 */

import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InstancePool, type PoolOptions, type PoolStats, ThrottledError } from './pool.ts';
import { processSpawn } from './process.ts';

export interface ServeLocalOptions extends PoolOptions {
  handler: string;
  model: string;
  port: number;
  env?: Record<string, string | undefined>;
}

export interface ServeLocalRun {
  target: 'serve-local';
  url: string;
  requests: {
    total: number;
    served: number;
    timedOut: number;
    failed: number;
    throttled: number;
    dropped: number;
  };
  coldStarts: number;
  coldStartWaits: { requests: number; share: number };
  latencyMs: {
    mean: number | null;
    p50: number | null;
    p90: number | null;
    p95: number | null;
    p99: number | null;
    p999: number | null;
    max: number | null;
  };
  instances: { max: number; started: number; prewarmed: number; reclaimed: number; current: number };
  /** Process start to handler ready as the pool saw it, and init inside the child (import + model load). */
  coldStartMs: { p50: number | null; p99: number | null; max: number | null };
  initMs: { p50: number | null; p99: number | null; max: number | null };
  statusCodes: Record<string, number>;
}

export interface ServeLocalStats {
  schemaVersion: 1;
  kind: 'live';
  settings: PoolOptions & { handler: string; model: string };
  elapsedSeconds: number;
  runs: [ServeLocalRun];
}

export interface ServeLocal {
  url: string;
  stats(): ServeLocalStats;
  /** The raw pool view, per instance. */
  pool(): PoolStats;
  close(): Promise<ServeLocalStats>;
}

const round3 = (v: number) => Math.round(v * 1000) / 1000;

function quantiles(values: readonly number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) =>
    sorted.length === 0
      ? null
      : round3(sorted[Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length))) - 1]!);
  return {
    mean: sorted.length === 0 ? null : round3(sorted.reduce((s, v) => s + v, 0) / sorted.length),
    p50: at(0.5),
    p90: at(0.9),
    p95: at(0.95),
    p99: at(0.99),
    p999: at(0.999),
    max: sorted.length === 0 ? null : round3(sorted[sorted.length - 1]!),
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startServeLocal(options: ServeLocalOptions): Promise<ServeLocal> {
  const cacheDir = await mkdtemp(join(tmpdir(), 'migrate-serve-local-'));
  const { spawn, children } = processSpawn({
    handler: options.handler,
    model: options.model,
    cacheDir,
    ...(options.env ? { env: options.env } : {}),
  });
  const pool = new InstancePool(spawn, options);
  const startedAt = performance.now();
  const latencies: number[] = [];
  const statusCodes = new Map<number, number>();
  let total = 0;
  let failed = 0;

  const respond = (res: ServerResponse, status: number, headers: Record<string, string>, body: string) => {
    statusCodes.set(status, (statusCodes.get(status) ?? 0) + 1);
    res.writeHead(status, headers).end(body);
  };

  const server = createServer((req, res) => {
    if (req.url === '/_migrate/stats' && req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(stats()));
      return;
    }
    const t0 = performance.now();
    total += 1;
    void (async () => {
      const body = await readBody(req);
      try {
        const result = (await pool.invoke({
          body,
          isBase64Encoded: false,
          rawPath: req.url ?? '/',
          requestContext: { http: { method: req.method ?? 'GET' } },
        })) as { statusCode?: number; headers?: Record<string, string>; body?: string };
        const status = result?.statusCode ?? 200;
        if (status < 500) latencies.push(performance.now() - t0);
        else failed += 1;
        respond(res, status, result?.headers ?? {}, result?.body ?? '');
      } catch (error) {
        if (error instanceof ThrottledError) {
          respond(res, 429, { 'content-type': 'application/json' }, JSON.stringify({ error: error.message }));
        } else {
          failed += 1;
          respond(res, 502, { 'content-type': 'application/json' }, JSON.stringify({ error: String(error) }));
        }
      }
    })();
  });

  const stats = (): ServeLocalStats => {
    const p = pool.stats();
    const served = latencies.length;
    const start = quantiles(p.startMs);
    const init = quantiles(p.initMs);
    return {
      schemaVersion: 1,
      kind: 'live',
      settings: {
        concurrency: options.concurrency,
        keepAliveMs: options.keepAliveMs,
        minInstances: options.minInstances,
        maxInstances: options.maxInstances,
        handler: options.handler,
        model: options.model,
      },
      elapsedSeconds: round3((performance.now() - startedAt) / 1000),
      runs: [
        {
          target: 'serve-local',
          url,
          requests: { total, served, timedOut: 0, failed, throttled: p.throttled, dropped: 0 },
          coldStarts: p.coldStarts,
          coldStartWaits: {
            requests: p.coldStartWaits,
            share: total === 0 ? 0 : round3(p.coldStartWaits / total),
          },
          latencyMs: quantiles(latencies),
          instances: {
            max: p.peak,
            started: p.instancesStarted,
            prewarmed: p.prewarmed,
            reclaimed: p.reclaimed,
            current: p.current,
          },
          coldStartMs: { p50: start.p50, p99: start.p99, max: start.max },
          initMs: { p50: init.p50, p99: init.p99, max: init.max },
          statusCodes: Object.fromEntries([...statusCodes.entries()].sort(([a], [b]) => a - b)),
        },
      ],
    };
  };

  try {
    await pool.prewarm();
  } catch (error) {
    await pool.close();
    await rm(cacheDir, { recursive: true, force: true });
    throw error;
  }
  await new Promise<void>((resolveListen, rejectListen) => {
    server.once('error', rejectListen);
    server.listen(options.port, '127.0.0.1', () => resolveListen());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    stats,
    pool: () => pool.stats(),
    close: async () => {
      const final = stats();
      server.closeAllConnections();
      await new Promise<void>((resolveClose) => server.close(() => resolveClose()));
      await pool.close();
      for (const child of children) child.kill('SIGKILL');
      await rm(cacheDir, { recursive: true, force: true });
      return final;
    },
  };
}
