/**
 * The replay of one workload, as the pipeline runs it: the same inputs `migrate replay` builds from
 * its flags, with per-workload service times and pod concurrency (`--service-ms ID=DIST`). Pure.
 */

import { usageError } from '../../core/errors.ts';
import type { Finding, Workload } from '../../core/model/index.ts';
import type { TrafficProfile } from '../../core/traffic/index.ts';
import type { Calibration } from '../../loadtests/engine/calibration.ts';
import { blockedFromFindings, type ReplayInput, resolveServiceTime } from '../../loadtests/engine/replay.ts';
import type { ServiceTimeSpec } from '../../loadtests/engine/service-time.ts';
import type { ReplaySettings, ReplayTargetId } from '../../loadtests/platforms/types.ts';
import { parseWindow } from '../../loadtests/traffic/window.ts';

/** Client timeout when neither --timeout-ms nor the workload's own request timeout says (as replay). */
export const DEFAULT_TIMEOUT_MS = 60_000;

/** A value for every workload, and overrides for some: `--flag VALUE` and `--flag ns/Kind/name=VALUE`. */
export interface PerWorkload<T> {
  default: T | null;
  byWorkload: Record<string, T>;
}

export interface PipelineReplayOptions {
  targets: readonly ReplayTargetId[];
  seed: number;
  window: { text: string | undefined; maxSeconds: number | undefined };
  serviceMs: PerWorkload<ServiceTimeSpec>;
  podConcurrency: PerWorkload<number>;
  timeoutMs: number | null;
  sloMs: number | null;
  lb: ReplaySettings['lb'];
  nodeType: string | null;
  nodeTypes: ReplaySettings['nodeTypes'];
  maxNodes: number | null;
  calibration: Calibration | null;
  version: string;
}

/**
 * `VALUE` for every workload, `ns/Kind/name=VALUE` for one: the text before the first `=` is an id
 * when it has a slash, which no value of these flags has (`lognormal:p50=80,…` has none before its `=`).
 */
export function parsePerWorkload<T>(
  entries: readonly string[],
  flag: string,
  parse: (text: string) => T,
): PerWorkload<T> {
  const result: PerWorkload<T> = { default: null, byWorkload: {} };
  for (const entry of entries) {
    const equals = entry.indexOf('=');
    const id = equals > 0 && entry.slice(0, equals).includes('/') ? entry.slice(0, equals) : null;
    const value = parse(id ? entry.slice(equals + 1) : entry);
    if (id) result.byWorkload[id] = value;
    else if (result.default !== null)
      throw usageError(`--${flag} is given twice for every workload; name one with ID=…`);
    else result.default = value;
  }
  return result;
}

/** Per-workload values must name planned workloads: a typo would silently fall back to the default. */
export function checkPerWorkload(
  values: PerWorkload<unknown>,
  flag: string,
  planned: readonly string[],
): void {
  const unknown = Object.keys(values.byWorkload).filter((id) => !planned.includes(id));
  if (unknown.length)
    throw usageError(
      `--${flag} names ${unknown.join(', ')}, which this run does not replay`,
      `workloads: ${planned.join(', ')}`,
    );
}

export function pick<T>(values: PerWorkload<T>, id: string): T | null {
  return values.byWorkload[id] ?? values.default;
}

/** Everything `runReplay` needs for one workload; plain data, so it can cross to a worker thread. */
export function replayInputFor(
  workload: Workload,
  findings: readonly Finding[],
  profile: TrafficProfile,
  options: PipelineReplayOptions,
): ReplayInput {
  const calibration = options.calibration;
  const timeoutFromWorkload = workload.serving.timeoutSeconds ? workload.serving.timeoutSeconds * 1000 : null;
  const settings: ReplaySettings = {
    podConcurrency: pick(options.podConcurrency, workload.id),
    lb: options.lb,
    nodeType: options.nodeType,
    nodeTypes: options.nodeTypes,
    maxNodes: options.maxNodes,
    initialNodes: null,
    pod: { ...(calibration?.pod ?? {}) },
    nodeProvisioningSeconds: calibration?.node?.provisioningSeconds ?? null,
    nodeHourlyUsd: calibration?.node?.hourlyUsd ?? null,
    calibration,
    timeoutMs: options.timeoutMs ?? timeoutFromWorkload ?? DEFAULT_TIMEOUT_MS,
  };
  return {
    workload,
    blocked: blockedFromFindings(findings),
    profile,
    window: parseWindow(options.window.text, options.window.maxSeconds, profile),
    targets: options.targets,
    seed: options.seed,
    service: resolveServiceTime(pick(options.serviceMs, workload.id), calibration?.serviceMs, profile),
    settings,
    // As in analyze: the workload's own SLO annotation wins over the flag.
    sloMs: workload.serving.sloMs ?? options.sloMs,
    version: options.version,
  };
}

/** The mean of a service-time distribution: what the analysis and convert's warm sizing take as one number. */
export function meanServiceMs(spec: ServiceTimeSpec): number {
  switch (spec.kind) {
    case 'fixed':
      return spec.ms;
    case 'exp':
      return spec.meanMs;
    case 'lognormal': {
      const sigma = Math.log(spec.p99Ms / spec.p50Ms) / 2.3263478740408408;
      return Math.round(spec.p50Ms * Math.exp((sigma * sigma) / 2) * 10) / 10;
    }
    case 'samples':
      return spec.samplesMs.reduce((sum, value) => sum + value, 0) / Math.max(1, spec.samplesMs.length);
  }
}
