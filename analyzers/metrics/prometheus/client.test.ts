/**
 * The client's failure modes, against tiny node:http(s) servers on 127.0.0.1: each must end in a
 * clear MigrateError, retried only when retrying can help.
 */

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { MigrateError } from '../../../core/errors.ts';
import { createPrometheusClient, type PrometheusClientOptions, resolveWindow, splitRange } from './client.ts';
import { parseQueryOverrides, podRegexFor, renderQuery } from './presets.ts';
import { profileFromPrometheus } from './profile.ts';

type Handler = (request: IncomingMessage, response: ServerResponse) => void;
const servers: (http.Server | https.Server)[] = [];
const noWait = { sleep: async () => {}, backoffMs: 1 };

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

async function serve(handler: Handler, server: http.Server | https.Server = http.createServer()) {
  server.on('request', handler);
  // Sockets held open by a never-answering handler must not keep close() waiting.
  server.on('connection', (socket) => socket.unref());
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return `${server instanceof https.Server ? 'https' : 'http'}://127.0.0.1:${port}`;
}

function json(response: ServerResponse, status: number, body: unknown) {
  response.writeHead(status, { 'Content-Type': 'application/json' });
  response.end(JSON.stringify(body));
}

const matrix = (result: unknown[]) => ({ status: 'success', data: { resultType: 'matrix', result } });

async function failure(promise: Promise<unknown>): Promise<MigrateError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MigrateError);
  return error as MigrateError;
}

const client = (baseUrl: string, extra: Partial<PrometheusClientOptions> = {}) =>
  createPrometheusClient({ baseUrl, retries: 2, timeoutMs: 2000, ...noWait, ...extra });
const range = { startSeconds: 0, endSeconds: 600, stepSeconds: 60 };

describe('errors', () => {
  it('reports a server that is down after retrying', async () => {
    const url = await serve(() => {});
    servers.pop()!.close();

    const error = await failure(client(url).queryRange('up', range));

    expect(error.message).toMatch(/cannot connect: connection refused .*\(3 attempts\)/);
  });

  it('does not retry a bad query and shows the server’s error', async () => {
    let hits = 0;
    const url = await serve((_, res) => {
      hits += 1;
      json(res, 400, {
        status: 'error',
        errorType: 'bad_data',
        error: 'parse error: unexpected end of input',
      });
    });

    const error = await failure(client(url).queryRange('sum(', range));

    expect(hits).toBe(1);
    expect(error.message).toContain('bad_data: parse error: unexpected end of input');
    expect(error.hint).toContain('sum(');
  });

  it.each([401, 403])('says the credentials were refused on HTTP %i, without retrying', async (status) => {
    let hits = 0;
    const url = await serve((_, res) => {
      hits += 1;
      res.writeHead(status).end('Unauthorized');
    });

    const error = await failure(client(url, { bearerToken: 'wrong' }).query('up', 0));

    expect(hits).toBe(1);
    expect(error.message).toContain(`refused the credentials (HTTP ${status})`);
  });

  it('explains a 404 as a wrong base URL', async () => {
    const url = await serve((_, res) => res.writeHead(404).end('404 page not found'));

    const error = await failure(client(`${url}/api/v1`).query('up', 0));

    expect(error.hint).toContain('without /api/v1');
  });

  it('retries 5xx with backoff and succeeds when the server recovers', async () => {
    let hits = 0;
    const waits: number[] = [];
    const url = await serve((_, res) => {
      hits += 1;
      if (hits < 3) json(res, 503, { status: 'error', errorType: 'unavailable', error: 'too many queries' });
      else json(res, 200, matrix([]));
    });

    const result = await client(url, { backoffMs: 100, sleep: async (ms) => void waits.push(ms) }).queryRange(
      'up',
      range,
    );

    expect(result.series).toEqual([]);
    expect(waits).toEqual([100, 200]);
  });

  it('gives up on a persistent 500 naming the status and body', async () => {
    const url = await serve((_, res) => res.writeHead(500).end('<html>internal error</html>'));

    const error = await failure(client(url).queryRange('up', range));

    expect(error.message).toMatch(/HTTP 500: <html>internal error<\/html> \(3 attempts\)/);
  });

  it('times out a server that never answers', async () => {
    const url = await serve(() => {});

    const error = await failure(client(url, { timeoutMs: 100, retries: 1 }).query('up', 0));

    expect(error.message).toContain('no answer within 100 ms (2 attempts)');
  });

  it('rejects a truncated JSON body', async () => {
    const url = await serve((_, res) => res.writeHead(200).end('{"status":"success","data":{"resultT'));

    const error = await failure(client(url, { retries: 0 }).query('up', 0));

    expect(error.message).toContain('not valid JSON');
  });
});

describe('requests', () => {
  it('sends bearer tokens, basic auth and custom headers', async () => {
    const seen: (string | undefined)[][] = [];
    const url = await serve((req, res) => {
      seen.push([req.headers.authorization, req.headers['x-scope-orgid'] as string | undefined]);
      json(res, 200, matrix([]));
    });

    await client(url, { bearerToken: 'tok', headers: { 'X-Scope-OrgID': 'team-a' } }).queryRange('up', range);
    await client(url, { basicAuth: { username: 'u', password: 'p' } }).queryRange('up', range);

    expect(seen).toEqual([
      ['Bearer tok', 'team-a'],
      [`Basic ${Buffer.from('u:p').toString('base64')}`, undefined],
    ]);
  });

  it('keeps a path prefix in the base URL and splits 7 days at 15 s into chunks under 11,000 points', async () => {
    const asked: URL[] = [];
    const url = await serve((req, res) => {
      asked.push(new URL(req.url!, 'http://x'));
      json(res, 200, matrix([]));
    });
    const week = { startSeconds: 0, endSeconds: 7 * 86_400, stepSeconds: 15 };

    await client(`${url}/prometheus/`).queryRange('up', week);

    expect(asked.map((u) => u.pathname)).toEqual(new Array(4).fill('/prometheus/api/v1/query_range'));
    const points = asked.map(
      (u) => (Number(u.searchParams.get('end')) - Number(u.searchParams.get('start'))) / 15 + 1,
    );
    expect(Math.max(...points)).toBeLessThanOrEqual(11_000);
    expect(points.reduce((a, b) => a + b, 0)).toBe(7 * 5760 + 1);
  });

  it('turns NaN points and missing steps into gaps, and partial data into a coverage figure', async () => {
    // Steps end at 60…600; the server has points for the first half only, one of them NaN.
    const url = await serve((req, res) => {
      const query = new URL(req.url!, 'http://x').searchParams.get('query')!;
      if (!query.includes('istio_requests_total')) return json(res, 200, matrix([]));
      const values = [60, 120, 180, 240, 300].map((t) => [t, t === 180 ? 'NaN' : '10']);
      json(res, 200, matrix([{ metric: {}, values }]));
    });

    const profile = await profileFromPrometheus(
      client(url),
      { namespace: 'ml', name: 'x' },
      {
        start: 0,
        end: 600_000,
        stepSeconds: 60,
        cluster: false,
        latency: false,
      },
    );

    expect(profile.series.requests).toEqual([10, 10, 0, 10, 10, 0, 0, 0, 0, 0]);
    expect(profile.series.missingSteps).toEqual([2, 5, 6, 7, 8, 9]);
    expect(profile.origin.kind === 'prometheus' && profile.origin.coverage).toBe(0.4);
    expect(profile.stats).toMatchObject({ requests: 40, idleFraction: 0, durationSeconds: 240 });
    expect(profile.warnings.join('\n')).toContain('1 NaN/Inf points treated as gaps');
  });
});

describe('TLS', () => {
  const dir = mkdtempSync(join(tmpdir(), 'migrate-tls-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
    ],
    { stdio: 'ignore' },
  );
  const tlsServer = () =>
    https.createServer({
      key: readFileSync(join(dir, 'key.pem')),
      cert: readFileSync(join(dir, 'cert.pem')),
    });

  it('refuses an unknown certificate with a hint, and accepts it with the CA file or insecure', async () => {
    const url = await serve((_, res) => json(res, 200, matrix([])), tlsServer());

    const error = await failure(client(url).queryRange('up', range));
    const withCa = await client(url, { caFile: join(dir, 'cert.pem') }).queryRange('up', range);
    const insecure = await client(url, { insecureSkipVerify: true }).queryRange('up', range);

    expect(error.message).toContain('TLS verification failed');
    expect(error.hint).toContain('--prometheus-ca');
    expect(withCa.series).toEqual([]);
    expect(insecure.series).toEqual([]);
  });

  it('names a CA file it cannot read', () => {
    expect(() => client('https://127.0.0.1:1', { caFile: join(dir, 'missing.pem') })).toThrow(
      /cannot read the Prometheus CA file/,
    );
  });
});

describe('windows and presets', () => {
  it('aligns a since-window to the step', () => {
    const now = () => Date.UTC(2024, 0, 8, 12, 0, 30);

    expect(resolveWindow({ since: '7d', stepSeconds: 60, now })).toEqual({
      startSeconds: Date.UTC(2024, 0, 1, 12) / 1000,
      endSeconds: Date.UTC(2024, 0, 8, 12) / 1000,
      stepSeconds: 60,
    });
    expect(() => resolveWindow({ since: 'lately' })).toThrow(MigrateError);
    expect(() => resolveWindow({ start: '2024-01-02', end: '2024-01-01' })).toThrow(/empty/);
  });

  it('splits ranges on the step grid', () => {
    expect(splitRange({ startSeconds: 0, endSeconds: 100, stepSeconds: 10 }, 4)).toEqual([
      { startSeconds: 0, endSeconds: 30, stepSeconds: 10 },
      { startSeconds: 40, endSeconds: 70, stepSeconds: 10 },
      { startSeconds: 80, endSeconds: 100, stepSeconds: 10 },
    ]);
  });

  it('derives pod patterns and fills templates', () => {
    const workload = { namespace: 'ml', name: 'llm.v2', kind: 'Deployment' };

    expect(podRegexFor(workload)).toBe('llm\\\\.v2-[a-z0-9]{5,10}-[a-z0-9]{5}');
    expect(podRegexFor({ namespace: 'ml', name: 'db', kind: 'StatefulSet' })).toBe('db-[0-9]+');
    expect(
      renderQuery('x{namespace="$namespace",pod=~"$pod_regex"}[$step] $window', workload, {
        stepSeconds: 30,
        windowSeconds: 3600,
      }),
    ).toBe('x{namespace="ml",pod=~"llm\\\\.v2-[a-z0-9]{5,10}-[a-z0-9]{5}"}[30s] 3600s');
  });

  it('parses name=PROMQL overrides and rejects unknown names', () => {
    expect(parseQueryOverrides(['requests=sum(x)', 'latency:istio=a=b'])).toEqual({
      requests: 'sum(x)',
      'latency:istio': 'a=b',
    });
    expect(() => parseQueryOverrides(['requests'])).toThrow(/NAME=PROMQL/);
    expect(() => parseQueryOverrides(['reqs=sum(x)'])).toThrow(/unknown Prometheus query name "reqs"/);
  });
});
