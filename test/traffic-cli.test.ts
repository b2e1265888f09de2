import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.ts';
import { type BackfilledPrometheus, startBackfilledPrometheus, traceFile } from './helpers/prometheus.ts';

const CODE_TRACE = traceFile('azure-llm-code-2023/AzureLLMInferenceTrace_code.csv');

describe('migrate traffic', () => {
  it('prints the statistics SOURCES.md gives for the spiky code trace, as JSON', async () => {
    const { code, stdout } = await runCli(['traffic', CODE_TRACE, '--format', 'json']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({
      requests: 8819,
      meanRatePerSecond: 2.5667,
      peakToMean1m: 4.1565,
      largestIncreasePerMinute: 632,
      label: 'spiky',
      peakRequestsIn1s: 67,
    });
  });

  it('shows a sparkline on a terminal only', async () => {
    expect((await runCli(['traffic', CODE_TRACE], { tty: true })).stdout).toMatch(/rate {12}[▁▂▃▄▅▆▇█]{58}/);
    expect((await runCli(['traffic', CODE_TRACE, '-f', 'table'])).stdout).not.toMatch(/[▁█]/);
  });

  it('is seeded: the same spike and seed give the same bytes, another seed does not', async () => {
    const run = (seed: string) => runCli(['traffic', '--spike', 'trending', '--seed', seed, '-f', 'json']);
    expect((await run('4')).stdout).toBe((await run('4')).stdout);
    expect((await run('4')).stdout).not.toBe((await run('5')).stdout);
  });

  it('wants exactly one source, and says which', async () => {
    expect((await runCli(['traffic'])).stderr).toMatch(/no traffic given/);
    const both = await runCli(['traffic', CODE_TRACE, '--spike', 'trending']);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/give exactly one source/);
  });

  it('a file without a usable time column names its columns', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'migrate-traffic-'));
    const file = join(dir, 'odd.csv');
    writeFileSync(file, 'alpha,beta\n1,2\n');
    const { code, stderr } = await runCli(['traffic', file]);
    rmSync(dir, { recursive: true, force: true });
    expect(code).toBe(2);
    expect(stderr).toMatch(/alpha.*beta/);
  });
});

describe('migrate analyze with traffic', () => {
  const chat = 'ml/Deployment/llm-chat';

  it('--traffic attaches the statistics and the traffic rules to the named workload', async () => {
    const { code, stdout } = await runCli([
      'analyze',
      'examples/k8s',
      '--traffic',
      CODE_TRACE,
      '--workload',
      chat,
      '--service-ms',
      '20000',
      '-f',
      'json',
    ]);
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    const workload = report.workloads.find((entry: { id: string }) => entry.id === chat);
    expect(workload.traffic).toMatchObject({ requests: 8819, label: 'spiky' });
    const rules = workload.findings.map((finding: { rule: string }) => finding.rule);
    expect(rules).toEqual(expect.arrayContaining(['traffic-shape', 'peak-concurrency']));
    expect(report.workloads.filter((entry: { traffic: unknown }) => entry.traffic !== null)).toHaveLength(1);
  });

  it('--traffic without --workload among several model servers lists them', async () => {
    const { code, stderr } = await runCli(['analyze', 'examples/k8s', '--traffic', CODE_TRACE]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/name it with --workload \(model servers: .*ml\/Deployment\/llm-chat/);
  });

  it('a flat, busy spike keeps the only model server on the cluster', async () => {
    const { stdout } = await runCli([
      'analyze',
      'examples/k8s/vision-triton',
      '--spike',
      'constant:rate=40,duration=20m',
      '-f',
      'json',
    ]);
    const [workload] = JSON.parse(stdout).workloads;
    expect(workload.verdict).toBe('stay-on-cluster');
    expect(
      workload.findings.find((finding: { rule: string }) => finding.rule === 'traffic-shape').severity,
    ).toBe('block');
  });
});

describe('migrate analyze --prometheus, against a real Prometheus server', () => {
  let server: BackfilledPrometheus;
  let manifests: string;

  beforeAll(async () => {
    server = await startBackfilledPrometheus();
    manifests = mkdtempSync(join(tmpdir(), 'migrate-prom-manifests-'));
    const deployment = (name: string, image: string) =>
      `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\n  namespace: ml\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: ${image}\n`;
    writeFileSync(join(manifests, 'code.yaml'), deployment('llm-code', 'vllm/vllm-openai:v0.6.3'));
    writeFileSync(join(manifests, 'web.yaml'), deployment('frontend', 'nginx:1.27'));
  });

  afterAll(async () => {
    await server?.stop();
    rmSync(manifests, { recursive: true, force: true });
  });

  it("reads each model server's history and what the cluster did, and leaves other workloads alone", async () => {
    const start = String(server.truth.baseSeconds * 1000);
    const end = String((server.truth.baseSeconds + server.truth.code.perMinute.length * 60) * 1000);
    const { code, stdout, stderr } = await runCli([
      'analyze',
      manifests,
      '--prometheus',
      server.baseUrl,
      '--start',
      start,
      '--end',
      end,
      '--step',
      '60',
      '-f',
      'json',
    ]);
    expect(code).toBe(0);
    expect(stderr).toMatch(/querying http:\/\/127\.0\.0\.1:\d+\/? for ml\/Deployment\/llm-code \(1\/1\)/);
    const report = JSON.parse(stdout);
    const llm = report.workloads.find((entry: { name: string }) => entry.name === 'llm-code');
    expect(llm.traffic.requests).toBeCloseTo(8819, 3);
    expect(llm.traffic.label).toBe('spiky');
    expect(llm.observed.replicas.max).toBeGreaterThan(1);
    expect(llm.observed.gpu.allocatedGpuSeconds).toBeGreaterThan(llm.observed.gpu.busyGpuSeconds);
    expect(report.workloads.find((entry: { name: string }) => entry.name === 'frontend').traffic).toBeNull();
  });

  it('a server that is down is a clear error, exit 2', async () => {
    const { code, stderr } = await runCli([
      'analyze',
      manifests,
      '--prometheus',
      'http://127.0.0.1:9',
      '--prometheus-timeout',
      '2',
      '--since',
      '1h',
    ]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/127\.0\.0\.1:9/);
  });
});
