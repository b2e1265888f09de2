import { describe, expect, it } from 'vitest';
import { MigrateError } from '../../core/errors.ts';
import {
  calibrationFile,
  measurementJson,
  parseInputShape,
  parseThreads,
  quantile,
  summarize,
  syntheticInput,
} from './summary.ts';

describe('calibration summaries', () => {
  it('nearest-rank quantiles report observed values', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(quantile(sorted, 0.5)).toBe(50);
    expect(quantile(sorted, 0.99)).toBe(99);
    expect(quantile(sorted, 1)).toBe(100);
    expect(summarize([3, 1, 2])).toEqual({ count: 3, mean: 2, p50: 2, p90: 3, p99: 3, max: 3 });
  });

  it('cold start is session creation plus first inference, per repetition', () => {
    const row = measurementJson({
      threads: 2,
      sessionCreateMs: [10, 20],
      firstInferenceMs: [1, 5],
      warmMs: [0.0001, 2],
    });
    expect(row.cpuMillis).toBe(2000);
    expect(row.coldStartMs.p50).toBe(11);
    expect(row.coldStartMs.max).toBe(25);
    expect(row.serviceMs.samples).toEqual([0.001, 2]);
  });

  it('the first thread setting fills the top-level keys', () => {
    const file = calibrationFile(
      [
        { threads: 4, sessionCreateMs: [8], firstInferenceMs: [2], warmMs: [1, 1, 3] },
        { threads: 1, sessionCreateMs: [9], firstInferenceMs: [4], warmMs: [5] },
      ],
      {
        model: 'm.onnx',
        inputShape: [1, 4],
        runs: 3,
        coldRepetitions: 1,
        tool: 'migrate test',
        host: { cpus: 2, cpuModel: 'x', platform: 'linux-x64', node: 'v20' },
        measuredAt: '2026-01-01T00:00:00.000Z',
      },
    );
    expect(file.measuredAtCpuMillis).toBe(4000);
    expect(file.coldStartMs).toEqual({ p50: 10, p99: 10 });
    expect(file.serviceMs.samples).toEqual([1, 1, 3]);
    expect(file.source.primaryThreads).toBe(4);
  });

  it('parses shapes and thread lists, refusing nonsense with MigrateError', () => {
    expect(parseInputShape('1x3x224x224')).toEqual([1, 3, 224, 224]);
    expect(() => parseInputShape('1x0')).toThrow(MigrateError);
    expect(() => parseInputShape('')).toThrow(MigrateError);
    expect(parseThreads(['2', '1', '2'])).toEqual([2, 1]);
    expect(() => parseThreads(['0'])).toThrow(MigrateError);
    const input = syntheticInput([2, 3]);
    expect(input).toHaveLength(6);
    expect(Math.max(...input)).toBeLessThan(1);
    expect(Math.min(...input)).toBeGreaterThanOrEqual(-1);
  });
});
