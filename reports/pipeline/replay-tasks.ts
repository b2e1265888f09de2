/**
 * Replays split into tasks of one workload × one target, and merged back into one report per
 * workload. A task's result is exactly that target's run in a replay of all targets (each target
 * draws from its own seeded streams), so the merge equals the one-process replay byte for byte.
 */

import { type ReplayInput, runReplay } from '../../loadtests/engine/replay.ts';
import type { OkRun, ReplayReport } from '../../loadtests/engine/result.ts';
import type { ReplayTargetId } from '../../loadtests/platforms/types.ts';

export interface ReplayTask {
  /** Position of the workload in the slice: results are merged in this order, whatever finishes first. */
  workload: number;
  target: ReplayTargetId;
  /** Tasks with the same key share one traffic profile: it crosses to each worker thread once. */
  profileKey: string;
  input: ReplayInput;
}

export function replayTasks(inputs: readonly ReplayInput[], profileKeys: readonly string[]): ReplayTask[] {
  return inputs.flatMap((input, workload) =>
    input.targets.map((target) => ({ workload, target, profileKey: profileKeys[workload]!, input })),
  );
}

export function runTask(input: ReplayInput, target: ReplayTargetId): ReplayReport {
  return runReplay({ ...input, targets: [target] });
}

/** One report per workload from its per-target reports, in the order of the input's targets. */
export function mergeReplays(input: ReplayInput, parts: readonly ReplayReport[]): ReplayReport {
  const first = parts[0];
  if (!first) throw new Error(`no replay results for ${input.workload.id}`);
  const runs = input.targets.map((target) => {
    const run = parts.flatMap((part) => part.runs).find((entry) => entry.target === target);
    if (!run) throw new Error(`no ${target} result for ${input.workload.id}`);
    return run;
  });
  const firstOk = runs.find((run): run is OkRun => run.status === 'ok');
  return {
    ...first,
    traffic: { ...first.traffic, requests: firstOk?.requests.total ?? first.traffic.requests },
    settings: { ...first.settings, targets: [...input.targets] },
    runs,
  };
}
