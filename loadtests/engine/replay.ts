/**
 * `migrate replay` without its edges: one workload, one traffic profile, the same seeded arrivals
 * and service times pushed through every target's model, one result per target — run, blocked by
 * the analysis, or not implemented yet; never silently missing. Pure apart from the progress callback.
 */

import { MigrateError } from '../../core/errors.ts';
import { type Finding, TARGETS, type Workload } from '../../core/model/index.ts';
import { describeOrigin, type TrafficProfile } from '../../core/traffic/index.ts';
import { platformFor } from '../platforms/index.ts';
import type { PlatformModule, ReplaySettings, ReplayTargetId } from '../platforms/types.ts';
import { arrivalMode, createArrivals } from '../traffic/arrivals.ts';
import { findSpike, type SpikeWindow } from '../traffic/spike.ts';
import type { ReplayWindow } from '../traffic/window.ts';
import { RecoveryTracker } from './recorder.ts';
import { type OkRun, REPLAY_SCHEMA_VERSION, type ReplayReport, type RunResult } from './result.ts';
import { describeServiceSpec, type ServiceTimeSpec, serviceSampler } from './service-time.ts';
import { Engine } from './simulation.ts';
import { randomStream } from './streams.ts';
import { round, summarizeRun } from './summary.ts';
import { Timeline, timelineStepSeconds } from './timeline.ts';

export interface ReplayInput {
  workload: Workload;
  /** What the analysis says of each serverless target: blocked targets are reported with the reasons. */
  blocked: Partial<Record<ReplayTargetId, string[]>>;
  profile: TrafficProfile;
  window: ReplayWindow;
  targets: readonly ReplayTargetId[];
  seed: number;
  /** Service times for requests the trace has none for; `source` says where the spec came from. */
  service: { spec: ServiceTimeSpec | null; source: string };
  settings: ReplaySettings;
  sloMs: number | null;
  version: string;
  onProgress?: (target: ReplayTargetId, fraction: number) => void;
  /** Models to use instead of the registry (tests). */
  modules?: readonly PlatformModule[];
}

/**
 * Service times, first match wins: `--service-ms`, the calibration file, the traffic's latency
 * distribution (a log-normal through its p50 and p99). A trace's own per-request durations are used
 * where present; this is the fallback for the rest.
 */
export function resolveServiceTime(
  flag: ServiceTimeSpec | null,
  calibration: ServiceTimeSpec | undefined,
  profile: TrafficProfile,
): { spec: ServiceTimeSpec | null; source: string } {
  if (flag) return { spec: flag, source: '--service-ms' };
  if (calibration) return { spec: calibration, source: 'calibration file' };
  const traced = profile.serviceTimesMs?.every((value) => value !== null) ?? false;
  if (traced) return { spec: null, source: 'the trace (per request)' };
  const latency = profile.latency;
  if (latency?.p50Ms && latency.p99Ms && latency.p99Ms >= latency.p50Ms)
    return {
      spec: { kind: 'lognormal', p50Ms: latency.p50Ms, p99Ms: latency.p99Ms },
      source: `log-normal through the traffic's latency p50/p99 (${latency.source})`,
    };
  throw new MigrateError('replay needs a service time per request, and the traffic has none', {
    hint: 'pass --service-ms (fixed:100, exp:100 or lognormal:p50=80,p99=400) or a calibration file with serviceMs',
  });
}

/** Serverless targets the analysis blocks, with its reasons (`[rule] message`). */
export function blockedFromFindings(findings: readonly Finding[]): Partial<Record<ReplayTargetId, string[]>> {
  const blocked: Partial<Record<ReplayTargetId, string[]>> = {};
  for (const target of TARGETS) {
    const reasons = findings
      .filter(
        (finding) =>
          finding.severity === 'block' && (finding.targets.length === 0 || finding.targets.includes(target)),
      )
      .map((finding) => `[${finding.rule}] ${finding.message}`);
    if (reasons.length > 0) blocked[target] = reasons;
  }
  return blocked;
}

export function runReplay(input: ReplayInput): ReplayReport {
  const { profile, window } = input;
  const spike = findSpike(profile, window);
  const runs: RunResult[] = input.targets.map((target) => runTarget(input, target, spike));
  const firstOk = runs.find((run): run is OkRun => run.status === 'ok');
  return {
    schemaVersion: REPLAY_SCHEMA_VERSION,
    tool: { name: 'migrate', version: input.version },
    workload: {
      id: input.workload.id,
      kind: input.workload.kind,
      sources: input.workload.sources.map(
        (source) => `${source.file}${source.line ? `:${source.line}` : ''}`,
      ),
    },
    traffic: {
      origin: describeOrigin(profile.origin),
      mode: arrivalMode(profile),
      window: { startSeconds: window.startMs / 1000, endSeconds: window.endMs / 1000 },
      requests: firstOk?.requests.total ?? countArrivals(input),
      spike: spike
        ? {
            startSeconds: spike.startMs / 1000,
            endSeconds: spike.endMs / 1000,
            thresholdRequestsPerMinute: round(spike.thresholdRequestsPerMinute),
            peakRequestsPerMinute: round(spike.peakRequestsPerMinute),
          }
        : null,
      warnings: profile.warnings,
    },
    settings: {
      seed: input.seed,
      timeoutMs: input.settings.timeoutMs,
      sloMs: input.sloMs,
      serviceTime: input.service.spec
        ? `${describeServiceSpec(input.service.spec)} (${input.service.source})`
        : input.service.source,
      lb: input.settings.lb,
      targets: [...input.targets],
    },
    runs,
  };
}

function countArrivals(input: ReplayInput): number {
  const arrivals = createArrivals(input.profile, input.window, randomStream(input.seed, 'arrivals'));
  let count = 0;
  for (; arrivals.nextMs !== Number.POSITIVE_INFINITY; arrivals.advance()) count += 1;
  return count;
}

function runTarget(input: ReplayInput, target: ReplayTargetId, spike: SpikeWindow | null): RunResult {
  const module = (input.modules ?? []).find((entry) => entry.meta.id === target) ?? platformFor(target);
  const title = module?.meta.title ?? target;
  const blocked = input.blocked[target];
  if (blocked && blocked.length > 0) return { target, title, status: 'blocked', reasons: blocked };
  if (!module)
    return {
      target,
      title,
      status: 'not-implemented',
      reasons: [
        `no ${target} model yet: add loadtests/platforms/${target}/ (see loadtests/platforms/types.ts)`,
      ],
    };
  const arrivals = createArrivals(input.profile, input.window, randomStream(input.seed, 'arrivals'));
  const fallback = input.service.spec;
  const timeline = new Timeline(timelineStepSeconds(arrivals.durationMs));
  // The worst wait per second is kept from the spike's start to the end of the traffic (a day at most).
  const horizonMs = spike
    ? Math.min(arrivals.durationMs - spike.startMs + input.settings.timeoutMs, 86_400_000)
    : 0;
  const recovery =
    spike && input.sloMs !== null ? new RecoveryTracker(spike.startMs, horizonMs, input.sloMs) : null;
  const engine = new Engine({
    module,
    workload: input.workload,
    settings: input.settings,
    arrivals,
    serviceMs: fallback ? serviceSampler(fallback, randomStream(input.seed, 'service')) : () => 0,
    seed: input.seed,
    timeline,
    spike,
    recovery,
    ...(input.onProgress ? { onProgress: (fraction: number) => input.onProgress!(target, fraction) } : {}),
  });
  return summarizeRun({ target, title, output: engine.run(), timeline, spike, recovery, sloMs: input.sloMs });
}
