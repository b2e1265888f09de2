/**
 * Pure planning: which workloads a run covers, the folder each one's outputs go to, and which of
 * them one shard runs. Everything is ordered by workload id, so every shard of a run — on any
 * machine — computes the same plan and the same slices.
 */

import { createHash } from 'node:crypto';
import { workloadSlug } from '../../converters/common/names.ts';
import { usageError } from '../../core/errors.ts';
import type { PlannedWorkload } from './model.ts';

interface Candidate {
  id: string;
  namespace: string;
  kind: string;
  name: string;
  ml: { isModelServer: boolean };
}

/** Every model server, or the workloads named; sorted by id. Unknown names are an error listing the known. */
export function planWorkloads(
  workloads: readonly Candidate[],
  wanted: readonly string[] | null,
): PlannedWorkload[] {
  if (wanted) {
    const unknown = wanted.filter((id) => !workloads.some((workload) => workload.id === id));
    if (unknown.length)
      throw usageError(
        `--workload ${unknown.join(', ')} is not in the input`,
        `workloads: ${workloads.map((workload) => workload.id).join(', ') || '(none)'}`,
      );
  }
  const chosen = workloads
    .filter((workload) => (wanted ? wanted.includes(workload.id) : workload.ml.isModelServer))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  if (chosen.length === 0)
    throw usageError(
      'no model server in the input: nothing to replay',
      'name workloads with --workload namespace/Kind/name',
    );
  const slugs = new Map(chosen.map((workload) => [workload.id, workloadSlug(workload)]));
  const counts = new Map<string, number>();
  for (const slug of slugs.values()) counts.set(slug, (counts.get(slug) ?? 0) + 1);
  // The same rule as convert's folders (converters/common/run.ts), so configs/<slug> and replay/<slug> agree.
  return chosen.map((workload) => {
    const slug = slugs.get(workload.id)!;
    return {
      id: workload.id,
      slug:
        (counts.get(slug) ?? 0) > 1
          ? `${slug}-${createHash('sha256').update(workload.id).digest('hex').slice(0, 6)}`
          : slug,
    };
  });
}

export interface Shard {
  /** 0-based, as Kubernetes' JOB_COMPLETION_INDEX. */
  index: number;
  count: number;
}

export const WHOLE_RUN: Shard = { index: 0, count: 1 };

export function parseShard(text: string): Shard {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index >= count)
    throw usageError(
      `--shard ${JSON.stringify(text)} is not INDEX/COUNT with 0 ≤ INDEX < COUNT`,
      'shards count from 0, as JOB_COMPLETION_INDEX does: --shard 0/4 … --shard 3/4',
    );
  return { index, count };
}

/** Workload k of the sorted plan goes to shard k mod count: deterministic, and balanced to within one. */
export function shardSlice<T>(plan: readonly T[], shard: Shard): T[] {
  return plan.filter((_, position) => position % shard.count === shard.index);
}

export function shardFileName(shard: Shard): string {
  return `shards/${shard.index}-of-${shard.count}.json`;
}
