import { describe, expect, it } from 'vitest';
import { createRandom } from '../../core/random.ts';
import { parseCalibration } from './calibration.ts';
import { meanServiceMs, parseServiceSpec, serviceSampler } from './service-time.ts';

describe('--service-ms', () => {
  it('parses the three distributions', () => {
    expect(parseServiceSpec('fixed:100')).toEqual({ kind: 'fixed', ms: 100 });
    expect(parseServiceSpec('exp:40')).toEqual({ kind: 'exp', meanMs: 40 });
    expect(parseServiceSpec('lognormal:p50=80,p99=400')).toEqual({
      kind: 'lognormal',
      p50Ms: 80,
      p99Ms: 400,
    });
  });

  it('explains what is wrong', () => {
    expect(() => parseServiceSpec('gamma:3')).toThrow(/unknown distribution "gamma"/);
    expect(() => parseServiceSpec('fixed:-1')).toThrow(/positive number/);
    expect(() => parseServiceSpec('lognormal:p50=400,p99=80')).toThrow(/at least p50/);
    expect(() => parseServiceSpec('lognormal:p50=4,p95=8')).toThrow(/unknown key p95/);
  });

  it('draws a log-normal through the given median and 99th percentile', () => {
    const spec = parseServiceSpec('lognormal:p50=80,p99=400');
    const draw = serviceSampler(spec, createRandom(4));
    const values = Array.from({ length: 200_000 }, draw).sort((a, b) => a - b);
    expect(values[100_000]! / 80).toBeCloseTo(1, 1);
    expect(values[198_000]! / 400).toBeCloseTo(1, 1);
    const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
    expect(mean / meanServiceMs(spec)).toBeCloseTo(1, 1);
  });
});

describe('calibration file', () => {
  it('reads every documented key', () => {
    const calibration = parseCalibration(
      JSON.stringify({
        serviceMs: { samples: [50, 70, 90] },
        coldStartMs: { p50: 2000, p99: 6000 },
        pod: { imagePullSeconds: 45, modelLoadSeconds: 30 },
        node: { provisioningSeconds: 300, hourlyUsd: 0.9 },
        nodeTypes: [
          {
            id: 'g6.2xlarge',
            cpuMillis: 8000,
            memoryGiB: 32,
            gpus: 1,
            gpuModel: 'nvidia-l4',
            hourlyUsd: 0.98,
            source: 'bill',
          },
        ],
      }),
      'cal.json',
    );
    expect(calibration.serviceMs).toEqual({ kind: 'samples', samplesMs: [50, 70, 90] });
    expect(calibration.coldStartMs).toEqual({ p50Ms: 2000, p99Ms: 6000 });
    expect(calibration.pod).toEqual({ imagePullSeconds: 45, modelLoadSeconds: 30 });
    expect(calibration.nodeTypes![0]).toMatchObject({
      id: 'g6.2xlarge',
      gpus: 1,
      memoryBytes: 32 * 1024 ** 3,
      priceSource: 'bill',
    });
  });

  it('names the file and the field that is wrong', () => {
    expect(() => parseCalibration('{', 'c.json')).toThrow(/c\.json is not valid JSON/);
    expect(() => parseCalibration('{"pod": {"imagePull": 3}}', 'c.json')).toThrow(
      /c\.json: pod\.imagePull is not a known key/,
    );
    expect(() => parseCalibration('{"serviceMs": {"p50": -1, "p99": 2}}', 'c.json')).toThrow(
      /serviceMs\.p50 must be a number > 0/,
    );
  });
});
