import { lstatSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { InputError } from '../../core/model/index.ts';

export type InputEntry =
  | { type: 'file'; path: string }
  | { type: 'stdin' }
  | { type: 'kustomize'; dir: string }
  | { type: 'helm-chart'; dir: string };

const MANIFEST_EXTENSIONS = ['.yaml', '.yml', '.json'];
const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

export function isManifestFile(path: string): boolean {
  return MANIFEST_EXTENSIONS.some((extension) => path.toLowerCase().endsWith(extension));
}

/**
 * Expands the user's paths into what to read: manifest files (recursively, sorted so output is stable),
 * kustomize directories and Helm charts (rendered or skipped as units), and stdin. Directory symlink
 * loops are cut by remembering real paths already walked.
 */
export async function walkInputs(
  paths: string[],
): Promise<{ entries: InputEntry[]; errors: InputError[]; notes: string[] }> {
  const entries: InputEntry[] = [];
  const errors: InputError[] = [];
  const notes: string[] = [];
  const visited = new Set<string>();

  async function walkDir(dir: string, explicit: boolean): Promise<void> {
    let real: string;
    try {
      real = realpathSync(dir);
    } catch (error) {
      errors.push({ file: dir, line: null, message: describeFsError(error) });
      return;
    }
    if (visited.has(real)) {
      notes.push(
        `${dir}: already read through another path (symlink loop or repeated input); not read twice`,
      );
      return;
    }
    visited.add(real);
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch (error) {
      errors.push({ file: dir, line: null, message: describeFsError(error) });
      return;
    }
    if (names.some((name) => KUSTOMIZATION_FILES.includes(name))) {
      entries.push({ type: 'kustomize', dir });
      return;
    }
    if (names.includes('Chart.yaml')) {
      entries.push({ type: 'helm-chart', dir });
      return;
    }
    const before = entries.length;
    for (const name of names) {
      if (name === 'node_modules' || name.startsWith('.')) continue;
      const child = join(dir, name);
      let info: ReturnType<typeof statSync>;
      try {
        info = statSync(child);
      } catch (error) {
        const link = (() => {
          try {
            return lstatSync(child);
          } catch {
            return null;
          }
        })();
        errors.push({
          file: child,
          line: null,
          message: link?.isSymbolicLink()
            ? `broken or looping symlink: ${describeFsError(error)}`
            : describeFsError(error),
        });
        continue;
      }
      if (info?.isDirectory()) await walkDir(child, false);
      else if (info?.isFile() && isManifestFile(name)) entries.push({ type: 'file', path: child });
    }
    if (explicit && entries.length === before) {
      notes.push(`${dir}: no .yaml, .yml or .json files found`);
    }
  }

  for (const path of paths) {
    if (path === '-') {
      entries.push({ type: 'stdin' });
      continue;
    }
    let info: ReturnType<typeof statSync>;
    try {
      info = statSync(path);
    } catch (error) {
      errors.push({ file: path, line: null, message: describeFsError(error) });
      continue;
    }
    if (info?.isDirectory()) await walkDir(path, true);
    else if (KUSTOMIZATION_FILES.includes(basename(path)))
      entries.push({ type: 'kustomize', dir: join(path, '..') });
    else entries.push({ type: 'file', path });
  }
  return { entries, errors, notes };
}

export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied: cannot read it';
    case 'ELOOP':
      return 'too many levels of symbolic links (a symlink loop)';
    case 'EISDIR':
      return 'is a directory';
    default:
      return (error as Error).message;
  }
}
