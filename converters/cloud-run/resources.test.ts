import { describe, expect, it } from 'vitest';
import { CPU_TIERS } from './limits.ts';
import { cpuQuantity, fitInstance, type InstanceRequest, memoryQuantity } from './resources.ts';

const MiB = 2 ** 20;
const GiB = 2 ** 30;
const ask = (
  cpuMillis: number,
  memoryBytes: number,
  extra: Partial<InstanceRequest> = {},
): InstanceRequest => ({
  cpuMillis,
  memoryBytes,
  minCpuMillis: 0,
  minCpuWhy: null,
  minMemoryBytes: 0,
  minMemoryWhy: null,
  ...extra,
});

describe('the CPU/memory table (platform-facts.md f), every boundary', () => {
  it('is the table of the facts: 0.08 ≤ 512 MiB, 0.5 ≤ 1, 1 ≤ 4, 2 ≤ 8, 4 → 2–16, 6 → 4–24, 8 → 4–32 GiB', () => {
    expect(CPU_TIERS.map((tier) => [tier.cpuMillis, tier.minMemoryBytes, tier.maxMemoryBytes])).toEqual([
      [80, null, 512 * MiB],
      [500, null, 1 * GiB],
      [1000, null, 4 * GiB],
      [2000, null, 8 * GiB],
      [4000, 2 * GiB, 16 * GiB],
      [6000, 4 * GiB, 24 * GiB],
      [8000, 4 * GiB, 32 * GiB],
    ]);
  });

  // [CPU asked, memory asked, CPU given, memory given]
  it.each([
    [80, 512 * MiB, 80, 512 * MiB],
    [80, 512 * MiB + MiB, 500, 513 * MiB],
    [81, 256 * MiB, 500, 512 * MiB],
    [500, 1 * GiB, 500, 1 * GiB],
    [500, 1 * GiB + MiB, 1000, 1025 * MiB],
    [501, 512 * MiB, 1000, 512 * MiB],
    [1000, 4 * GiB, 1000, 4 * GiB],
    [1000, 4 * GiB + MiB, 2000, 4097 * MiB],
    [1001, 1 * GiB, 2000, 1 * GiB],
    [2000, 8 * GiB, 2000, 8 * GiB],
    [2000, 8 * GiB + MiB, 4000, 8193 * MiB],
    [2001, 1 * GiB, 4000, 2 * GiB],
    [4000, 2 * GiB, 4000, 2 * GiB],
    [4000, 16 * GiB, 4000, 16 * GiB],
    [4000, 16 * GiB + MiB, 6000, 16385 * MiB],
    [4001, 2 * GiB, 6000, 4 * GiB],
    [6000, 4 * GiB, 6000, 4 * GiB],
    [6000, 24 * GiB, 6000, 24 * GiB],
    [6000, 24 * GiB + MiB, 8000, 24577 * MiB],
    [6001, 4 * GiB, 8000, 4 * GiB],
    [8000, 32 * GiB, 8000, 32 * GiB],
  ])('%i m CPU and %i bytes → %i m, %i bytes', (cpu, memory, cpuGiven, memoryGiven) => {
    const size = fitInstance(ask(cpu, memory));

    expect([size?.cpuMillis, size?.memoryBytes]).toEqual([cpuGiven, memoryGiven]);
  });

  it('nothing holds more than 8 vCPU or 32 GiB', () => {
    expect(fitInstance(ask(8001, 4 * GiB))).toBeNull();
    expect(fitInstance(ask(8000, 32 * GiB + MiB))).toBeNull();
  });

  it('rounds memory up to whole MiB and never below 512 MiB', () => {
    expect(fitInstance(ask(1000, 1.5 * MiB))!.memoryBytes).toBe(512 * MiB);
    expect(fitInstance(ask(1000, 700 * MiB + 1))!.memoryBytes).toBe(701 * MiB);
  });

  it('says why the CPU went up: the next CPU value, or the memory it must hold', () => {
    expect(fitInstance(ask(1500, 1 * GiB))!.cpuRaised).toBe(
      '2 vCPU is the next CPU value Cloud Run offers above 1.5 vCPU',
    );
    expect(fitInstance(ask(1000, 6 * GiB))!.cpuRaised).toBe(
      '6 GiB of memory needs at least 2 vCPU (1 vCPU allows 4 GiB at most)',
    );
    expect(fitInstance(ask(2000, 6 * GiB))!.cpuRaised).toBeNull();
  });

  it('says why the memory went up: the CPU value needs more, or the 512 MiB floor', () => {
    expect(fitInstance(ask(6000, 2 * GiB))!.memoryRaised).toBe('6 vCPU needs at least 4 GiB of memory');
    expect(fitInstance(ask(1000, 128 * MiB))!.memoryRaised).toMatch(
      /^512 MiB is the smallest memory migrate emits/,
    );
    expect(fitInstance(ask(1000, 2 * GiB))!.memoryRaised).toBeNull();
  });

  it('applies a floor with its reason (an L4 GPU: 4 vCPU, 16 GiB)', () => {
    const size = fitInstance(
      ask(2000, 8 * GiB, {
        minCpuMillis: 4000,
        minCpuWhy: 'GPU CPU',
        minMemoryBytes: 16 * GiB,
        minMemoryWhy: 'GPU memory',
      }),
    )!;

    expect([size.cpuMillis, size.memoryBytes, size.cpuRaised, size.memoryRaised]).toEqual([
      4000,
      16 * GiB,
      'GPU CPU',
      'GPU memory',
    ]);
  });

  it('a GPU pod with 25 GiB needs 8 vCPU: 6 vCPU hold 24 GiB at most', () => {
    const size = fitInstance(
      ask(2000, 25 * GiB, { minCpuMillis: 4000, minCpuWhy: 'GPU', minMemoryBytes: 16 * GiB }),
    )!;

    expect([size.cpuMillis, size.memoryBytes]).toEqual([8000, 25 * GiB]);
    expect(size.cpuRaised).toBe('GPU; 25 GiB of memory needs at least 8 vCPU (4 vCPU allows 16 GiB at most)');
  });
});

describe("Cloud Run's spelling of the quantities", () => {
  it.each([
    [80, '80m'],
    [500, '500m'],
    [1000, '1'],
    [8000, '8'],
  ])('cpu %i m → %s', (millis, text) => expect(cpuQuantity(millis)).toBe(text));

  it.each([
    [512 * MiB, '512Mi'],
    [2 * GiB, '2Gi'],
    [1025 * MiB, '1025Mi'],
  ])('memory %i → %s', (bytes, text) => expect(memoryQuantity(bytes)).toBe(text));
});
