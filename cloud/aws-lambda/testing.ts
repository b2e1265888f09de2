/** Test support: the configs `migrate convert --target aws-lambda` really writes, and a file reader for readDesired. */

import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../test/helpers/cli.ts';

/** `readDesired`'s reader over the real file system: null for a missing file. */
export async function readOrNull(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** Converts examples/k8s for aws-lambda into a temporary folder; `folder(slug)` is a workload's aws-lambda folder. */
export async function convertExamples(): Promise<{ folder(slug: string): string; remove(): void }> {
  const out = mkdtempSync(join(tmpdir(), 'migrate-aws-lambda-'));
  const result = await runCli(['convert', 'examples/k8s', '--out', out, '--target', 'aws-lambda']);
  if (result.code !== 0) throw new Error(`convert failed (${result.code}): ${result.stderr}`);
  return {
    folder: (slug) => join(out, slug, 'aws-lambda'),
    remove: () => rmSync(out, { recursive: true, force: true }),
  };
}

/** The 1-based line of the first line of `text` that contains `needle`. */
export function lineOf(text: string, needle: string): number {
  const index = text.split('\n').findIndex((line) => line.includes(needle));
  if (index < 0) throw new Error(`no line with ${needle}`);
  return index + 1;
}
