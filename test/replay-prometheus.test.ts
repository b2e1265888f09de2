import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OkRun, ReplayReport } from '../loadtests/engine/result.ts';
import { runCli } from './helpers/cli.ts';
import { type BackfilledPrometheus, startBackfilledPrometheus } from './helpers/prometheus.ts';

describe('migrate replay --prometheus, against a real Prometheus server', () => {
  let server: BackfilledPrometheus;
  let manifests: string;

  beforeAll(async () => {
    server = await startBackfilledPrometheus();
    manifests = mkdtempSync(join(tmpdir(), 'migrate-replay-prom-'));
    writeFileSync(
      join(manifests, 'code.yaml'),
      `apiVersion: apps/v1
kind: Deployment
metadata: { name: llm-code, namespace: ml }
spec:
  replicas: 2
  template:
    spec:
      containers:
        - name: app
          image: vllm/vllm-openai:v0.6.3
          resources:
            requests: { cpu: "2", memory: 8Gi, nvidia.com/gpu: 1 }
            limits: { nvidia.com/gpu: 1 }
`,
    );
  });

  afterAll(async () => {
    await server?.stop();
    rmSync(manifests, { recursive: true, force: true });
  });

  it('replays the request rates as a seeded Poisson process, with service times from the latency histogram', async () => {
    const start = server.truth.baseSeconds * 1000;
    const end = (server.truth.baseSeconds + server.truth.code.perMinute.length * 60) * 1000;
    const { code, stdout, stderr } = await runCli([
      'replay',
      manifests,
      '--workload',
      'ml/Deployment/llm-code',
      '--prometheus',
      server.baseUrl,
      '--start',
      String(start),
      '--end',
      String(end),
      '--step',
      '60',
      '--pod-concurrency',
      '4',
      '--targets',
      'kubernetes,knative',
      '-f',
      'json',
    ]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as ReplayReport;
    expect(report.traffic.mode).toBe('poisson');
    expect(report.settings.serviceTime).toMatch(
      /^lognormal:p50=.* \(log-normal through the traffic's latency p50\/p99/,
    );
    // 8,819 requests expected; a Poisson count has a standard deviation of about 94.
    expect(Math.abs(report.traffic.requests - 8819)).toBeLessThan(400);
    for (const run of report.runs as OkRun[]) {
      expect(run.status).toBe('ok');
      const { total, served, timedOut, throttled, dropped } = run.requests;
      expect(served + timedOut + throttled + dropped).toBe(total);
      expect(run.littlesLaw.relativeError).toBeLessThan(1e-6);
    }
  });
});
