/**
 * What every serverless model needs about one instance: how long it takes to start (cold start) and
 * how much slower it serves than the machine the service times were measured on.
 */

import type { Random } from '../../../../core/random.ts';
import { serviceSampler } from '../../../engine/service-time.ts';
import { podStartDefaults, type Sourced } from '../../kubernetes/defaults.ts';
import type { Assumption, ReplaySettings } from '../../types.ts';

export interface ColdStart {
  /** Draws one instance start, ms. */
  sampleMs: () => number;
  /** The median start, ms (reports and checks). */
  medianMs: number;
}

/**
 * An instance's start, first match wins:
 *
 * 1. the calibration file's `coldStartMs` — measured on the platform, the whole start (a log-normal
 *    through its p50 and p99, fixed when they are equal);
 * 2. the platform's own start (`platformMs`, 0 where the model has none) + the model load:
 *    `--model-load-seconds` or the calibration file's `pod.modelLoadSeconds`, else the kubernetes
 *    model's default, so every target loads the same model in the same time.
 */
export function coldStart(
  settings: ReplaySettings,
  random: Random,
  options: { name: string; gpu: boolean; platformMs: Sourced<number> },
  assumptions: Assumption[],
): ColdStart {
  const measured = settings.calibration?.coldStartMs;
  if (measured) {
    assumptions.push({
      name: options.name,
      value: `p50 ${measured.p50Ms} ms, p99 ${measured.p99Ms} ms`,
      source: `coldStartMs in the calibration file ${settings.calibration!.file}`,
    });
    const sample =
      measured.p99Ms > measured.p50Ms && measured.p50Ms > 0
        ? serviceSampler({ kind: 'lognormal', p50Ms: measured.p50Ms, p99Ms: measured.p99Ms }, random)
        : () => measured.p50Ms;
    return { sampleMs: sample, medianMs: measured.p50Ms };
  }
  const given = settings.pod.modelLoadSeconds;
  const fallback = podStartDefaults(options.gpu).modelLoadSeconds;
  const loadMs = (given ?? fallback.value) * 1000;
  const platformMs = options.platformMs.value;
  assumptions.push({
    name: options.name,
    value: `${platformMs + loadMs} ms = platform start ${platformMs} ms + model load ${loadMs} ms`,
    source: `platform start: ${options.platformMs.source}; model load: ${given !== undefined ? 'flag or calibration file (pod.modelLoadSeconds)' : fallback.source}`,
  });
  const total = platformMs + loadMs;
  return { sampleMs: () => total, medianMs: total };
}

/**
 * How much longer a request takes on an instance with less CPU than the machine its service time was
 * measured on: `measuredAtCpuMillis / instanceCpuMillis` when the instance has fewer, else 1. The
 * service is assumed CPU-bound and able to use every core it was measured with (the worst case).
 */
export function cpuSlowdown(
  settings: ReplaySettings,
  instanceCpuMillis: number,
  instanceCpuSource: string,
  assumptions: Assumption[],
): number {
  const measured = measuredAtCpuMillis(settings);
  if (measured === null) return 1;
  const factor = instanceCpuMillis < measured ? measured / instanceCpuMillis : 1;
  assumptions.push({
    name: 'serviceTime.cpuFactor',
    value: `× ${round(factor)} (measured at ${measured}m CPU, the instance has ${round(instanceCpuMillis)}m)`,
    source: `calibration file measuredAtCpuMillis; instance CPU: ${instanceCpuSource}`,
  });
  return factor;
}

/** `measuredAtCpuMillis` of the calibration file, when it has one (the CPU its service times were measured at). */
export function measuredAtCpuMillis(settings: ReplaySettings): number | null {
  const value = (settings.calibration as { measuredAtCpuMillis?: unknown } | null)?.measuredAtCpuMillis;
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : null;
}

const round = (value: number) => Math.round(value * 1000) / 1000;
