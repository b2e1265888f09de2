import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { spikeProfile } from '../core/traffic/index.ts';
import { buildTemplate, type LiveResults, parseTargets, runLoadTest } from '../loadtests/live/index.ts';
import { runCli } from './helpers/cli.ts';

interface TestServer {
  url: string;
  received: number;
  /** The first request's method, headers and body. */
  first: { method: string; headers: IncomingMessage['headers']; body: string } | null;
  close(): Promise<void>;
}

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/**
 * A model-server stand-in on 127.0.0.1 (port 0). With `stall`, the server answers nothing for
 * `stall.ms` once its `stall.afterRequests`-th request has arrived: every response due in that time is
 * held until the stall ends, as a garbage-collection pause or a stuck worker would.
 */
async function startServer(stall?: { afterRequests: number; ms: number }): Promise<TestServer> {
  let stallUntil = 0;
  const body = Buffer.from('{"outputs":[[0.5]]}');
  const state: TestServer = { url: '', received: 0, first: null, close: async () => {} };
  const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      state.received += 1;
      state.first ??= {
        method: request.method ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks).toString(),
      };
      if (stall && state.received === stall.afterRequests) stallUntil = performance.now() + stall.ms;
      const answer = () => {
        response.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
        response.end(body);
      };
      const waitMs = stallUntil - performance.now();
      if (waitMs > 0) setTimeout(answer, waitMs);
      else answer();
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/models/m:predict`;
  state.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  servers.push(state);
  return state;
}

async function loadtest(args: string[]): Promise<LiveResults> {
  const { code, stdout, stderr } = await runCli(['loadtest', ...args, '--format', 'json']);
  expect(stderr.replace(/^loadtest \d+s .*\n/gm, '')).toBe('');
  expect(code).toBe(0);
  return JSON.parse(stdout) as LiveResults;
}

function addsUp(requests: LiveResults['runs'][number]['requests']): number {
  return requests.served + requests.failed + requests.timedOut + requests.dropped;
}

describe('migrate loadtest', () => {
  it('holds a constant 3,000 req/s for 5 s on loopback: the achieved rate is within 1 % of the schedule', async () => {
    const server = await startServer();
    const results = await loadtest(['--spike', 'constant:rate=3000,duration=5s', '--url', server.url]);
    const run = results.runs[0]!;
    // Poisson arrivals: 15,000 expected, ±3σ ≈ ±370.
    expect(Math.abs(run.requests.total - 15_000)).toBeLessThan(370);
    expect(addsUp(run.requests)).toBe(run.requests.total);
    expect(run.requests.served).toBe(run.requests.total);
    expect(server.received).toBe(run.requests.served);
    expect(run.scheduledRatePerSecond).toBeCloseTo(run.requests.total / 5, 1);
    expect(Math.abs(run.achievedRatePerSecond / run.scheduledRatePerSecond - 1)).toBeLessThan(0.01);
    expect(run.timeline.rows).toHaveLength(5);
    expect(run.timeline.rows.reduce((sum, row) => sum + row[1]!, 0)).toBe(run.requests.total);
    expect(run.connectionsOpened).toBeLessThan(run.requests.total / 10); // keep-alive reuses connections
  }, 20_000);

  for (const connections of ['default', '4'] as const) {
    it(`charges a 1 s server stall to every request scheduled during it (connections: ${connections})`, async () => {
      const server = await startServer({ afterRequests: 400, ms: 1000 });
      const extra = connections === 'default' ? [] : ['--connections', connections];
      const results = await loadtest([
        '--spike',
        'constant:rate=400,duration=3s',
        '--url',
        server.url,
        ...extra,
      ]);
      const run = results.runs[0]!;
      expect(run.requests.served).toBe(run.requests.total);
      // A quarter to a third of the requests were due during the stall: latencies up to ~1 s from their
      // scheduled time. A closed-loop tool would record one slow request per connection instead.
      expect(run.latencyMs.p99!).toBeGreaterThanOrEqual(500);
      expect(run.latencyMs.p90!).toBeGreaterThanOrEqual(200);
      expect(run.latencyMs.max!).toBeGreaterThan(900);
      expect(run.latencyMs.max!).toBeLessThan(1500);
      const stalledSecond = run.timeline.rows[1]!; // the stall starts ~1 s in
      expect(stalledSecond[7]!).toBeGreaterThan(200); // mean latency of requests due in that second
    }, 20_000);
  }

  it('counts what it could not send as dropped, and refused connections as failed: totals add up', async () => {
    const server = await startServer({ afterRequests: 1, ms: 3000 });
    const capped = await loadtest([
      '--spike',
      'constant:rate=200,duration=1s',
      '--url',
      server.url,
      '--max-in-flight',
      '5',
      '--timeout-ms',
      '800',
    ]);
    const run = capped.runs[0]!;
    // Five requests in flight at a time, each timed out 800 ms after its schedule: the rest of the
    // second's 200 arrivals found no room and are reported as dropped.
    expect(run.requests.dropped).toBeGreaterThan(150);
    expect(run.requests.timedOut).toBeGreaterThanOrEqual(5);
    expect(run.requests.served).toBe(0);
    expect(addsUp(run.requests)).toBe(run.requests.total);

    const closed = await startServer();
    await closed.close();
    const refused = await loadtest(['--spike', 'constant:rate=100,duration=1s', '--url', closed.url]);
    const failed = refused.runs[0]!;
    expect(failed.requests.failed).toBe(failed.requests.total);
    expect(failed.errors).toEqual({ ECONNREFUSED: failed.requests.total });
  });

  it('stops early on a signal (Ctrl-C): in-flight requests are cancelled and counted, the rest never scheduled', async () => {
    const server = await startServer({ afterRequests: 1, ms: 5000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 500);
    const results = await runLoadTest(spikeProfile('constant:rate=100,duration=10s', 1), {
      targets: parseTargets([server.url]),
      template: buildTemplate({ method: undefined, headers: [], body: null, seed: 1 }),
      bodyDescription: 'sample',
      seed: 1,
      window: { startMs: 0, endMs: 10_000 },
      speedup: 1,
      maxInFlight: 1000,
      connections: 1000,
      timeoutMs: 30_000,
      signal: controller.signal,
    });
    const run = results.runs[0]!;
    expect(results.stoppedEarly).toBe(true);
    expect(results.elapsedSeconds).toBeLessThan(2);
    expect(run.requests.total).toBeGreaterThan(20);
    expect(run.requests.total).toBeLessThan(100);
    expect(run.errors).toEqual({ ECANCELED: run.requests.total });
    expect(addsUp(run.requests)).toBe(run.requests.total);
  });

  it('runs several named targets side by side on the same schedule (A/B)', async () => {
    const a = await startServer();
    const b = await startServer();
    const results = await loadtest([
      '--spike',
      'trending:baseline=50,peak=4,lead=1s,ramp=1s,hold=1s,decay=1s,tail=1s',
      '--speedup',
      '2',
      '--url',
      `k8s=${a.url}`,
      '--url',
      `lambda=${b.url}`,
    ]);
    expect(results.runs.map((run) => run.target)).toEqual(['k8s', 'lambda']);
    expect(results.traffic).toMatchObject({ speedup: 2, windowSeconds: 5, wallSeconds: 2.5 });
    const [first, second] = results.runs;
    expect(first!.requests.total).toBe(second!.requests.total);
    expect(first!.requests.served).toBe(first!.requests.total);
    expect(second!.requests.served).toBe(second!.requests.total);
    expect(a.received + b.received).toBe(2 * first!.requests.total);
  });

  it('sends the body file, method and headers given, and stops at --duration', async () => {
    const server = await startServer();
    const dir = mkdtempSync(join(tmpdir(), 'migrate-loadtest-'));
    const body = join(dir, 'request.json');
    writeFileSync(body, '{"instances":[[1,2,3]]}');
    const results = await loadtest([
      '--spike',
      'constant:rate=20,duration=10m',
      '--duration',
      '1s',
      '--url',
      server.url,
      '--body',
      body,
      '--method',
      'PUT',
      '--header',
      'X-Team: ml',
    ]);
    rmSync(dir, { recursive: true, force: true });
    expect(results.traffic.wallSeconds).toBe(1);
    expect(results.elapsedSeconds).toBeLessThan(3);
    expect(server.first).toMatchObject({
      method: 'PUT',
      body: '{"instances":[[1,2,3]]}',
      headers: { 'x-team': 'ml', 'content-type': 'application/json' },
    });
  });

  it('sends seeded sample bodies by default', async () => {
    const server = await startServer();
    await loadtest(['--spike', 'constant:rate=5,duration=1s', '--url', server.url]);
    expect(JSON.parse(server.first!.body)).toEqual({
      inputs: [[expect.any(Number), expect.any(Number), expect.any(Number), expect.any(Number)]],
    });
  });

  it('refuses a non-loopback host unless --allow-remote, before sending anything', async () => {
    const { code, stderr } = await runCli([
      'loadtest',
      '--spike',
      'constant',
      '--url',
      'http://10.1.2.3:8080/predict',
    ]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/refusing to send load to 10\.1\.2\.3/);
    expect(stderr).toMatch(/--allow-remote/);
    const unnamed = await runCli([
      'loadtest',
      '--spike',
      'constant',
      '--url',
      'http://127.0.0.1:1/',
      '--url',
      'http://127.0.0.1:2/',
    ]);
    expect(unnamed.stderr).toMatch(/need a name each/);
  });

  it('teaches with examples in --help', async () => {
    const { code, stdout } = await runCli(['loadtest', '--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/Examples:\n {2}migrate loadtest --spike constant/);
    expect(stdout).toMatch(/--max-in-flight/);
    expect(stdout).toMatch(/SCHEDULED/);
  });

  it('prints a table with one row per target', async () => {
    const server = await startServer();
    const { code, stdout } = await runCli([
      'loadtest',
      '--spike',
      'constant:rate=10,duration=1s',
      '--url',
      `a=${server.url}`,
      '-f',
      'table',
    ]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^ {2}target +total +served/m);
    expect(stdout).toMatch(/^ {2}a +\d+ +\d+ +0 +0 +0 /m);
  });
});
