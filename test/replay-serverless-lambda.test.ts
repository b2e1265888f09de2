import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { priceUsage } from '../core/pricing/calculator.ts';
import type { LambdaUsage } from '../core/pricing/usage.ts';
import type { Calibration } from '../loadtests/engine/calibration.ts';
import { deploymentYaml, expectConsistent, workloadFromYaml } from '../loadtests/engine/testing.ts';
import {
  arrivalsAt,
  burst,
  column,
  replayModule,
  steps,
} from '../loadtests/platforms/aws-lambda/common/testing.ts';
import {
  type LambdaConfig,
  parseSamTemplate,
  plannedLambdaConfig,
} from '../loadtests/platforms/aws-lambda/config.ts';
import {
  INIT_LIMIT_MS,
  SCALING_RATE,
  SCALING_WINDOW_MS,
} from '../loadtests/platforms/aws-lambda/defaults.ts';
import { createLambdaModule, type LambdaOptions } from '../loadtests/platforms/aws-lambda/index.ts';
import { ScalingRate } from '../loadtests/platforms/aws-lambda/scaling.ts';

const workload = workloadFromYaml(deploymentYaml({ replicas: 1 }));

function fn(overrides: Partial<LambdaConfig> = {}): LambdaConfig {
  return {
    memoryMb: 1769,
    timeoutSeconds: 900,
    reservedConcurrency: null,
    provisionedConcurrency: 0,
    architecture: 'x86_64',
    ephemeralStorageMb: 512,
    source: 'test',
    defaulted: [],
    ...overrides,
  };
}

const lambda = (config: Partial<LambdaConfig>, options: Omit<LambdaOptions, 'config'> = {}) =>
  createLambdaModule({ config: fn(config), ...options });

/** Init of `ms` on every new environment (the calibration file's coldStartMs). */
const initOf = (ms: number) => ({ calibration: { file: 'test', coldStartMs: { p50Ms: ms, p99Ms: ms } } });

describe('aws-lambda: the per-function scaling rate', () => {
  it('never creates more than 1,000 environments in any 10-s window over a spike from zero, and reaches the cap', () => {
    // 400 req/s for 60 s, each holding its environment for 60 s: 24,000 would be needed at once.
    const run = replayModule({
      module: lambda({}, { accountConcurrency: 100_000 }),
      workload,
      profile: steps([60, 400], [70, 0]),
      service: { kind: 'fixed', ms: 60_000 },
      settings: { ...initOf(2000), timeoutMs: 120_000 },
    });
    expectConsistent(run);
    expect(run.timeline.stepSeconds).toBe(1);
    // No environment is reclaimed within the run (keep-alive 10 min), so the sampled count at each
    // second is the number created before it: every 10-s difference is what one window created.
    const instances = column(run, 'instancesMax');
    const perWindow = instances.slice(10).map((value, i) => value - instances[i]!);
    expect(Math.max(...perWindow)).toBe(SCALING_RATE.value);
    expect(perWindow.every((created) => created <= 1000)).toBe(true);
    // 6 windows of 1,000 in the 60 s of traffic: the rate, not the account, limited the spike.
    expect(run.coldStarts).toBe(6000);
    expect(run.requests.served).toBe(6000);
    expect(run.requests.throttled).toBe(24_000 - 6000);
    expect(run.notes).toContain(
      'scaling: 6000 environment(s) created, at most 1000 in any 10-s window (limit 1000)',
    );
  });

  it('refills each token exactly one window after it was spent (the bucket on its own)', () => {
    const rate = new ScalingRate(SCALING_RATE.value, SCALING_WINDOW_MS);
    const created: number[] = [];
    for (let t = 0; t < 60_000; t += 7) if (rate.take(t)) created.push(t);
    // The most creations in any window [t, t + 10 s) starting at a creation (two pointers).
    let most = 0;
    for (let from = 0, to = 0; from < created.length; from++) {
      while (to < created.length && created[to]! < created[from]! + SCALING_WINDOW_MS) to++;
      most = Math.max(most, to - from);
    }
    expect(most).toBe(1000);
    expect(rate.peakInWindow).toBe(1000);
    // The first 1,000 tokens go at once; each comes back 10 s later, at the pace it was spent.
    expect(created[999]).toBe(999 * 7);
    expect(created[1000]).toBeGreaterThanOrEqual(10_000);
    expect(created[1000]! - 10_000).toBeLessThan(7);
  });
});

describe('aws-lambda: cold starts', () => {
  it('a spike from zero cold-starts exactly the environments it needed: the peak concurrency', () => {
    // 50 at once, 30 a minute later (warm), 80 a minute after that: the peak in flight is 80.
    const profile = arrivalsAt([...burst(0, 50), ...burst(60_000, 30), ...burst(120_000, 80)], 180);
    const run = replayModule({
      module: lambda({}),
      workload,
      profile,
      service: { kind: 'fixed', ms: 5000 },
      settings: initOf(3000),
    });
    expectConsistent(run);
    expect(run.requests.throttled).toBe(0);
    expect(run.coldStarts).toBe(80);
    expect(run.instances.max).toBe(80);
    // Every cold start had exactly its own request waiting for it; the warm wave waited for none.
    expect(run.coldStartWaits.requests).toBe(80);
    expect(run.latencyMs.max).toBeCloseTo(8000, 6);
    expect(run.latencyMs.p50).toBeCloseTo(5000, 0);
  });

  it('provisioned concurrency k removes k cold starts from a burst of k + m and no more', () => {
    const k = 5;
    const m = 7;
    const run = replayModule({
      module: lambda({ provisionedConcurrency: k }),
      workload,
      profile: arrivalsAt([...burst(0, k + m), ...burst(30_000, k)], 60),
      service: { kind: 'fixed', ms: 2000 },
      settings: initOf(4000),
    });
    expectConsistent(run);
    expect(run.coldStarts).toBe(m);
    expect(run.coldStartWaits.requests).toBe(m);
    expect(run.requests.served).toBe(2 * k + m);
  });

  it('an Init beyond the 10-s limit is retried inside the invocation, under the function Timeout', () => {
    const initMs = 15_000;
    const profile = arrivalsAt([0], 60);
    const fits = replayModule({
      module: lambda({ timeoutSeconds: 20 }),
      workload,
      profile,
      service: { kind: 'fixed', ms: 1000 },
      settings: initOf(initMs),
    });
    expect(fits.requests.served).toBe(1);
    expect(fits.latencyMs.max).toBeCloseTo(INIT_LIMIT_MS.value + initMs + 1000, 6);
    const cut = replayModule({
      module: lambda({ timeoutSeconds: 12 }),
      workload,
      profile,
      service: { kind: 'fixed', ms: 1000 },
      settings: initOf(initMs),
    });
    expect(cut.requests.dropped).toBe(1);
    expect(cut.notes.some((note) => note.includes('past the function Timeout (12 s)'))).toBe(true);
  });

  it('reclaims idle environments after the keep-alive, and only then', () => {
    const profile = arrivalsAt([0, 11 * 60_000], 12 * 60);
    const options = {
      workload,
      profile,
      service: { kind: 'fixed', ms: 100 } as const,
      settings: initOf(1000),
    };
    const tenMinutes = replayModule({ ...options, module: lambda({}) });
    expect(tenMinutes.coldStarts).toBe(2);
    expect(tenMinutes.assumptions.find((entry) => entry.name === 'lambda.keepAliveSeconds')?.value).toBe(
      '600',
    );
    const twenty = replayModule({ ...options, module: lambda({}, { keepAliveMs: 20 * 60_000 }) });
    expect(twenty.coldStarts).toBe(1);
  });
});

describe('aws-lambda: limits, throttling and retries', () => {
  it('throttles beyond reserved concurrency, and clients that retry get served once environments free up', () => {
    const profile = arrivalsAt(burst(0, 30), 60);
    const options = { workload, profile, service: { kind: 'fixed', ms: 500 } as const, settings: initOf(0) };
    const plain = replayModule({ ...options, module: lambda({ reservedConcurrency: 10 }) });
    expectConsistent(plain);
    expect(plain.requests.served).toBe(10);
    expect(plain.requests.throttled).toBe(20);
    expect(plain.instances.max).toBe(10);
    const retrying = replayModule({
      ...options,
      module: lambda({ reservedConcurrency: 10 }, { retries: 8 }),
    });
    expectConsistent(retrying);
    expect(retrying.requests.served).toBe(30);
    expect(retrying.requests.throttled).toBe(0);
    expect(retrying.instances.max).toBe(10);
    expect(retrying.latencyMs.max).toBeGreaterThan(1000);
    expect(retrying.notes.some((note) => note.startsWith('clients retried'))).toBe(true);
  });

  it('caps at the account concurrency (1,000 by default)', () => {
    const run = replayModule({
      module: lambda({}),
      workload,
      profile: arrivalsAt(burst(0, 1500), 60),
      service: { kind: 'fixed', ms: 5000 },
      settings: initOf(0),
    });
    expect(run.requests.served).toBe(1000);
    expect(run.requests.throttled).toBe(500);
  });
});

describe('aws-lambda: CPU by memory size', () => {
  it('stretches service times measured on more CPU than the function gets', () => {
    const calibration = { file: 'test', measuredAtCpuMillis: 1000 } as Calibration;
    const run = replayModule({
      module: lambda({ memoryMb: 885, provisionedConcurrency: 1 }),
      workload,
      profile: arrivalsAt([0], 10),
      service: { kind: 'fixed', ms: 100 },
      settings: { calibration },
    });
    // 885 MB is 885 / 1,769 = 0.5003 vCPU: a 100-ms request measured at 1 vCPU takes 199.9 ms.
    expect(run.latencyMs.max).toBeCloseTo((100 * 1769) / 885, 2);
    expect(run.assumptions.find((entry) => entry.name === 'serviceTime.cpuFactor')?.value).toMatch(
      /^× 1\.999/,
    );
  });
});

describe('aws-lambda: cost', () => {
  it('is the calculator applied to the run usage: 1-ms rounding, provisioned and on-demand invocations', () => {
    let usage: LambdaUsage | null = null;
    const run = replayModule({
      module: lambda({ memoryMb: 2048, provisionedConcurrency: 2 }, { onUsage: (given) => (usage = given) }),
      workload,
      profile: arrivalsAt([...burst(0, 5, 1), ...burst(10_000, 2, 1)], 30),
      service: { kind: 'fixed', ms: 100.4 },
      settings: initOf(250.2),
    });
    expect(usage).not.toBeNull();
    const priced = priceUsage(usage!);
    expect(run.cost.totalUsd).toBe(Math.round(priced.totalUsd * 1e4) / 1e4);
    expect(run.cost.lines.map((line) => line.item)).toEqual(priced.lines.map((line) => line.item));
    // 4 on provisioned concurrency at 101 ms; 3 cold at ⌈250.2 + 100.4⌉ = 351 ms.
    const billed = (provisioned: boolean) =>
      usage!.invocations
        .filter((group) => Boolean(group.provisioned) === provisioned)
        .reduce((sum, group) => sum + group.count * group.avgDurationMs, 0);
    expect(billed(true)).toBe(4 * 101);
    expect(billed(false)).toBe(3 * 351);
    expect(usage!.provisionedConcurrency).toEqual([{ instances: 2, hours: 30 / 3600 }]);
    expect(usage!.freeTier).toBe(false);
  });
});

describe('aws-lambda: the function simulated is the one converted', () => {
  const example = workloadFromYaml(
    readFileSync('examples/k8s/fraud-scoring/inferenceservice.yaml', 'utf8'),
    'ml/InferenceService/fraud-scoring',
  );
  const template = 'test/goldens/convert/examples/ml-inferenceservice-fraud-scoring/aws-lambda/template.yaml';

  it('reads MemorySize, Timeout, reserved and provisioned concurrency from the SAM template', () => {
    const config = parseSamTemplate(readFileSync(template, 'utf8'), template);
    expect(config).toMatchObject({
      memoryMb: 1024,
      timeoutSeconds: 30,
      reservedConcurrency: 160,
      provisionedConcurrency: 1,
      architecture: 'x86_64',
      ephemeralStorageMb: 512,
    });
    expect(config.source).toBe(`${template} (FraudScoringFunction)`);
  });

  it('plans, without a template, what the converter emits into it', () => {
    const { source: _planned, ...planned } = plannedLambdaConfig(example);
    const {
      source: _file,
      defaulted: _defaulted,
      ...emitted
    } = parseSamTemplate(readFileSync(template, 'utf8'), template);
    expect({ ...planned, defaulted: undefined }).toEqual({ ...emitted, defaulted: undefined });
  });

  it('fills what a template leaves out with Lambda defaults and says so; a parameter without a default is an error', () => {
    const minimal = `Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      PackageType: Image
`;
    const config = parseSamTemplate(minimal, 'min.yaml');
    expect(config).toMatchObject({
      memoryMb: 128,
      timeoutSeconds: 3,
      reservedConcurrency: null,
      provisionedConcurrency: 0,
    });
    expect(config.defaulted.join('; ')).toMatch(/MemorySize 128/);
    const parameterised = `Parameters:
  Memory: { Type: Number }
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      MemorySize: { Ref: Memory }
`;
    expect(() => parseSamTemplate(parameterised, 'p.yaml')).toThrow(/no Default/);
  });
});
