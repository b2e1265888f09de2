/**
 * Pure half of `migrate calibrate`: turns raw timings into the calibration file that `migrate replay`
 * reads (loadtests/engine/calibration.ts, docs/calibrate.md). No I/O here; measure.ts does the timing.
 */

import { MigrateError } from '../../core/errors.ts';

/** Raw timings for one intraOpNumThreads setting. */
export interface ThreadMeasurement {
  threads: number;
  /** InferenceSession.create, one per cold repetition (ms). */
  sessionCreateMs: number[];
  /** The first session.run on each fresh session (ms). */
  firstInferenceMs: number[];
  /** Warm session.run timings on one session after the first (ms). */
  warmMs: number[];
}

export interface DistributionSummary {
  count: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export interface CalibrationMeasurementJson {
  threads: number;
  /** CPU this setting stands for in the replay models: one core per thread (1000 millicores each). */
  cpuMillis: number;
  sessionCreateMs: DistributionSummary;
  firstInferenceMs: DistributionSummary;
  /** Session creation + first inference, per repetition: what an instance adds to a cold request. */
  coldStartMs: DistributionSummary;
  serviceMs: DistributionSummary & { samples: number[] };
}

export interface CalibrationFileJson {
  serviceMs: { samples: number[] };
  coldStartMs: { p50: number; p99: number };
  measuredAtCpuMillis: number;
  measurements: CalibrationMeasurementJson[];
  source: {
    tool: string;
    model: string;
    inputShape: number[];
    runs: number;
    coldRepetitions: number;
    primaryThreads: number;
    host: { cpus: number; cpuModel: string; platform: string; node: string };
    measuredAt: string;
  };
}

const round3 = (value: number) => Math.round(value * 1000) / 1000;

/** Nearest-rank quantile of sorted values (no interpolation: every reported figure was observed). */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) throw new RangeError('quantile of no values');
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1]!;
}

export function summarize(values: readonly number[]): DistributionSummary {
  const sorted = [...values].sort((a, b) => a - b);
  const mean = sorted.reduce((sum, value) => sum + value, 0) / sorted.length;
  return {
    count: sorted.length,
    mean: round3(mean),
    p50: round3(quantile(sorted, 0.5)),
    p90: round3(quantile(sorted, 0.9)),
    p99: round3(quantile(sorted, 0.99)),
    max: round3(sorted[sorted.length - 1]!),
  };
}

/** Replay wants positive service times; a sub-microsecond timing is recorded as 1 µs. */
const positiveMs = (value: number) => Math.max(0.001, round3(value));

export function measurementJson(measurement: ThreadMeasurement): CalibrationMeasurementJson {
  const { threads, sessionCreateMs, firstInferenceMs, warmMs } = measurement;
  if (
    sessionCreateMs.length === 0 ||
    sessionCreateMs.length !== firstInferenceMs.length ||
    warmMs.length === 0
  )
    throw new RangeError('a measurement needs as many first inferences as sessions, and warm runs');
  const cold = sessionCreateMs.map((create, index) => create + firstInferenceMs[index]!);
  return {
    threads,
    cpuMillis: threads * 1000,
    sessionCreateMs: summarize(sessionCreateMs),
    firstInferenceMs: summarize(firstInferenceMs),
    coldStartMs: summarize(cold),
    serviceMs: { ...summarize(warmMs), samples: warmMs.map(positiveMs) },
  };
}

export interface CalibrationContext {
  model: string;
  inputShape: number[];
  runs: number;
  coldRepetitions: number;
  tool: string;
  host: CalibrationFileJson['source']['host'];
  measuredAt: string;
}

/**
 * The file: the top-level `serviceMs`/`coldStartMs` (what replay uses) come from the first thread
 * setting; every setting is kept under `measurements` for comparison and for a later replay at another
 * CPU size.
 */
export function calibrationFile(
  measurements: readonly ThreadMeasurement[],
  context: CalibrationContext,
): CalibrationFileJson {
  if (measurements.length === 0) throw new MigrateError('calibrate measured nothing');
  const rows = measurements.map(measurementJson);
  const primary = rows[0]!;
  return {
    serviceMs: { samples: primary.serviceMs.samples },
    coldStartMs: { p50: primary.coldStartMs.p50, p99: primary.coldStartMs.p99 },
    measuredAtCpuMillis: primary.cpuMillis,
    measurements: rows,
    source: {
      tool: context.tool,
      model: context.model,
      inputShape: context.inputShape,
      runs: context.runs,
      coldRepetitions: context.coldRepetitions,
      primaryThreads: primary.threads,
      host: context.host,
      measuredAt: context.measuredAt,
    },
  };
}

/** `1x4` -> [1, 4]; every dimension a whole number ≥ 1. */
export function parseInputShape(text: string): number[] {
  const dims = text.split(/[x×,]/).map((part) => part.trim());
  const shape = dims.map(Number);
  if (dims.length === 0 || shape.some((d, i) => dims[i] === '' || !Number.isInteger(d) || d < 1))
    throw new MigrateError(`--input-shape must be dimensions like 1x4; got ${JSON.stringify(text)}`, {
      hint: 'give every dimension of the model input, batch first, e.g. --input-shape 1x3x224x224',
    });
  return shape;
}

/** `1,2,4` -> [1, 2, 4], kept in the order given (the first is the one replay uses). */
export function parseThreads(values: readonly string[]): number[] {
  const threads = values.map(Number);
  const bad = values.find((_value, i) => !Number.isInteger(threads[i]) || threads[i]! < 1);
  if (bad !== undefined)
    throw new MigrateError(`--threads must be whole numbers ≥ 1; got ${JSON.stringify(bad)}`, {
      hint: 'for example --threads 1,2,4',
    });
  return [...new Set(threads)];
}

/**
 * Deterministic input values in [-1, 1) so runs are repeatable; the value does not change a dense
 * model's timing.
 */
export function syntheticInput(shape: readonly number[]): Float32Array {
  const size = shape.reduce((n, d) => n * d, 1);
  const data = new Float32Array(size);
  for (let i = 0; i < size; i += 1) data[i] = ((i * 37) % 64) / 32 - 1;
  return data;
}
