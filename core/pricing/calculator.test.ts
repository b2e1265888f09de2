import { describe, expect, it } from 'vitest';
import { MigrateError } from '../errors.ts';
import { flexBillableSeconds } from './calculate-azure-functions.ts';
import { roundUpTo, toCents } from './calculate-common.ts';
import { DEFAULT_PRICE_BOOK, type PriceBook, presentPrice, priceUsage } from './calculator.ts';
import type { AzureFunctionsUsage, CloudRunUsage, LambdaUsage, PriceLine, PriceResult } from './usage.ts';

const lambda = (overrides: Partial<LambdaUsage> = {}): LambdaUsage => ({
  platform: 'aws-lambda',
  region: 'us-east-1',
  freeTier: false,
  architecture: 'x86_64',
  memoryMb: 1024,
  ephemeralStorageMb: 512,
  invocations: [],
  provisionedConcurrency: [],
  ...overrides,
});

const cloudRun = (overrides: Partial<CloudRunUsage> = {}): CloudRunUsage => ({
  platform: 'cloud-run',
  region: 'us-central1',
  freeTier: false,
  billing: 'request',
  vcpu: 1,
  memoryGiB: 1,
  requests: 0,
  instanceSeconds: 0,
  ...overrides,
});

const flex = (overrides: Partial<AzureFunctionsUsage> = {}): AzureFunctionsUsage => ({
  platform: 'azure-functions',
  region: 'eastus',
  freeTier: false,
  plan: 'flex-consumption',
  instanceMemoryMb: 2048,
  executions: 0,
  instanceSeconds: 0,
  ...overrides,
});

const line = (result: PriceResult, item: string): PriceLine => {
  const found = result.lines.find((candidate) => candidate.item === item);
  if (!found) throw new Error(`no line ${item} in ${result.lines.map((l) => l.item).join(', ')}`);
  return found;
};

describe('money and rounding helpers', () => {
  it('rounds cents half up on the decimal value, not on the binary one', () => {
    expect(toCents(0.245)).toBe(25);
    expect(toCents(1.005)).toBe(101);
    expect(toCents(2.333338)).toBe(233);
    expect(toCents(333.334)).toBe(33333);
  });

  it('rounds up to a step, forgiving float noise but not real excess', () => {
    expect(roundUpTo(120, 1)).toBe(120);
    expect(roundUpTo(120.000000000001, 1)).toBe(120);
    expect(roundUpTo(120.3, 1)).toBe(121);
    expect(roundUpTo(0.30000000000000004, 0.1)).toBe(0.3);
    expect(roundUpTo(10.01, 0.1)).toBe(10.1);
    expect(roundUpTo(3601, 300)).toBe(3900);
    expect(roundUpTo(0, 300)).toBe(0);
  });

  it('presentation rounds each line to the cent and adds the rounded lines', () => {
    const result = priceUsage(flex({ executions: 3 * 144_000, executionSeconds: 3600, activityPeriods: 1 }));
    // 7,200 GB-s × $0.000026 = $0.1872 → $0.19; 0.432 M × $0.40 = $0.1728 → $0.17; exact sum $0.36.
    expect(result.totalUsd).toBeCloseTo(0.36, 12);
    expect(presentPrice(result).lines.map((l) => l.usd)).toEqual([0.19, 0.17]);
    expect(presentPrice(result).totalUsd).toBe(0.36);
  });
});

describe('AWS Lambda billing rules', () => {
  it('rounds each invocation up to 1 ms (applied to the group average) and takes GB as MB / 1024', () => {
    const result = priceUsage(
      lambda({ memoryMb: 512, invocations: [{ count: 1000, avgDurationMs: 120.3 }] }),
    );
    // 1,000 × 121 ms = 121 s × 0.5 GB = 60.5 GB-s
    expect(line(result, 'duration (x86)').quantity).toBeCloseTo(60.5, 9);
  });

  it('bills provisioned concurrency per configured GB-s, each period rounded up to 5 minutes', () => {
    const result = priceUsage(
      lambda({ memoryMb: 2048, provisionedConcurrency: [{ instances: 3, hours: 1 + 1 / 60 }] }),
    );
    // 61 min → 65 min = 3,900 s × 3 × 2 GB
    expect(line(result, 'provisioned concurrency (x86), configured').quantity).toBe(23_400);
  });

  it('charges ephemeral storage above 512 MB over the duration of all invocations, with no free tier', () => {
    const result = priceUsage(
      lambda({
        freeTier: true,
        ephemeralStorageMb: 1536,
        invocations: [
          { count: 100, avgDurationMs: 1000 },
          { count: 100, avgDurationMs: 1000, provisioned: true },
        ],
        provisionedConcurrency: [{ instances: 1, hours: 1 }],
      }),
    );
    expect(line(result, 'ephemeral storage above 512 MB').quantity).toBe(200);
    expect(line(result, 'ephemeral storage above 512 MB').freeQuantity).toBeUndefined();
  });

  it('subtracts the free tier only when freeTier is true, never below zero, and says what it covered', () => {
    const usage = lambda({ invocations: [{ count: 500_000, avgDurationMs: 100 }] });
    const free = priceUsage({ ...usage, freeTier: true });
    expect(line(free, 'requests')).toMatchObject({ quantity: 0, freeQuantity: 0.5, usd: 0 });
    expect(line(free, 'duration (x86)')).toMatchObject({ quantity: 0, freeQuantity: 50_000, usd: 0 });
    expect(free.totalUsd).toBe(0);

    const paid = priceUsage(usage);
    expect(line(paid, 'requests').quantity).toBe(0.5);
    expect(line(paid, 'requests').freeQuantity).toBeUndefined();
    expect(paid.totalUsd).toBeCloseTo(0.1 + 50_000 * 0.0000166667, 12);
  });

  it('moves duration above 6 billion GB-s to the next tier', () => {
    const result = priceUsage(
      lambda({ memoryMb: 10_240, invocations: [{ count: 700_000_000, avgDurationMs: 900 }] }),
    );
    // 700 M × 0.9 s × 10 GB = 6.3 B GB-s: 6 B in tier 1, 0.3 B at $0.000015
    expect(line(result, 'duration (x86)').quantity).toBe(6_000_000_000);
    expect(line(result, 'duration (x86), tier 2: above 6,000,000,000 GB-s')).toMatchObject({
      quantity: 300_000_000,
      unitPriceUsd: 0.000015,
    });
  });

  it('leaves an Arm tier without a price out, with a note saying how much', () => {
    const result = priceUsage(
      lambda({
        architecture: 'arm64',
        memoryMb: 10_240,
        invocations: [{ count: 2_500_000_000, avgDurationMs: 800 }],
      }),
    );
    // 20 B GB-s: 7.5 B tier 1, 11.25 B tier 2, 1.25 B above 18.75 B (price not read)
    expect(result.lines.map((l) => [l.item, l.quantity])).toEqual([
      ['requests', 2500],
      ['duration (Arm)', 7_500_000_000],
      ['duration (Arm), tier 2: above 7,500,000,000 GB-s', 11_250_000_000],
    ]);
    expect(result.notes).toContainEqual(
      expect.stringMatching(/tier 3: above 18,750,000,000 GB-s: 1,250,000,000 GB-s not priced/),
    );
    expect(result.notes[0]).toMatch(/lower bound: 1 item is not priced/);
  });

  it('never invents the Arm provisioned-concurrency prices: both lines become notes', () => {
    const result = priceUsage(
      lambda({
        architecture: 'arm64',
        invocations: [{ count: 1000, avgDurationMs: 1000, provisioned: true }],
        provisionedConcurrency: [{ instances: 2, hours: 1 }],
      }),
    );
    expect(result.lines.map((l) => l.item)).toEqual(['requests']);
    expect(result.notes.join('\n')).toMatch(
      /provisioned concurrency \(Arm\): 7,200 GB-s not priced — .*unconfirmed/,
    );
    expect(result.notes.join('\n')).toMatch(
      /duration on provisioned concurrency \(Arm\): 1,000 GB-s not priced/,
    );
  });

  it('says when prices are another region’s', () => {
    expect(priceUsage(lambda({ region: 'eu-west-1' })).notes.join('\n')).toMatch(/us-east-1's.*eu-west-1/);
  });
});

describe('Cloud Run billing rules', () => {
  it('request-based: vCPU-s, GiB-s and requests, time rounded up to 100 ms, with the free tier', () => {
    const result = priceUsage(
      cloudRun({ freeTier: true, vcpu: 2, memoryGiB: 4, requests: 3_000_000, instanceSeconds: 100_000.01 }),
    );
    // 100,000.1 s → 200,000.2 vCPU-s − 180,000 free; 400,000.4 GiB-s − 360,000; 3 M − 2 M requests
    expect(line(result, 'CPU (request-based)').quantity).toBeCloseTo(20_000.2, 6);
    expect(line(result, 'CPU (request-based)').freeQuantity).toBe(180_000);
    expect(line(result, 'memory (request-based)').quantity).toBeCloseTo(40_000.4, 6);
    expect(line(result, 'requests')).toMatchObject({ quantity: 1, freeQuantity: 2, unitPriceUsd: 0.4 });
  });

  it('instance-based: CPU for the whole time, no request fee, the unconfirmed memory price as a note', () => {
    const result = priceUsage(
      cloudRun({ billing: 'instance', vcpu: 4, memoryGiB: 16, requests: 9, instanceSeconds: 3600 }),
    );
    expect(result.lines.map((l) => [l.item, l.quantity, l.unitPriceUsd])).toEqual([
      ['CPU (instance-based)', 14_400, 0.000018],
    ]);
    expect(result.notes.join('\n')).toMatch(/memory \(instance-based\): 57,600 GiB-s not priced/);
    expect(result.notes.join('\n')).toMatch(/no per-request fee/);
  });

  it('prices a GPU per GPU-hour where the price book has one, else notes the GPU-hours', () => {
    const usage = cloudRun({
      billing: 'instance',
      vcpu: 4,
      memoryGiB: 16,
      instanceSeconds: 7200,
      gpu: { type: 'nvidia-l4', count: 1 },
    });
    expect(priceUsage(usage).notes.join('\n')).toMatch(/GPU nvidia-l4: 2 GPU-hours not priced/);

    const book: PriceBook = {
      ...DEFAULT_PRICE_BOOK,
      'cloud-run': {
        ...DEFAULT_PRICE_BOOK['cloud-run'],
        gpuUsdPerHour: { 'nvidia-l4': 0.7, 'nvidia-rtx-pro-6000': null },
      },
    };
    expect(line(priceUsage(usage, book), 'GPU nvidia-l4')).toMatchObject({ quantity: 2, usd: 1.4 });
  });
});

describe('Azure Functions billing rules', () => {
  it('Flex on demand: each activity period billed at least 1,000 ms, then rounded up to 100 ms', () => {
    const p = DEFAULT_PRICE_BOOK['azure-functions'];
    expect(flexBillableSeconds(100, 1000, p)).toBe(1000); // 0.1 s each → 1 s minimum
    expect(flexBillableSeconds(1050, 1000, p)).toBe(1100); // 1.05 s → 1.1 s
    expect(flexBillableSeconds(3600, 1, p)).toBe(3600);
    expect(flexBillableSeconds(5, 0, p)).toBe(5); // no periods known: as given
  });

  it('Flex on demand defaults to one activity period per execution, minus the free grant', () => {
    const result = priceUsage(flex({ freeTier: true, executions: 1_000_000, executionSeconds: 200_000 }));
    // 1 M × 0.2 s → 1 M × 1 s = 1 M s × 2 GB = 2 M GB-s − 100,000 free; executions − 250,000 free
    expect(line(result, 'on-demand execution time')).toMatchObject({
      quantity: 1_900_000,
      freeQuantity: 100_000,
    });
    expect(line(result, 'on-demand executions')).toMatchObject({ quantity: 0.75, freeQuantity: 0.25 });
  });

  it('Flex always ready: baseline and execution GB-s with no free grant; unconfirmed prices become notes', () => {
    const result = priceUsage(
      flex({
        freeTier: true,
        executions: 100_000,
        executionSeconds: 1000,
        activityPeriods: 10,
        instanceSeconds: 36_000,
        alwaysReady: { instances: 2, hours: 730, executions: 90_000, activityPeriods: 100 },
      }),
    );
    // only the 10,000 on-demand executions are billed on demand, all inside the free grant
    expect(line(result, 'on-demand executions')).toMatchObject({ quantity: 0, freeQuantity: 0.01 });
    const notes = result.notes.join('\n');
    expect(notes).toMatch(/always-ready baseline: 10,512,000 GB-s not priced/); // 2 × 2 GB × 730 h
    expect(notes).toMatch(/always-ready execution time: 72,000 GB-s not priced/);
    expect(notes).toMatch(/always-ready executions: 0.09 1M executions not priced/);
    expect(notes).toMatch(/lower bound: 3 items are not priced/);

    const book: PriceBook = {
      ...DEFAULT_PRICE_BOOK,
      'azure-functions': {
        ...DEFAULT_PRICE_BOOK['azure-functions'],
        alwaysReadyBaselineUsdPerGbSecond: 0.000004,
      },
    };
    const baseline = line(
      priceUsage(flex({ alwaysReady: { instances: 1, hours: 1 } }), book),
      'always-ready baseline',
    );
    expect(baseline).toMatchObject({ quantity: 7200, unitPriceUsd: 0.000004 });
    expect(baseline.freeQuantity).toBeUndefined();
  });

  it('Flex without executionSeconds says the execution time is missing rather than pricing it at zero', () => {
    const result = priceUsage(flex({ executions: 5000 }));
    expect(result.lines.map((l) => l.item)).toEqual(['on-demand executions']);
    expect(result.notes.join('\n')).toMatch(
      /on-demand execution time: 5,000 executions not priced — .*add executionSeconds/,
    );
  });

  it('Premium: per instance-hour where priced, else a note', () => {
    const usage = flex({
      plan: 'premium',
      instanceMemoryMb: 3584,
      premium: { sku: 'EP1', instanceHours: 730 },
    });
    expect(priceUsage(usage).lines).toEqual([]);
    expect(priceUsage(usage).notes.join('\n')).toMatch(/Premium EP1: 730 instance-hours not priced/);
    const book: PriceBook = {
      ...DEFAULT_PRICE_BOOK,
      'azure-functions': {
        ...DEFAULT_PRICE_BOOK['azure-functions'],
        premiumUsdPerInstanceHour: { EP1: 0.2, EP2: null, EP3: null },
      },
    };
    expect(line(priceUsage(usage, book), 'Premium EP1').usd).toBeCloseTo(146, 9);
  });
});

describe('Kubernetes nodes', () => {
  it('prices count × hours × the hourly price, each node billed at least its minimum', () => {
    const result = priceUsage({
      platform: 'kubernetes',
      region: 'us-east-1',
      nodes: [
        { type: 'g6.xlarge', count: 2, hours: 10 },
        { type: 'g4dn.xlarge', count: 3, hours: 0.001 }, // 3.6 s → the 60 s EC2 minimum
      ],
    });
    expect(line(result, 'nodes g6.xlarge')).toMatchObject({ quantity: 20, unitPriceUsd: 0.805, usd: 16.1 });
    expect(line(result, 'nodes g4dn.xlarge').quantity).toBeCloseTo(3 / 60, 12);
    expect(result.notes.join('\n')).toMatch(/g6.xlarge: the hourly price is secondary/);
  });

  it('refuses a node type the price book does not have', () => {
    expect(() =>
      priceUsage({
        platform: 'kubernetes',
        region: 'x',
        nodes: [{ type: 'p5.48xlarge', count: 1, hours: 1 }],
      }),
    ).toThrow(MigrateError);
  });
});
