/**
 * `migrate measure`'s output: a calibration file `migrate replay --calibration` reads
 * (loadtests/engine/calibration.ts), built from what a target measured on the real platform. Pure.
 */

import { MigrateError } from '../core/errors.ts';
import { type DistributionSummary, summarize } from '../loadtests/calibrate/summary.ts';
import type { CloudTargetId, MeasureSamples } from './types.ts';

export interface MeasuredCalibrationJson {
  serviceMs: { samples: number[] };
  coldStartMs?: { p50: number; p99: number };
  measuredAtCpuMillis?: number;
  measurements: {
    target: CloudTargetId;
    name: string;
    coldStartMs: DistributionSummary | null;
    serviceMs: DistributionSummary;
    failures: Record<string, number>;
  }[];
  source: Record<string, string | number>;
}

export interface MeasureContext {
  target: CloudTargetId;
  name: string;
  requests: number;
  concurrency: number;
  tool: string;
  measuredAt: string;
}

const round3 = (value: number) => Math.round(value * 1000) / 1000;

export function measuredCalibration(
  samples: MeasureSamples,
  context: MeasureContext,
): MeasuredCalibrationJson {
  if (samples.serviceMs.length === 0)
    throw new MigrateError(
      `measured no successful warm request of ${context.name} (${describeFailures(samples.failures)})`,
      {
        hint: 'send more requests than --concurrency so some reach a warm instance, and check the failures above',
      },
    );
  const cold = samples.coldStartMs.length ? summarize(samples.coldStartMs) : null;
  return {
    serviceMs: { samples: samples.serviceMs.map((value) => Math.max(0.001, round3(value))) },
    ...(cold ? { coldStartMs: { p50: cold.p50, p99: cold.p99 } } : {}),
    ...(samples.cpuMillis !== null ? { measuredAtCpuMillis: samples.cpuMillis } : {}),
    measurements: [
      {
        target: context.target,
        name: context.name,
        coldStartMs: cold,
        serviceMs: summarize(samples.serviceMs),
        failures: sortedFailures(samples.failures),
      },
    ],
    source: {
      tool: context.tool,
      target: context.target,
      name: context.name,
      requests: context.requests,
      concurrency: context.concurrency,
      coldStarts: samples.coldStartMs.length,
      method: samples.method,
      ...samples.facts,
      measuredAt: context.measuredAt,
    },
  };
}

export function describeFailures(failures: Record<string, number>): string {
  const entries = Object.entries(sortedFailures(failures));
  return entries.length ? entries.map(([reason, count]) => `${count} ${reason}`).join(', ') : 'no failures';
}

function sortedFailures(failures: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(failures).sort(([a], [b]) => a.localeCompare(b)));
}
