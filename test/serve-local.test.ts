import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeLinearModel, linearReference } from '../converters/cold-start/scaffolds/testing/tiny-onnx.ts';
import { findHandler, type ServeLocal, startServeLocal } from '../loadtests/serve-local/index.ts';
import { repoRoot } from './helpers/paths.ts';

const dir = mkdtempSync(join(tmpdir(), 'migrate-serve-local-test-'));
const model = join(dir, 'tiny.onnx');
writeFileSync(model, encodeLinearModel());
const handler = findHandler(join(repoRoot, 'converters/cold-start/scaffolds/templates/aws-lambda'));
const servers: ServeLocal[] = [];
afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
  rmSync(dir, { recursive: true, force: true });
});

async function serve(options: Partial<Parameters<typeof startServeLocal>[0]>) {
  const server = await startServeLocal({
    handler,
    model,
    port: 0,
    concurrency: 1,
    keepAliveMs: 60_000,
    minInstances: 0,
    maxInstances: 10,
    ...options,
  });
  servers.push(server);
  return server;
}

const INPUTS = [
  [1, 2, 3, 4],
  [-1, 0.5, 0.25, 2],
];

async function predict(url: string, inputs: number[][] = INPUTS) {
  const res = await fetch(`${url}/`, { method: 'POST', body: JSON.stringify({ inputs }) });
  return { status: res.status, body: (await res.json()) as { outputs?: number[][]; error?: string } };
}

function expectPredictions(outputs: number[][] | undefined) {
  const expected = linearReference(INPUTS);
  expect(outputs).toHaveLength(expected.length);
  for (const [i, row] of expected.entries())
    for (const [j, value] of row.entries()) expect(outputs![i]![j]).toBeCloseTo(value, 5);
}

describe('migrate serve-local: a Lambda scaffold behind a port, one process per instance', () => {
  it('a burst of concurrent requests starts one instance per request in flight: cold starts = instances started', async () => {
    const server = await serve({ concurrency: 1, maxInstances: 10 });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const burst = await Promise.all(Array.from({ length: 4 }, () => predict(server.url)));
    for (const response of burst) {
      expect(response.status).toBe(200);
      expectPredictions(response.body.outputs);
    }
    const run = server.stats().runs[0];
    expect(run.coldStarts).toBe(4);
    expect(run.instances.started).toBe(4);
    expect(run.instances.max).toBe(4);
    expect(run.coldStartWaits.requests).toBe(4);
    expect(run.requests).toMatchObject({ total: 4, served: 4, throttled: 0, failed: 0 });
    expect(run.coldStartMs.p50!).toBeGreaterThan(0);
    expect(run.initMs.p50!).toBeGreaterThan(0);
    // Warm now: the same burst again starts nothing.
    const again = await Promise.all(Array.from({ length: 4 }, () => predict(server.url)));
    expect(again.every((response) => response.status === 200)).toBe(true);
    const after = (await (await fetch(`${server.url}/_migrate/stats`)).json()) as ReturnType<
      ServeLocal['stats']
    >;
    expect(after.runs[0].coldStarts).toBe(4);
    expect(after.runs[0].requests.served).toBe(8);
    expect(after.kind).toBe('live');
  }, 60_000);

  it('per-instance concurrency: with 4 slots, a burst of 4 needs one instance', async () => {
    const server = await serve({ concurrency: 4 });
    const burst = await Promise.all(Array.from({ length: 4 }, () => predict(server.url)));
    expect(burst.every((response) => response.status === 200)).toBe(true);
    expect(server.stats().runs[0].coldStarts).toBe(1);
  }, 60_000);

  it('max instances throttles with 429, and idle instances are reclaimed after the keep-alive', async () => {
    const server = await serve({ concurrency: 1, maxInstances: 2, keepAliveMs: 300 });
    const burst = await Promise.all(Array.from({ length: 5 }, () => predict(server.url)));
    const codes = burst.map((response) => response.status).sort();
    expect(codes).toEqual([200, 200, 429, 429, 429]);
    let run = server.stats().runs[0];
    expect(run.requests.throttled).toBe(3);
    expect(run.instances.max).toBe(2);
    expect(run.statusCodes).toEqual({ '200': 2, '429': 3 });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    run = server.stats().runs[0];
    expect(run.instances.reclaimed).toBe(2);
    expect(run.instances.current).toBe(0);
    // The next request is a cold start again.
    expect((await predict(server.url)).status).toBe(200);
    expect(server.stats().runs[0].coldStarts).toBe(3);
  }, 60_000);

  it('min instances start ahead of traffic and are neither cold starts nor reclaimed', async () => {
    const server = await serve({ minInstances: 1, keepAliveMs: 200 });
    expect(server.stats().runs[0].instances).toMatchObject({ prewarmed: 1, current: 1 });
    const response = await predict(server.url);
    expect(response.status).toBe(200);
    expectPredictions(response.body.outputs);
    await new Promise((resolve) => setTimeout(resolve, 600));
    const run = server.stats().runs[0];
    expect(run.coldStarts).toBe(0);
    expect(run.instances.current).toBe(1);
    expect(run.instances.reclaimed).toBe(0);
    expect((await predict(server.url, [[1, 2]])).status).toBe(400);
  }, 60_000);
});

describe('migrate serve-local (the verb)', () => {
  it('listens on loopback, serves, and prints the run-result stats when stopped', async () => {
    const { runServeLocal } = await import('../cli/serve-local.ts');
    let stderr = '';
    let stdout = '';
    let stop!: () => void;
    const stopped = new Promise<void>((resolve) => {
      stop = resolve;
    });
    const io = {
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: (text: string) => (stderr += text) },
      env: {},
      cwd: repoRoot,
      readStdin: async () => '',
    };
    const running = runServeLocal(
      [
        '--dir',
        'converters/cold-start/scaffolds/templates/aws-lambda',
        '--model',
        model,
        '--max-instances',
        '2',
      ],
      io,
      stopped,
    );
    while (!/listening on/.test(stderr)) await new Promise((resolve) => setTimeout(resolve, 20));
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stderr)![1]!;
    const response = await predict(url);
    expect(response.status).toBe(200);
    expectPredictions(response.body.outputs);
    stop();
    expect(await running).toBe(0);
    const stats = JSON.parse(stdout) as ReturnType<ServeLocal['stats']>;
    expect(stats.runs[0]).toMatchObject({ target: 'serve-local', coldStarts: 1, requests: { served: 1 } });
  }, 60_000);

  it('a folder without a Lambda handler is a user error (exit 2)', async () => {
    const { runCli } = await import('./helpers/cli.ts');
    const { code, stderr } = await runCli(['serve-local', '--dir', dir, '--model', model]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/no Lambda handler in .*\nhint: /);
  });
});
