/**
 * One run's measurements as the plain, rounded result reported for it (./result.ts). Rounding here,
 * once, keeps the JSON short and stable to diff.
 */

import type { ReplayTargetId } from '../platforms/types.ts';
import type { SpikeWindow } from '../traffic/spike.ts';
import type { LatencyHistogram } from './histogram.ts';
import type { RecoveryTracker } from './recorder.ts';
import type { LatencySummary, OkRun } from './result.ts';
import type { SimulationOutput } from './simulation.ts';
import type { Timeline } from './timeline.ts';

export interface RunMeasurements {
  target: ReplayTargetId;
  title: string;
  output: SimulationOutput;
  timeline: Timeline;
  spike: SpikeWindow | null;
  recovery: RecoveryTracker | null;
  sloMs: number | null;
}

export function summarizeRun(run: RunMeasurements): OkRun {
  const { output, timeline } = run;
  const { recorder, outcome } = output;
  const peaks = timeline.peaks();
  return {
    target: run.target,
    title: run.title,
    status: 'ok',
    requests: {
      total: recorder.total,
      served: recorder.served,
      timedOut: recorder.timedOut,
      throttled: recorder.throttled,
      dropped: recorder.dropped,
    },
    coldStarts: recorder.coldStarts,
    coldStartWaits: {
      requests: recorder.waitedForColdStart,
      share: recorder.total > 0 ? round(recorder.waitedForColdStart / recorder.total, 6) : 0,
    },
    latencyMs: summarize(recorder.latency),
    spikeLatencyMs: run.spike ? summarize(recorder.spikeLatency) : null,
    waitMs: { mean: maybeRound(recorder.wait.mean()), p99: maybeRound(recorder.wait.quantile(0.99)) },
    recovery: run.recovery && run.sloMs !== null ? recoveryJson(run.sloMs, run.recovery) : null,
    instances: { max: peaks.instancesMax, meanReady: round(peaks.readyMean) },
    nodes: { max: peaks.nodesMax },
    gpu: gpuJson(outcome.gpu),
    cost: {
      totalUsd: round(outcome.cost.totalUsd, 4),
      ...(outcome.cost.lowerBound ? { lowerBound: true } : {}),
      lines: outcome.cost.lines.map((line) => ({
        ...line,
        quantity: round(line.quantity, 4),
        usd: round(line.usd, 4),
      })),
    },
    milestones: Object.fromEntries(
      Object.entries(output.milestones).map(([name, ms]) => [name.replace(/Ms$/, 'Seconds'), ms / 1000]),
    ),
    littlesLaw: littleJson(recorder.littlesLaw(output.endMs)),
    simulatedSeconds: round(output.endMs / 1000),
    assumptions: outcome.assumptions,
    notes: outcome.notes,
    timeline: timeline.toJson(),
  };
}

function gpuJson(gpu: SimulationOutput['outcome']['gpu']): OkRun['gpu'] {
  if (!gpu) return null;
  return {
    allocatedSeconds: round(gpu.allocatedSeconds),
    podSeconds: round(gpu.podSeconds),
    busySeconds: round(gpu.busySeconds),
    idleFraction: round(gpu.idleFraction, 4),
    idleCostUsd: round(gpu.idleCostUsd, 4),
  };
}

function littleJson(little: OkRun['littlesLaw']): OkRun['littlesLaw'] {
  return {
    meanInSystem: round(little.meanInSystem, 4),
    throughputPerSecond: round(little.throughputPerSecond, 4),
    meanTimeInSystemMs: round(little.meanTimeInSystemMs),
    relativeError: round(little.relativeError, 6),
  };
}

function recoveryJson(sloMs: number, tracker: RecoveryTracker): OkRun['recovery'] {
  const { recoverySeconds, exceededSlo } = tracker.result();
  return { sloMs, seconds: recoverySeconds, exceededSlo };
}

function summarize(histogram: LatencyHistogram): LatencySummary {
  return {
    mean: maybeRound(histogram.mean()),
    p50: maybeRound(histogram.quantile(0.5)),
    p90: maybeRound(histogram.quantile(0.9)),
    p95: maybeRound(histogram.quantile(0.95)),
    p99: maybeRound(histogram.quantile(0.99)),
    p999: maybeRound(histogram.quantile(0.999)),
    max: histogram.count > 0 ? round(histogram.maxMs) : null,
  };
}

export function round(value: number, digits = 3): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

function maybeRound(value: number | null): number | null {
  return value === null ? null : round(value);
}
