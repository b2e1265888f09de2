/**
 * The desired configurations `verify` and `apply` work through: every converted workload in
 * `--config-dir` for the target, narrowed by `--workload`, renamed by `--name` when there is one.
 */

import { MigrateError } from '../core/errors.ts';
import { listTargetFolders, readOptional, type SkippedFolder } from './config-dir.ts';
import type { CloudTarget, DesiredConfig } from './types.ts';

export interface DesiredSet {
  desired: DesiredConfig[];
  skipped: SkippedFolder[];
}

export interface DesiredSelection {
  configDir: string;
  /** `--workload`: folder names (slugs) or workload ids; empty for all. */
  workloads: readonly string[];
  /** `--name`: the deployed name, for exactly one workload. */
  name: string | null;
}

export async function readDesiredSet(target: CloudTarget, selection: DesiredSelection): Promise<DesiredSet> {
  const listing = await listTargetFolders(selection.configDir, target);
  const desired: DesiredConfig[] = [];
  for (const { folder } of listing.folders) desired.push(await target.readDesired(folder, readOptional));
  const wanted = selection.workloads;
  const chosen = wanted.length
    ? desired.filter((config) => wanted.some((w) => w === config.workload || folderName(config) === w))
    : desired;
  const unmatched = wanted.filter(
    (w) => !desired.some((config) => w === config.workload || folderName(config) === w),
  );
  if (unmatched.length)
    throw new MigrateError(`--workload ${unmatched.join(', ')}: not among the converted workloads`, {
      hint: `converted for ${target.id}: ${desired.map((config) => `${folderName(config)} (${config.workload})`).join(', ') || 'none'}`,
    });
  if (selection.name !== null) {
    if (chosen.length !== 1)
      throw new MigrateError(`--name needs exactly one workload; ${chosen.length} selected`, {
        hint: 'narrow it with --workload',
      });
    chosen[0] = { ...chosen[0]!, name: selection.name };
  }
  return { desired: chosen, skipped: wanted.length ? [] : listing.skipped };
}

/** `DIR/<slug>/<target>` → `<slug>`. */
export function folderName(config: DesiredConfig): string {
  const parts = config.folder.split(/[\\/]/).filter(Boolean);
  return parts[parts.length - 2] ?? config.folder;
}
