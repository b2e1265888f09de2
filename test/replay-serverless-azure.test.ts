import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { priceUsage } from '../core/pricing/calculator.ts';
import type { AzureFunctionsUsage } from '../core/pricing/usage.ts';
import { deploymentYaml, expectConsistent, workloadFromYaml } from '../loadtests/engine/testing.ts';
import { arrivalsAt, burst, column, replayModule } from '../loadtests/platforms/aws-lambda/common/testing.ts';
import {
  type AzureConfig,
  parseArmTemplate,
  plannedAzureConfig,
} from '../loadtests/platforms/azure-functions/config.ts';
import { SCALE_INTERVAL_MS } from '../loadtests/platforms/azure-functions/defaults.ts';
import { type AzureOptions, createAzureModule } from '../loadtests/platforms/azure-functions/index.ts';

const workload = workloadFromYaml(deploymentYaml({ replicas: 1 }));

function flex(overrides: Partial<AzureConfig> = {}): AzureConfig {
  return {
    plan: 'flex',
    sku: null,
    instanceMemoryMb: 2048,
    cpuMillis: 1000,
    concurrency: 1,
    maxInstances: 40,
    alwaysReady: 0,
    prewarmed: null,
    timeoutSeconds: 1800,
    source: 'test',
    defaulted: [],
    ...overrides,
  };
}

const premium = (overrides: Partial<AzureConfig> = {}) =>
  flex({
    plan: 'premium',
    sku: 'EP1',
    instanceMemoryMb: 3500,
    cpuMillis: 1000,
    alwaysReady: 1,
    maxInstances: 20,
    ...overrides,
  });

const azure = (config: AzureConfig, options: Omit<AzureOptions, 'config'> = {}) =>
  createAzureModule({ config, ...options });

const startOf = (ms: number) => ({ calibration: { file: 'test', coldStartMs: { p50Ms: ms, p99Ms: ms } } });

describe('azure-functions: the scale controller', () => {
  it('adds HTTP instances no faster than one per second, even for a burst from zero', () => {
    const run = replayModule({
      module: azure(flex({ maxInstances: 40 })),
      workload,
      // Half a second in, so each 1-s timeline bucket holds one controller interval exactly.
      profile: arrivalsAt(burst(500, 25), 120),
      service: { kind: 'fixed', ms: 60_000 },
      settings: { ...startOf(500), timeoutMs: 120_000 },
    });
    expectConsistent(run);
    expect(run.timeline.stepSeconds).toBe(1);
    const instances = column(run, 'instancesMax');
    const added = instances.slice(1).map((value, i) => value - instances[i]!);
    expect(Math.max(...added)).toBe(1);
    expect(added.every((step) => step <= 1)).toBe(true);
    // One instance per request at concurrency 1: the 25th is added at 24.5 s, and no sooner.
    expect(Math.max(...instances)).toBe(25);
    expect(instances.indexOf(25)).toBe(25);
    expect(run.milestones.firstScaleUpSeconds).toBe(0.5);
    expect(run.notes).toContain(
      `scale controller: 25 instance(s) added, never less than ${SCALE_INTERVAL_MS.value} ms apart`,
    );
    expect(run.requests.served).toBe(25);
  });

  it('never goes past maximumInstanceCount; the rest wait for a free slot', () => {
    const run = replayModule({
      module: azure(flex({ maxInstances: 3, concurrency: 2 })),
      workload,
      profile: arrivalsAt(burst(0, 12), 60),
      service: { kind: 'fixed', ms: 2000 },
      settings: startOf(500),
    });
    expectConsistent(run);
    expect(Math.max(...column(run, 'instancesMax'))).toBe(3);
    expect(run.requests.served).toBe(12);
    expect(run.waitMs.p99).toBeGreaterThan(2000);
  });
});

describe('azure-functions: warm capacity', () => {
  it('Flex always-ready instances serve a burst within their concurrency without a cold start', () => {
    const run = replayModule({
      module: azure(flex({ alwaysReady: 2, concurrency: 4 })),
      workload,
      profile: arrivalsAt(burst(0, 8), 30),
      service: { kind: 'fixed', ms: 500 },
      settings: startOf(5000),
    });
    expect(run.coldStarts).toBe(0);
    expect(run.latencyMs.max).toBeCloseTo(500, 6);
  });

  it('Premium: the prewarmed instance takes the first scale-out without a cold start and is replaced in the background', () => {
    const run = replayModule({
      module: azure(premium({ alwaysReady: 1, maxInstances: 5 })),
      workload,
      profile: arrivalsAt(burst(0, 3), 60),
      service: { kind: 'fixed', ms: 30_000 },
      settings: startOf(5000),
    });
    expectConsistent(run);
    // The minimum instance takes the first request, the prewarmed one the second (at once), and the
    // third goes to the replacement prewarmed instance, promoted 1 s later and ready at 5 s.
    expect(run.coldStartWaits.requests).toBe(1);
    expect(run.latencyMs.p50).toBeCloseTo(30_000, 0);
    // Arrived at 2 ms, the replacement was promoted at 1,001 ms and was ready at 1 + 5,000 ms.
    expect(run.latencyMs.max).toBe(5001 + 30_000 - 2);
    expect(run.assumptions.find((entry) => entry.name === 'azure.prewarmed')?.value).toBe('1');
  });

  it('reclaims idle on-demand instances after the idle retention, never the always-ready ones', () => {
    const run = replayModule({
      module: azure(flex({ alwaysReady: 1 }), { keepAliveMs: 30_000 }),
      workload,
      profile: arrivalsAt(burst(0, 3), 120),
      service: { kind: 'fixed', ms: 5000 },
      settings: startOf(100),
    });
    const instances = column(run, 'instancesMax');
    expect(Math.max(...instances)).toBe(3);
    expect(instances.at(-1)).toBe(1);
  });
});

describe('azure-functions: billing', () => {
  it('Flex: on-demand active time and periods, always-ready busy time; cost = the calculator on the usage', () => {
    let usage: AzureFunctionsUsage | null = null;
    const run = replayModule({
      module: azure(flex({ alwaysReady: 1, concurrency: 2 }), { onUsage: (given) => (usage = given) }),
      workload,
      profile: arrivalsAt([0, 100, 200, 5000], 10),
      service: { kind: 'fixed', ms: 1000 },
      settings: startOf(300),
    });
    // 0 and 100 share the always-ready instance (busy 0–1,100 ms); 200 waits for an on-demand instance,
    // added at 200 ms and ready at 500 (busy 500–1,500); 5,000 goes to the always-ready one (least loaded, longest).
    expect(usage).toMatchObject({
      plan: 'flex-consumption',
      executions: 4,
      executionSeconds: 1,
      activityPeriods: 1,
      instanceSeconds: 2.1,
      alwaysReady: { instances: 1, hours: 10 / 3600, executions: 3, activityPeriods: 2 },
    });
    const priced = priceUsage(usage!);
    expect(run.cost.totalUsd).toBe(Math.round(priced.totalUsd * 1e4) / 1e4);
    expect(run.cost.lines.map((line) => line.item)).toEqual(priced.lines.map((line) => line.item));
    expect(run.notes.some((note) => note.includes('always-ready baseline'))).toBe(true);
  });

  it('Premium: every instance-hour of the plan, prewarmed ones included', () => {
    let usage: AzureFunctionsUsage | null = null;
    replayModule({
      module: azure(premium({ alwaysReady: 2, prewarmed: 1 }), { onUsage: (given) => (usage = given) }),
      workload,
      profile: arrivalsAt([0], 36),
      service: { kind: 'fixed', ms: 100 },
      settings: startOf(100),
    });
    expect(usage).toMatchObject({
      plan: 'premium',
      instanceSeconds: 3 * 36,
      premium: { sku: 'EP1', instanceHours: 0.03 },
    });
  });
});

describe('azure-functions: the app simulated is the one converted', () => {
  const golden = (slug: string, file: string) =>
    `test/goldens/convert/examples/${slug}/azure-functions/${file}`;
  const parse = (slug: string) =>
    parseArmTemplate(
      readFileSync(golden(slug, 'azuredeploy.json'), 'utf8'),
      golden(slug, 'azuredeploy.json'),
      readFileSync(golden(slug, 'host.json'), 'utf8'),
    );

  it('reads Flex instanceMemoryMB, maximumInstanceCount, always-ready, concurrency and functionTimeout', () => {
    expect(parse('ml-inferenceservice-fraud-scoring')).toMatchObject({
      plan: 'flex',
      instanceMemoryMb: 2048,
      cpuMillis: 1000,
      concurrency: 8,
      maxInstances: 40,
      alwaysReady: 1,
      timeoutSeconds: 30,
      defaulted: [],
    });
  });

  it('reads a Premium plan: SKU, minimum and maximum burst, concurrency from host.json', () => {
    expect(parse('ml-statefulset-vision-triton')).toMatchObject({
      plan: 'premium',
      sku: 'EP2',
      concurrency: 1,
      maxInstances: 2,
      alwaysReady: 1,
      prewarmed: null,
      timeoutSeconds: 3600,
    });
  });

  it('plans, without a template, what the converter emits into it', () => {
    const example = workloadFromYaml(
      readFileSync('examples/k8s/fraud-scoring/inferenceservice.yaml', 'utf8'),
      'ml/InferenceService/fraud-scoring',
    );
    const { source: _a, ...planned } = plannedAzureConfig(example);
    const { source: _b, ...emitted } = parse('ml-inferenceservice-fraud-scoring');
    expect(planned).toEqual(emitted);
  });
});
