/**
 * A calibration file: measured numbers that replace the simulator's documented assumptions for one
 * workload. Every key is optional (docs/replay.md#calibration-file):
 *
 *   {
 *     "serviceMs": { "p50": 80, "p99": 400 }       // or { "samples": [72, 95, …] }, { "fixed": 100 }, { "mean": 100 } (exponential)
 *     "coldStartMs": { "p50": 2000, "p99": 6000 },  // or a number: serverless instance start (serverless models)
 *     "pod": { "schedulingSeconds": 2, "imagePullSeconds": 45, "modelLoadSeconds": 30, "readinessDelaySeconds": 0 },
 *     "node": { "provisioningSeconds": 300, "hourlyUsd": 0.91 },
 *     "nodeTypes": [ { "id": "g6.2xlarge", "cpuMillis": 8000, "memoryGiB": 32, "gpus": 1, "gpuModel": "nvidia-l4",
 *                      "hourlyUsd": 0.98, "provisioningSeconds": 360, "source": "our AWS bill, 2026-05" } ]
 *   }
 *
 * Parsing is pure: the CLI reads the file and passes the text.
 */

import { MigrateError } from '../../core/errors.ts';
import type { NodeType } from '../../core/pricing/nodes.ts';
import type { ServiceTimeSpec } from './service-time.ts';

export interface PodStartOverrides {
  schedulingSeconds?: number;
  imagePullSeconds?: number;
  modelLoadSeconds?: number;
  readinessDelaySeconds?: number;
}

export interface Calibration {
  file: string;
  serviceMs?: ServiceTimeSpec;
  coldStartMs?: { p50Ms: number; p99Ms: number };
  pod?: PodStartOverrides;
  node?: { provisioningSeconds?: number; hourlyUsd?: number };
  nodeTypes?: NodeType[];
  /** CPU (millicores) the service and cold-start times were measured at; `migrate calibrate` writes it. */
  measuredAtCpuMillis?: number;
  /** `migrate calibrate`'s per-thread-count figures and provenance, kept as written (docs/calibrate.md). */
  measurements?: unknown[];
  source?: Record<string, unknown>;
}

const TOP_KEYS = [
  'serviceMs',
  'coldStartMs',
  'pod',
  'node',
  'nodeTypes',
  'measuredAtCpuMillis',
  'measurements',
  'source',
];
const POD_KEYS = ['schedulingSeconds', 'imagePullSeconds', 'modelLoadSeconds', 'readinessDelaySeconds'];

export function parseCalibration(text: string, file: string): Calibration {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new MigrateError(`calibration ${file} is not valid JSON: ${(error as Error).message}`);
  }
  const fail = (field: string, why: string) =>
    new MigrateError(`calibration ${file}: ${field} ${why}`, {
      hint: 'see docs/replay.md#calibration-file for the keys and their units',
    });
  const root = object(raw, 'the file', fail);
  unknownKeys(root, TOP_KEYS, '', fail);
  const calibration: Calibration = { file };
  if (root.serviceMs !== undefined) calibration.serviceMs = serviceSpec(root.serviceMs, fail);
  if (root.coldStartMs !== undefined) calibration.coldStartMs = coldStart(root.coldStartMs, fail);
  if (root.pod !== undefined) {
    const pod = object(root.pod, 'pod', fail);
    unknownKeys(pod, POD_KEYS, 'pod.', fail);
    calibration.pod = {};
    for (const key of POD_KEYS)
      if (pod[key] !== undefined)
        calibration.pod[key as keyof PodStartOverrides] = nonNegative(pod[key], `pod.${key}`, fail);
  }
  if (root.node !== undefined) {
    const node = object(root.node, 'node', fail);
    unknownKeys(node, ['provisioningSeconds', 'hourlyUsd'], 'node.', fail);
    calibration.node = {};
    if (node.provisioningSeconds !== undefined)
      calibration.node.provisioningSeconds = nonNegative(
        node.provisioningSeconds,
        'node.provisioningSeconds',
        fail,
      );
    if (node.hourlyUsd !== undefined)
      calibration.node.hourlyUsd = nonNegative(node.hourlyUsd, 'node.hourlyUsd', fail);
  }
  if (root.nodeTypes !== undefined) {
    if (!Array.isArray(root.nodeTypes)) throw fail('nodeTypes', 'must be a list');
    calibration.nodeTypes = root.nodeTypes.map((entry, index) =>
      nodeType(entry, `nodeTypes[${index}]`, file, fail),
    );
  }
  if (root.measuredAtCpuMillis !== undefined)
    calibration.measuredAtCpuMillis = positive(root.measuredAtCpuMillis, 'measuredAtCpuMillis', fail);
  if (root.measurements !== undefined) {
    if (!Array.isArray(root.measurements)) throw fail('measurements', 'must be a list');
    calibration.measurements = root.measurements;
  }
  if (root.source !== undefined) calibration.source = object(root.source, 'source', fail);
  return calibration;
}

type Fail = (field: string, why: string) => MigrateError;

function object(value: unknown, field: string, fail: Fail): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw fail(field, 'must be an object');
  return value as Record<string, unknown>;
}

function unknownKeys(value: Record<string, unknown>, known: string[], prefix: string, fail: Fail) {
  const unknown = Object.keys(value).filter((key) => !known.includes(key));
  if (unknown.length) throw fail(`${prefix}${unknown[0]}`, `is not a known key (known: ${known.join(', ')})`);
}

function nonNegative(value: unknown, field: string, fail: Fail): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
    throw fail(field, `must be a number ≥ 0, got ${JSON.stringify(value)}`);
  return value;
}

function positive(value: unknown, field: string, fail: Fail): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0)
    throw fail(field, `must be a number > 0, got ${JSON.stringify(value)}`);
  return value;
}

function serviceSpec(value: unknown, fail: Fail): ServiceTimeSpec {
  const spec = object(value, 'serviceMs', fail);
  if (spec.samples !== undefined) {
    if (!Array.isArray(spec.samples) || spec.samples.length === 0)
      throw fail('serviceMs.samples', 'must be a non-empty list of ms');
    return {
      kind: 'samples',
      samplesMs: spec.samples.map((v, i) => positive(v, `serviceMs.samples[${i}]`, fail)),
    };
  }
  if (spec.fixed !== undefined) return { kind: 'fixed', ms: positive(spec.fixed, 'serviceMs.fixed', fail) };
  if (spec.mean !== undefined) return { kind: 'exp', meanMs: positive(spec.mean, 'serviceMs.mean', fail) };
  const p50Ms = positive(spec.p50, 'serviceMs.p50', fail);
  const p99Ms = positive(spec.p99, 'serviceMs.p99', fail);
  if (p99Ms < p50Ms) throw fail('serviceMs.p99', 'must be at least p50');
  return { kind: 'lognormal', p50Ms, p99Ms };
}

function coldStart(value: unknown, fail: Fail): { p50Ms: number; p99Ms: number } {
  if (typeof value === 'number') {
    const ms = nonNegative(value, 'coldStartMs', fail);
    return { p50Ms: ms, p99Ms: ms };
  }
  const spec = object(value, 'coldStartMs', fail);
  const p50Ms = nonNegative(spec.p50, 'coldStartMs.p50', fail);
  const p99Ms = nonNegative(spec.p99 ?? spec.p50, 'coldStartMs.p99', fail);
  return { p50Ms, p99Ms };
}

function nodeType(value: unknown, field: string, file: string, fail: Fail): NodeType {
  const entry = object(value, field, fail);
  if (typeof entry.id !== 'string' || entry.id === '') throw fail(`${field}.id`, 'must be a name');
  const gpus = entry.gpus === undefined ? 0 : nonNegative(entry.gpus, `${field}.gpus`, fail);
  const source = typeof entry.source === 'string' ? entry.source : `calibration ${file}`;
  return {
    id: entry.id,
    provider: 'custom',
    cpuMillis: positive(entry.cpuMillis, `${field}.cpuMillis`, fail),
    memoryBytes: positive(entry.memoryGiB, `${field}.memoryGiB`, fail) * 1024 ** 3,
    gpus,
    gpuModel: typeof entry.gpuModel === 'string' ? entry.gpuModel : null,
    hourlyUsd: nonNegative(entry.hourlyUsd, `${field}.hourlyUsd`, fail),
    priceSource: source,
    priceConfidence: 'primary',
    provisioningSeconds: nonNegative(
      entry.provisioningSeconds ?? (gpus > 0 ? 360 : 210),
      `${field}.provisioningSeconds`,
      fail,
    ),
    provisioningSource: entry.provisioningSeconds === undefined ? 'default of the node table' : source,
    minimumBilledSeconds: 60,
    billingSource: 'per second with a 60-s minimum (assumed)',
  };
}
