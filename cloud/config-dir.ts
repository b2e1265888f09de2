/**
 * Which converted workloads `--config-dir DIR` holds for a target. DIR is what `migrate convert --out`
 * wrote (`DIR/<workload>/<target>/`), one workload's folder (`DIR/<target>/`), or the target folder
 * itself. A workload the analysis blocked for the target has only MIGRATION.md there: it is listed as
 * skipped with that reason, never dropped.
 */

import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { MigrateError } from '../core/errors.ts';
import type { CloudTarget, CloudTargetId } from './types.ts';

export interface TargetFolder {
  /** `DIR/<workload>/<target>`. */
  folder: string;
  /** The workload folder's name (the converter's slug). */
  slug: string;
}

export interface SkippedFolder {
  folder: string;
  slug: string;
  reason: string;
}

export interface ConfigDirListing {
  folders: TargetFolder[];
  skipped: SkippedFolder[];
}

export async function listTargetFolders(dir: string, target: CloudTarget): Promise<ConfigDirListing> {
  if (!(await isDirectory(dir)))
    throw new MigrateError(`--config-dir ${dir}: no such folder`, {
      hint: 'pass the folder `migrate convert --out DIR` wrote',
    });
  let candidates: { folder: string; slug: string }[];
  if ((await exists(join(dir, target.configFile))) || (await exists(join(dir, 'MIGRATION.md'))))
    candidates = [{ folder: dir, slug: basename(join(dir, '..')) }];
  else if (await isDirectory(join(dir, target.id)))
    candidates = [{ folder: join(dir, target.id), slug: basename(dir) }];
  else {
    const entries = (await readdir(dir, { withFileTypes: true }))
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
    candidates = [];
    for (const slug of entries)
      if (await isDirectory(join(dir, slug, target.id)))
        candidates.push({ folder: join(dir, slug, target.id), slug });
  }
  if (candidates.length === 0)
    throw new MigrateError(`--config-dir ${dir}: nothing converted for ${target.id}`, {
      hint: `expected ${join(dir, '<workload>', target.id, target.configFile)} as written by migrate convert --target ${target.id} --out ${dir}`,
    });
  const folders: TargetFolder[] = [];
  const skipped: SkippedFolder[] = [];
  for (const candidate of candidates) {
    if (await exists(join(candidate.folder, target.configFile))) folders.push(candidate);
    else
      skipped.push({
        ...candidate,
        reason: (await exists(join(candidate.folder, 'MIGRATION.md')))
          ? `blocked for ${target.id} by the analysis: ${await blockedReason(join(candidate.folder, 'MIGRATION.md'))}`
          : `no ${target.configFile}`,
      });
  }
  return { folders, skipped };
}

/** Reads a file, or null when it does not exist: what CloudTarget.readDesired is given. */
export async function readOptional(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new MigrateError(`cannot read ${path}: ${(error as Error).message}`);
  }
}

/** The first reason line MIGRATION.md gives for a blocked target, for the skipped list. */
async function blockedReason(path: string): Promise<string> {
  return firstReason((await readOptional(path)) ?? '') ?? `see ${path}`;
}

/** The first bullet of a MIGRATION.md: for a blocked target, its first reason. */
export function firstReason(markdown: string): string | null {
  const line = markdown.split('\n').find((entry) => /^\s*[-*]\s+\S/.test(entry));
  return line
    ? line
        .replace(/^\s*[-*]\s+/, '')
        .replaceAll('**', '')
        .trim()
    : null;
}

/**
 * The text of a target's config file in a converted folder, for `readDesired`. A folder with only
 * MIGRATION.md was blocked by the analysis: that is said with its first reason, not as a missing file.
 */
export async function readConfigFile(
  folder: string,
  configFile: string,
  target: CloudTargetId,
  read: (path: string) => Promise<string | null>,
  missingHint: string,
): Promise<{ file: string; text: string }> {
  const file = join(folder, configFile);
  const text = await read(file);
  if (text !== null) return { file, text };
  const migrationFile = join(folder, 'MIGRATION.md');
  const migration = await read(migrationFile);
  if (migration !== null)
    throw new MigrateError(
      `${folder}: blocked by the analysis: see MIGRATION.md (no ${configFile} was written for ${target})`,
      { hint: `${firstReason(migration) ?? 'it says why'}; ${migrationFile} says what to do instead` },
    );
  throw new MigrateError(`${file}: not found`, { hint: missingHint });
}

async function exists(path: string): Promise<boolean> {
  return (await stat(path).catch(() => null)) !== null;
}

async function isDirectory(path: string): Promise<boolean> {
  return (await stat(path).catch(() => null))?.isDirectory() ?? false;
}
