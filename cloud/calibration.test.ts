import { describe, expect, it } from 'vitest';
import { parseCalibration } from '../loadtests/engine/calibration.ts';
import { measuredCalibration } from './calibration.ts';
import type { MeasureSamples } from './types.ts';

const context = {
  target: 'aws-lambda' as const,
  name: 'ml-fraud-scoring',
  requests: 8,
  concurrency: 3,
  tool: 'migrate test',
  measuredAt: '2026-11-28T00:00:00.000Z',
};

const samples: MeasureSamples = {
  coldStartMs: [250.5, 300, 240],
  serviceMs: [12.25, 10, 11, 13, 9],
  failures: { throttled: 1, 'FunctionError: Unhandled': 2 },
  cpuMillis: 579,
  method: 'Init Duration from the REPORT line',
  facts: { functionArn: 'arn:aws:lambda:eu-west-1:1:function:x', memoryMb: 1024 },
};

describe('measuredCalibration', () => {
  it('writes a file replay reads, with the measured cold starts and service times', () => {
    const file = measuredCalibration(samples, context);
    const parsed = parseCalibration(JSON.stringify(file), 'measured.json');
    expect(parsed.coldStartMs).toEqual({ p50Ms: 250.5, p99Ms: 300 });
    expect(parsed.serviceMs).toEqual({ kind: 'samples', samplesMs: [12.25, 10, 11, 13, 9] });
    expect(parsed.measuredAtCpuMillis).toBe(579);
    expect(file.source).toMatchObject({ coldStarts: 3, requests: 8, memoryMb: 1024, target: 'aws-lambda' });
    expect(Object.keys(file.measurements[0]!.failures)).toEqual(['FunctionError: Unhandled', 'throttled']);
  });

  it('leaves coldStartMs out when no cold start was seen, rather than writing zero', () => {
    const file = measuredCalibration({ ...samples, coldStartMs: [], cpuMillis: null }, context);
    expect(file.coldStartMs).toBeUndefined();
    expect(file.measuredAtCpuMillis).toBeUndefined();
    expect(parseCalibration(JSON.stringify(file), 'x.json').coldStartMs).toBeUndefined();
  });

  it('refuses a measurement without one successful warm request', () => {
    expect(() => measuredCalibration({ ...samples, serviceMs: [] }, context)).toThrow(
      /no successful warm request of ml-fraud-scoring \(2 FunctionError: Unhandled, 1 throttled\)/,
    );
  });
});
