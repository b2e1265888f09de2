import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import {
  encodeLinearModel,
  linearReference,
  TINY_MODEL,
} from '../converters/cold-start/scaffolds/testing/tiny-onnx.ts';
import type { CalibrationFileJson } from '../loadtests/calibrate/index.ts';
import { parseCalibration } from '../loadtests/engine/calibration.ts';
import type { OkRun, ReplayReport } from '../loadtests/engine/result.ts';
import { runCli } from './helpers/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'migrate-calibrate-'));
const model = join(dir, 'tiny.onnx');
writeFileSync(model, encodeLinearModel());
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('migrate calibrate on the tiny ONNX model', () => {
  const out = join(dir, 'calibration.json');
  let file: CalibrationFileJson;

  it('writes per-thread measurements and the top-level figures replay uses', async () => {
    const { code, stderr } = await runCli([
      'calibrate',
      model,
      '--threads',
      '1,2',
      '--input-shape',
      '1x4',
      '--runs',
      '50',
      '--cold-runs',
      '3',
      '--out',
      out,
    ]);
    expect(code, stderr).toBe(0);
    expect(stderr).toMatch(/threads 1: cold start p50 [\d.]+ ms/);
    file = JSON.parse(readFileSync(out, 'utf8')) as CalibrationFileJson;
    expect(file.measurements.map((row) => row.threads)).toEqual([1, 2]);
    expect(file.measuredAtCpuMillis).toBe(1000);
    expect(file.source.inputShape).toEqual([1, 4]);
    expect(file.source.primaryThreads).toBe(1);
    for (const row of file.measurements) {
      expect(row.cpuMillis).toBe(row.threads * 1000);
      expect(row.serviceMs.samples).toHaveLength(50);
      expect(row.serviceMs.samples.every((ms) => ms > 0)).toBe(true);
      expect(row.sessionCreateMs.count).toBe(3);
      expect(row.coldStartMs.count).toBe(3);
      expect(row.serviceMs.p50).toBeLessThanOrEqual(row.serviceMs.p99);
      // A cold start is a session creation plus a first run, so it exceeds each of them alone.
      expect(row.coldStartMs.max).toBeGreaterThanOrEqual(row.sessionCreateMs.max);
      expect(row.coldStartMs.p50).toBeGreaterThan(0);
    }
    const primary = file.measurements[0]!;
    expect(file.serviceMs.samples).toEqual(primary.serviceMs.samples);
    expect(file.coldStartMs).toEqual({ p50: primary.coldStartMs.p50, p99: primary.coldStartMs.p99 });
  });

  it('the file parses as a calibration, and `migrate replay --calibration` runs with it', async () => {
    const parsed = parseCalibration(readFileSync(out, 'utf8'), out);
    expect(parsed.serviceMs?.kind).toBe('samples');
    expect(parsed.coldStartMs?.p50Ms).toBe(file.coldStartMs.p50);
    expect(parsed.measuredAtCpuMillis).toBe(1000);
    const { code, stdout, stderr } = await runCli([
      'replay',
      'examples/k8s',
      '--workload',
      'ml/InferenceService/fraud-scoring',
      '--spike',
      'constant:rate=5,duration=1m',
      '--calibration',
      out,
      '--targets',
      'kubernetes',
      '--format',
      'json',
    ]);
    expect(code, stderr).toBe(0);
    const report = JSON.parse(stdout) as ReplayReport;
    expect(report.settings.serviceTime).toMatch(/calibration file/);
    const run = report.runs.find((entry) => entry.target === 'kubernetes') as OkRun;
    expect(run.status).toBe('ok');
    expect(run.requests.served).toBeGreaterThan(0);
    // Service times come from the samples, all well under a second on this model.
    expect(run.latencyMs.max!).toBeLessThan(1000);
  });

  it('a missing model and a bad shape are user errors (exit 2) with a hint', async () => {
    const missing = await runCli(['calibrate', join(dir, 'nope.onnx')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no such file/);
    const bad = await runCli(['calibrate', model, '--input-shape', '1xfour']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/hint: /);
    const wrong = await runCli(['calibrate', model, '--input-shape', '1x5', '--runs', '1']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/running .* failed/);
  });
});

describe('the tiny model under onnxruntime-node matches X·W + B in plain TypeScript', () => {
  it('predicts a batch within float32 rounding of the reference', async () => {
    const inputs = [
      [1, 2, 3, 4],
      [-0.5, 0.25, 8, -3],
      [0, 0, 0, 0],
    ];
    const session = await InferenceSession.create(model);
    const result = await session.run({ X: new Tensor('float32', Float32Array.from(inputs.flat()), [3, 4]) });
    await session.release();
    const y = result.Y!;
    expect(y.dims).toEqual([3, TINY_MODEL.b.length]);
    const expected = linearReference(inputs);
    const got = Array.from(y.data as Float32Array);
    for (const [index, value] of expected.flat().entries()) expect(got[index]).toBeCloseTo(value, 5);
  });
});
