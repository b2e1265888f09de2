/**
 * Which converted workloads `--config-dir DIR` holds for a target. DIR is what `migrate convert --out`
 * wrote (`DIR/<workload>/<target>/`), one workload's folder (`DIR/<target>/`), or the target folder
 * itself. A workload the analysis blocked for the target has only MIGRATION.md there: it is listed as
 * skipped with that reason, never dropped.
 */

import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { MigrateError } from '../core/errors.ts';
import type { CloudTarget } from './types.ts';

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
  if (await exists(join(dir, target.configFile)) || await exists(join(dir, 'MIGRATION.md')))
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
  const text = (await readOptional(path)) ?? '';
  const line = text.split('\n').find((entry) => /^\s*[-*]\s+\S/.test(entry));
  return line ? line.replace(/^\s*[-*]\s+/, '').replaceAll('**', '').trim() : `see ${path}`;
}

async function exists(path: string): Promise<boolean> {
  return (await stat(path).catch(() => null)) !== null;
}

async function isDirectory(path: string): Promise<boolean> {
  return (await stat(path).catch(() => null))?.isDirectory() ?? false;
}
