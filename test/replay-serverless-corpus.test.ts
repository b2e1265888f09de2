import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { OkRun, ReplayReport } from '../loadtests/engine/result.ts';
import { runCli } from './helpers/cli.ts';
import { traceFile } from './helpers/prometheus.ts';

const CODE_TRACE = traceFile('azure-llm-code-2023/AzureLLMInferenceTrace_code.csv');
const CONV_TRACE = traceFile('azure-llm-conv-2023/AzureLLMInferenceTrace_conv.csv');

async function replay(args: string[]): Promise<ReplayReport> {
  const { code, stdout, stderr } = await runCli(['replay', 'examples/k8s', ...args, '--format', 'json']);
  expect(stderr).toBe('');
  expect(code).toBe(0);
  return JSON.parse(stdout) as ReplayReport;
}

const ok = (report: ReplayReport, target: string): OkRun => {
  const run = report.runs.find((entry) => entry.target === target)!;
  expect(run.status).toBe('ok');
  return run as OkRun;
};

function expectSound(run: OkRun) {
  const { total, served, timedOut, throttled, dropped } = run.requests;
  expect(served + timedOut + throttled + dropped).toBe(total);
  expect(run.littlesLaw.relativeError).toBeLessThan(1e-6);
}

const assumption = (run: OkRun, name: string) => run.assumptions.find((entry) => entry.name === name)?.value;

describe('migrate replay: the corpus traces on all five targets', () => {
  it('the spiky code trace against the GPU LLM: Cloud Run runs it on an L4, Lambda and Azure Functions are blocked', async () => {
    const report = await replay([
      '--workload',
      'ml/Deployment/llm-chat',
      '--traffic',
      CODE_TRACE,
      '--service-ms',
      'lognormal:p50=1500,p99=8000',
      '--pod-concurrency',
      '8',
      '--window',
      '..16m',
    ]);
    expect(report.runs.map((run) => [run.target, run.status])).toEqual([
      ['kubernetes', 'ok'],
      ['knative', 'ok'],
      ['aws-lambda', 'blocked'],
      ['cloud-run', 'ok'],
      ['azure-functions', 'blocked'],
    ]);
    for (const target of ['aws-lambda', 'azure-functions']) {
      const run = report.runs.find((entry) => entry.target === target)!;
      expect(
        run.status === 'blocked' && run.reasons.some((reason) => reason.startsWith('[gpu-required]')),
      ).toBe(true);
    }
    const cloudRun = ok(report, 'cloud-run');
    expectSound(cloudRun);
    expect(cloudRun.requests.total).toBe(report.traffic.requests);
    expect(assumption(cloudRun, 'cloudRun.service')).toMatch(
      /^4 vCPU, 16 GiB, 1 nvidia-l4, concurrency 80, min 1, max 6/,
    );
    expect(assumption(cloudRun, 'cloudRun.concurrency')).toBe('8');
    expect(assumption(cloudRun, 'cloudRun.coldStartMs')).toBe(
      '65000 ms = platform start 5000 ms + model load 60000 ms',
    );
    expect(cloudRun.instances.max).toBeLessThanOrEqual(6);
    expect(cloudRun.gpu!.idleFraction).toBeGreaterThan(0);
    expect(cloudRun.cost.lines.map((line) => line.item)).toEqual(['CPU (instance-based)']);
    expect(cloudRun.notes.some((note) => note.includes('GPU nvidia-l4') && note.includes('not priced'))).toBe(
      true,
    );
  });

  it('the conversation trace against the CPU scorer: every target runs, each with its cost', async () => {
    const report = await replay([
      '--workload',
      'ml/InferenceService/fraud-scoring',
      '--traffic',
      CONV_TRACE,
      '--service-ms',
      'lognormal:p50=25,p99=120',
      '--window',
      '10m..14m',
    ]);
    expect(report.runs.map((run) => run.status)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
    for (const run of report.runs) {
      expectSound(run as OkRun);
      expect((run as OkRun).requests.total).toBe(report.traffic.requests);
    }
    for (const target of ['kubernetes', 'knative', 'aws-lambda', 'cloud-run'])
      expect(ok(report, target).cost.totalUsd).toBeGreaterThan(0);
    const lambda = ok(report, 'aws-lambda');
    expect(assumption(lambda, 'lambda.function')).toBe(
      '1024 MB, timeout 30 s, reserved 160, provisioned 1, x86_64',
    );
    expect(lambda.coldStarts).toBeGreaterThan(0);
    expect(lambda.cost.lines.map((line) => line.item)).toContain('provisioned concurrency (x86), configured');
    // The always-ready instance served everything; its USD prices are unconfirmed, so the total is 0
    // and the notes say what went unpriced.
    const azure = ok(report, 'azure-functions');
    expect(assumption(azure, 'azure.app')).toMatch(
      /^Flex Consumption, 2048 MB \/ 1 core\(s\), concurrency 8, always-ready 1, max 40/,
    );
    expect(
      azure.notes.some((note) => note.includes('always-ready baseline') && note.includes('not priced')),
    ).toBe(true);
  });
});

describe('migrate replay --config-dir, --retries, --keep-alive-seconds', () => {
  const dir = mkdtempSync(join(tmpdir(), 'migrate-replay-config-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('replays the configuration `migrate convert --out` wrote, file by file', async () => {
    const converted = await runCli([
      'convert',
      'examples/k8s',
      '--workload',
      'ml/InferenceService/fraud-scoring',
      '--out',
      dir,
      '--spike',
      'trending:baseline=30,peak=6',
      '--service-ms',
      '400',
    ]);
    expect(converted.code).toBe(0);
    const report = await replay([
      '--workload',
      'ml/InferenceService/fraud-scoring',
      '--spike',
      'trending:baseline=30,peak=6,lead=1m,ramp=20s,hold=1m,decay=1m,tail=1m',
      '--service-ms',
      'exp:40',
      '--config-dir',
      dir,
      '--retries',
      '2',
      '--keep-alive-seconds',
      '120',
    ]);
    const folder = join(dir, 'ml-inferenceservice-fraud-scoring');
    const lambda = ok(report, 'aws-lambda');
    const source = (run: OkRun, name: string) => run.assumptions.find((entry) => entry.name === name)?.source;
    expect(source(lambda, 'lambda.function')).toBe(
      `${join(folder, 'aws-lambda', 'template.yaml')} (FraudScoringFunction)`,
    );
    // The converter sized warm capacity from its own traffic: the replay uses what it wrote.
    const written = (target: string, file: string, pattern: RegExp) =>
      Number(pattern.exec(readFileSync(join(folder, target, file), 'utf8'))![1]);
    const provisioned = written('aws-lambda', 'template.yaml', /ProvisionedConcurrentExecutions: (\d+)/);
    expect(provisioned).toBeGreaterThan(1);
    expect(assumption(lambda, 'lambda.function')).toBe(
      `1024 MB, timeout 30 s, reserved 160, provisioned ${provisioned}, x86_64`,
    );
    expect(assumption(lambda, 'client.retries')).toBe('2');
    expect(assumption(lambda, 'lambda.keepAliveSeconds')).toBe('120');
    const cloudRun = ok(report, 'cloud-run');
    expect(source(cloudRun, 'cloudRun.service')).toBe(join(folder, 'cloud-run', 'service.yaml'));
    const minScale = written('cloud-run', 'service.yaml', /autoscaling\.knative\.dev\/minScale: "(\d+)"/);
    expect(assumption(cloudRun, 'cloudRun.service')).toContain(`concurrency 8, min ${minScale}, max 20`);
    const azure = ok(report, 'azure-functions');
    expect(source(azure, 'azure.app')).toBe(
      `${join(folder, 'azure-functions', 'azuredeploy.json')} (Flex Consumption)`,
    );
    const alwaysReady = written(
      'azure-functions',
      'azuredeploy.json',
      /"name": "http",\s*"instanceCount": (\d+)/,
    );
    expect(assumption(azure, 'azure.app')).toContain(
      `always-ready ${alwaysReady}, max 40, functionTimeout 30 s`,
    );
  });

  it('says so when the folder holds nothing for the workload', async () => {
    const { code, stderr } = await runCli([
      'replay',
      'examples/k8s',
      '--workload',
      'ml/Deployment/llm-chat',
      '--spike',
      'trending:baseline=2,peak=4',
      '--service-ms',
      'exp:900',
      '--config-dir',
      dir,
      '--format',
      'json',
    ]);
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/--config-dir .*: nothing converted for ml\/Deployment\/llm-chat/);
  });
});
