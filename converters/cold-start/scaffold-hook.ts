import { existsSync } from 'node:fs';
import type { GeneratedFile, ScaffoldHook, TargetId } from '../types.ts';

/**
 * The seam to the handler scaffolds (`converters/cold-start/scaffolds/index.ts`, exporting
 * `scaffoldFiles(target, { modelUri })`), which are written separately. Loaded at the edge (the CLI), so
 * converters stay pure and receive the hook, or null, in their context. When the module is not in the
 * build the converters emit no scaffold and say so in MIGRATION.md.
 */
const SCAFFOLDS_MODULE = new URL('./scaffolds/index.ts', import.meta.url);

export async function loadScaffoldHook(): Promise<ScaffoldHook | null> {
  if (!existsSync(SCAFFOLDS_MODULE)) return null;
  // A computed specifier: the module may not exist when this file is type-checked.
  const specifier: string = SCAFFOLDS_MODULE.href;
  const module = (await import(specifier)) as { scaffoldFiles?: unknown };
  if (typeof module.scaffoldFiles !== 'function') return null;
  const scaffoldFiles = module.scaffoldFiles as (target: TargetId, options: { modelUri?: string }) => unknown;
  return (target, options) => checkedFiles(scaffoldFiles(target, options), target);
}

/** The hook's answer, checked: a wrong shape is a bug in the scaffolds, not something to skip quietly. */
export function checkedFiles(value: unknown, target: TargetId): GeneratedFile[] {
  if (value === undefined || value === null) return [];
  if (
    !Array.isArray(value) ||
    !value.every(
      (file) =>
        typeof file === 'object' &&
        file !== null &&
        typeof (file as GeneratedFile).path === 'string' &&
        typeof (file as GeneratedFile).content === 'string' &&
        !(file as GeneratedFile).path.split('/').includes('..') &&
        !(file as GeneratedFile).path.startsWith('/'),
    )
  )
    throw new Error(
      `scaffoldFiles(${target}) must return [{path, content}] with relative paths inside the target folder`,
    );
  return value as GeneratedFile[];
}
