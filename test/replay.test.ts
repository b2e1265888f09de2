import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { OkRun, ReplayReport } from '../loadtests/engine/result.ts';
import { progressLine } from '../reports/replay/progress.ts';
import { runCli } from './helpers/cli.ts';
import { traceFile } from './helpers/prometheus.ts';

const CODE_TRACE = traceFile('azure-llm-code-2023/AzureLLMInferenceTrace_code.csv');
const CONV_TRACE = traceFile('azure-llm-conv-2023/AzureLLMInferenceTrace_conv.csv');

async function replayJson(args: string[]): Promise<ReplayReport> {
  const { code, stdout, stderr } = await runCli(['replay', 'examples/k8s', ...args, '--format', 'json']);
  expect(stderr).toBe('');
  expect(code).toBe(0);
  return JSON.parse(stdout) as ReplayReport;
}

function okRun(report: ReplayReport, target: string): OkRun {
  const run = report.runs.find((entry) => entry.target === target)!;
  expect(run.status).toBe('ok');
  return run as OkRun;
}

function expectSound(run: OkRun) {
  const { total, served, timedOut, throttled, dropped } = run.requests;
  expect(served + timedOut + throttled + dropped).toBe(total);
  expect(run.littlesLaw.relativeError).toBeLessThan(1e-6);
  expect(run.latencyMs.p50!).toBeLessThanOrEqual(run.latencyMs.p99!);
  expect(run.latencyMs.p99!).toBeLessThanOrEqual(run.latencyMs.max!);
}

describe('migrate replay: corpus traces on the example platform', () => {
  it('the spiky code trace against the GPU LLM: cluster and Knative run, GPU-less targets are blocked, Cloud Run runs it on an L4', async () => {
    const report = await replayJson([
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
    expect(report.schemaVersion).toBe(1);
    expect(report.runs.map((run) => [run.target, run.status])).toEqual([
      ['kubernetes', 'ok'],
      ['knative', 'ok'],
      ['aws-lambda', 'blocked'],
      ['cloud-run', 'ok'],
      ['azure-functions', 'blocked'],
    ]);
    const lambda = report.runs.find((run) => run.target === 'aws-lambda')!;
    expect(
      lambda.status === 'blocked' && lambda.reasons.some((reason) => reason.startsWith('[gpu-required]')),
    ).toBe(true);
    // Minute 14 of the trace holds 632 requests: the spike.
    expect(report.traffic.spike).toMatchObject({
      startSeconds: 840,
      endSeconds: 900,
      peakRequestsPerMinute: 632,
    });
    for (const target of ['kubernetes', 'knative']) {
      const run = okRun(report, target);
      expectSound(run);
      expect(run.requests.total).toBe(report.traffic.requests);
      expect(run.spikeLatencyMs!.p99).not.toBeNull();
      expect(run.gpu!.allocatedSeconds).toBeGreaterThan(run.gpu!.busySeconds);
      expect(run.gpu!.idleFraction).toBeGreaterThan(0);
      expect(run.cost.totalUsd).toBeGreaterThan(0);
      expect(run.cost.lines[0]).toMatchObject({
        item: 'g6.xlarge nodes',
        unit: 'node-hours',
        unitPriceUsd: 0.805,
      });
    }
    // The cluster starts with the manifests' 2 ready replicas on 2 nodes.
    const cluster = okRun(report, 'kubernetes');
    expect(cluster.timeline.rows[0]![cluster.timeline.columns.indexOf('nodesMax')]).toBe(2);
  });

  it('the smooth conversation trace against the CPU scorer, as Markdown', async () => {
    const { code, stdout } = await runCli([
      'replay',
      'examples/k8s',
      '--workload',
      'ml/InferenceService/fraud-scoring',
      '--traffic',
      CONV_TRACE,
      '--service-ms',
      'lognormal:p50=25,p99=120',
      '--window',
      '10m..20m',
      '--targets',
      'kubernetes,knative',
      '-f',
      'md',
    ]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^### migrate replay: ml\/InferenceService\/fraud-scoring/);
    expect(stdout).toMatch(/\| {2}\| kubernetes \| knative \|/);
    expect(stdout).toMatch(/m5\.xlarge nodes/);
    expect(stdout).toMatch(/<summary>assumptions<\/summary>/);
  });
});

describe('migrate replay: determinism and output', () => {
  const spike = [
    '--workload',
    'ml/InferenceService/fraud-scoring',
    '--spike',
    'trending:baseline=10,peak=6,lead=2m,ramp=30s,hold=1m,decay=1m,tail=2m',
    '--service-ms',
    'exp:40',
  ];

  it('gives byte-identical JSON for the same seed, and different JSON for another', async () => {
    const run = (seed: string) => runCli(['replay', 'examples/k8s', ...spike, '--seed', seed, '-f', 'json']);
    const first = await run('3');
    expect(first.code).toBe(0);
    expect((await run('3')).stdout).toBe(first.stdout);
    expect((await run('4')).stdout).not.toBe(first.stdout);
  });

  it('prints the side-by-side table on a terminal, with no progress bar when stderr is not one', async () => {
    const { code, stdout, stderr } = await runCli(['replay', 'examples/k8s', ...spike], { tty: true });
    expect(code).toBe(0);
    expect(stdout).toMatch(/^ {2,}kubernetes +knative +aws-lambda +cloud-run +azure-functions$/m);
    expect(stdout).toMatch(/^ {2}p99\.9 /m);
    expect(stderr).toBe('');
    expect(progressLine('knative', 0.5)).toBe(
      `replay knative          [${'█'.repeat(15)}${'·'.repeat(15)}]  50 %`,
    );
  });

  it('reads a calibration file: service times and node type', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'migrate-replay-'));
    const file = join(dir, 'calibration.json');
    writeFileSync(
      file,
      JSON.stringify({
        serviceMs: { fixed: 30 },
        nodeTypes: [
          {
            id: 'c-small',
            cpuMillis: 2000,
            memoryGiB: 8,
            hourlyUsd: 0.1,
            provisioningSeconds: 60,
            source: 'our bill',
          },
        ],
      }),
    );
    const report = await replayJson([
      '--workload',
      'ml/InferenceService/fraud-scoring',
      '--spike',
      'constant:rate=5,duration=2m',
      '--calibration',
      file,
      '--node-type',
      'c-small',
      '--targets',
      'kubernetes',
    ]);
    rmSync(dir, { recursive: true, force: true });
    const run = okRun(report, 'kubernetes');
    expect(report.settings.serviceTime).toBe('fixed:30 (calibration file)');
    expect(run.latencyMs.max).toBe(30);
    expect(run.cost.lines[0]!.source).toMatch(/our bill/);
  });
});

describe('migrate replay: errors the user can fix', () => {
  it('asks for a service time when the trace has none', async () => {
    const { code, stderr } = await runCli([
      'replay',
      'examples/k8s',
      '--workload',
      'ml/Deployment/llm-chat',
      '--traffic',
      CODE_TRACE,
    ]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/needs a service time per request/);
    expect(stderr).toMatch(/hint: pass --service-ms/);
  });

  it('names the workloads when none or an unknown one is given', async () => {
    const none = await runCli(['replay', 'examples/k8s', '--spike', 'constant', '--service-ms', 'exp:10']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/4 model servers .* name one with --workload/);
    expect(none.stderr).toMatch(/ml\/Deployment\/llm-chat/);
    const unknown = await runCli([
      'replay',
      'examples/k8s',
      '--workload',
      'ml/Deployment/nope',
      '--spike',
      'constant',
    ]);
    expect(unknown.stderr).toMatch(/no workload "ml\/Deployment\/nope"/);
  });

  it('refuses unknown targets, node types and windows', async () => {
    const base = [
      'replay',
      'examples/k8s',
      '--workload',
      'ml/InferenceService/fraud-scoring',
      '--spike',
      'constant:rate=1,duration=1m',
      '--service-ms',
      'exp:10',
    ];
    expect((await runCli([...base, '--targets', 'kubernetes,heroku'])).stderr).toMatch(
      /--targets: unknown heroku/,
    );
    expect((await runCli([...base, '--node-type', 'x9.huge'])).stderr).toMatch(
      /unknown --node-type "x9\.huge"[\s\S]*hint: known: g6\.xlarge/,
    );
    expect((await runCli([...base, '--window', '5m..1m'])).stderr).toMatch(/end must come after the start/);
    expect((await runCli([...base, '--service-ms', 'uniform:3'])).stderr).toMatch(
      /unknown distribution "uniform"/,
    );
  });
});
