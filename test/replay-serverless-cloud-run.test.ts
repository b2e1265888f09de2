import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { priceUsage } from '../core/pricing/calculator.ts';
import type { CloudRunUsage } from '../core/pricing/usage.ts';
import { deploymentYaml, expectConsistent, workloadFromYaml } from '../loadtests/engine/testing.ts';
import {
  arrivalsAt,
  burst,
  column,
  replayModule,
  steps,
} from '../loadtests/platforms/aws-lambda/common/testing.ts';
import {
  type CloudRunConfig,
  parseServiceYaml,
  plannedCloudRunConfig,
} from '../loadtests/platforms/cloud-run/config.ts';
import { PENDING_LIMIT_MS } from '../loadtests/platforms/cloud-run/defaults.ts';
import { type CloudRunOptions, createCloudRunModule } from '../loadtests/platforms/cloud-run/index.ts';

const workload = workloadFromYaml(deploymentYaml({ replicas: 1 }));

function service(overrides: Partial<CloudRunConfig> = {}): CloudRunConfig {
  return {
    concurrency: 1,
    timeoutSeconds: 300,
    minScale: 0,
    maxScale: 2,
    instanceBilling: false,
    cpuMillis: 1000,
    memoryBytes: 2 * 2 ** 30,
    gpu: null,
    source: 'test',
    defaulted: [],
    ...overrides,
  };
}

const cloudRun = (config: Partial<CloudRunConfig>, options: Omit<CloudRunOptions, 'config'> = {}) =>
  createCloudRunModule({ config: service(config), ...options });

/** Instance start of `ms` (the calibration file's coldStartMs: container start and model load together). */
const startOf = (ms: number) => ({ calibration: { file: 'test', coldStartMs: { p50Ms: ms, p99Ms: ms } } });

describe('cloud-run: max instances and waiting requests', () => {
  it('never exceeds max instances; with all of them full, requests wait 60 s and then fail with 429', () => {
    const run = replayModule({
      module: cloudRun({ maxScale: 2 }),
      workload,
      profile: arrivalsAt(burst(0, 10), 200),
      service: { kind: 'fixed', ms: 100_000 },
      settings: { ...startOf(3000), timeoutMs: 600_000 },
    });
    expectConsistent(run);
    expect(Math.max(...column(run, 'instancesMax'))).toBe(2);
    expect(run.coldStarts).toBe(2);
    expect(run.requests.served).toBe(2);
    expect(run.requests.throttled).toBe(8);
    expect(run.waitMs.mean).toBeCloseTo(3000, 0);
    // The eight that waited failed exactly at the pending limit: the timeline shows them at 60 s.
    const failed = column(run, 'failed');
    expect(failed[PENDING_LIMIT_MS.value / 1000]).toBe(8);
    expect(run.notes).toContain('8 attempt(s) waited the pending limit at max instances (2) and got 429');
  });

  it('leaves waiting requests to their client when the client gives up first', () => {
    const run = replayModule({
      module: cloudRun({ maxScale: 1 }),
      workload,
      profile: arrivalsAt(burst(0, 4), 100),
      service: { kind: 'fixed', ms: 50_000 },
      settings: { ...startOf(1000), timeoutMs: 20_000 },
    });
    expectConsistent(run);
    expect(run.requests.throttled).toBe(0);
    // The one in service runs past its client's timeout too: all four time out.
    expect(run.requests.timedOut).toBe(4);
  });

  it('a request from zero waits for the instance started for it; a GPU instance starts in ~5 s plus the model load', () => {
    const gpu = { gpu: 'nvidia-l4', cpuMillis: 4000, memoryBytes: 16 * 2 ** 30, instanceBilling: true };
    const fromZero = (modelLoadSeconds: number) =>
      replayModule({
        module: cloudRun(gpu),
        workload,
        profile: arrivalsAt([0], 120),
        service: { kind: 'fixed', ms: 1000 },
        settings: { pod: { modelLoadSeconds }, timeoutMs: 300_000 },
      });
    const quick = fromZero(30);
    expect(quick.requests.served).toBe(1);
    expect(quick.latencyMs.max).toBeCloseTo(5000 + 30_000 + 1000, 6);
    expect(quick.assumptions.find((entry) => entry.name === 'cloudRun.coldStartMs')?.value).toBe(
      '35000 ms = platform start 5000 ms + model load 30000 ms',
    );
    expect(quick.gpu!.allocatedSeconds).toBeGreaterThan(quick.gpu!.busySeconds);
    // 5 s + 60 s is longer than the 60-s pending limit: the first request fails with 429.
    const slow = fromZero(60);
    expect(slow.requests.throttled).toBe(1);
  });
});

describe('cloud-run: scaling', () => {
  it('keeps min instances warm from the start', () => {
    const run = replayModule({
      module: cloudRun({ minScale: 2, maxScale: 5, concurrency: 10 }),
      workload,
      profile: arrivalsAt(burst(0, 5), 30),
      service: { kind: 'fixed', ms: 500 },
      settings: startOf(3000),
    });
    expect(run.coldStarts).toBe(0);
    expect(run.coldStartWaits.requests).toBe(0);
    expect(run.latencyMs.max).toBeCloseTo(500, 6);
  });

  it('sizes for 60 % of each instance’s concurrency', () => {
    // 30 req/s × 1 s = 30 in flight; 10 per instance at 60 % is 6 → 5 instances (a few more on peaks).
    const run = replayModule({
      module: cloudRun({ minScale: 0, maxScale: 50, concurrency: 10 }),
      workload,
      profile: steps([240, 30]),
      service: { kind: 'fixed', ms: 1000 },
      settings: startOf(2000),
    });
    expectConsistent(run);
    const ready = column(run, 'readyMean');
    const settled = ready.slice(120, 230);
    expect(Math.min(...settled)).toBeGreaterThanOrEqual(5);
    expect(Math.max(...settled)).toBeLessThanOrEqual(8);
    expect(run.requests.served).toBe(run.requests.total);
  });

  it('reclaims idle instances above min instances after the idle retention', () => {
    const run = replayModule({
      module: cloudRun({ minScale: 1, maxScale: 5, concurrency: 1 }, { keepAliveMs: 60_000 }),
      workload,
      profile: arrivalsAt([...burst(0, 3)], 300),
      service: { kind: 'fixed', ms: 1000 },
      settings: startOf(1000),
    });
    const instances = column(run, 'instancesMax');
    expect(Math.max(...instances)).toBeGreaterThan(1);
    expect(instances.at(-1)).toBe(1);
  });
});

describe('cloud-run: billing', () => {
  it('request-based: busy time per instance, each busy period rounded up to 100 ms; cost = the calculator on the usage', () => {
    let usage: CloudRunUsage | null = null;
    const run = replayModule({
      module: cloudRun({ minScale: 1, maxScale: 1, concurrency: 4 }, { onUsage: (given) => (usage = given) }),
      workload,
      profile: arrivalsAt([0, 10, 1000, 2000], 10),
      service: { kind: 'fixed', ms: 120 },
      settings: startOf(0),
    });
    // Busy 0–130 ms (two overlapping), 1000–1120, 2000–2120: 200 + 200 + 200 ms billed.
    expect(usage).toMatchObject({
      billing: 'request',
      requests: 4,
      instanceSeconds: 0.6,
      vcpu: 1,
      memoryGiB: 2,
    });
    const priced = priceUsage(usage!);
    expect(run.cost.totalUsd).toBe(Math.round(priced.totalUsd * 1e4) / 1e4);
    expect(run.cost.lines.map((line) => line.item)).toEqual(priced.lines.map((line) => line.item));
  });

  it('instance-based: every instance’s whole life', () => {
    let usage: CloudRunUsage | null = null;
    replayModule({
      module: cloudRun(
        { minScale: 2, maxScale: 2, instanceBilling: true },
        { onUsage: (given) => (usage = given) },
      ),
      workload,
      profile: arrivalsAt([0], 60),
      service: { kind: 'fixed', ms: 100 },
      settings: startOf(0),
    });
    expect(usage).toMatchObject({ billing: 'instance', instanceSeconds: 120 });
  });
});

describe('cloud-run: the service simulated is the one converted', () => {
  const example = (file: string, id: string) => workloadFromYaml(readFileSync(file, 'utf8'), id);
  const golden = (slug: string) => `test/goldens/convert/examples/${slug}/cloud-run/service.yaml`;

  it('reads concurrency, timeout, min/max scale, billing, size and GPU from service.yaml', () => {
    const path = golden('ml-deployment-llm-chat');
    expect(parseServiceYaml(readFileSync(path, 'utf8'), path)).toMatchObject({
      concurrency: 80,
      timeoutSeconds: 3600,
      minScale: 1,
      maxScale: 6,
      instanceBilling: true,
      cpuMillis: 4000,
      memoryBytes: 16 * 2 ** 30,
      gpu: 'nvidia-l4',
      defaulted: [],
    });
  });

  it('plans, without a service.yaml, what the converter emits into it', () => {
    const path = golden('ml-inferenceservice-fraud-scoring');
    const { source: _a, ...emitted } = parseServiceYaml(readFileSync(path, 'utf8'), path);
    const { source: _b, ...planned } = plannedCloudRunConfig(
      example('examples/k8s/fraud-scoring/inferenceservice.yaml', 'ml/InferenceService/fraud-scoring'),
    );
    expect(planned).toEqual(emitted);
  });
});
