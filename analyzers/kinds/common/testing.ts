import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { InputError, RelatedObject, Workload } from '../../../core/model/index.ts';
import { buildInventory, type Inventory } from '../../inventory.ts';
import { parseManifestText } from '../../sources/index.ts';
import { findReader } from '../index.ts';
import type { ReadResult } from '../types.ts';

/**
 * Test support for kind readers: run the real parser, readers and linker over a YAML text or a corpus
 * file, and look results up by id. Only tests import this module.
 */

const MAX_ALIAS_COUNT = 100;

export interface Analysed extends Inventory {
  /** Documents the parser produced (objects plus those it set aside), to check nothing is lost. */
  documents: number;
}

export function analyseText(text: string, file = 'inline.yaml'): Analysed {
  const parsed = parseManifestText(file, text, MAX_ALIAS_COUNT);
  const inventory = buildInventory(
    { objects: parsed.objects, skipped: parsed.skipped, errors: parsed.errors, files: [file], notes: [] },
    { defaultNamespace: 'default' },
  );
  return { ...inventory, documents: parsed.objects.length + parsed.skipped.length };
}

export function readText(url: URL): string {
  return readFileSync(url, 'utf8');
}

/** A corpus file, given as a URL resolved from the test file (`new URL('../../../shared/corpus/k8s/…', import.meta.url)`). */
export function analyseFile(url: URL): Analysed {
  const file = fileURLToPath(url);
  return analyseText(readFileSync(file, 'utf8'), file);
}

export function workloadById(analysed: Inventory, id: string): Workload {
  const found = analysed.workloads.find((workload) => workload.id === id);
  if (!found)
    throw new Error(
      `no workload ${id}; have ${analysed.workloads.map((workload) => workload.id).join(', ')}`,
    );
  return found;
}

export function relatedById(analysed: Inventory, id: string): RelatedObject {
  const found = analysed.related.find((related) => related.id === id);
  if (!found)
    throw new Error(
      `no related object ${id}; have ${analysed.related.map((related) => related.id).join(', ')}`,
    );
  return found;
}

/** Every document is a workload, a related object or a reasoned skip: the ids of each, for exact assertions. */
export function accounting(analysed: Analysed): {
  workloads: string[];
  related: string[];
  skipped: string[];
  lost: number;
} {
  const workloads = analysed.workloads.map((workload) => workload.id);
  const related = analysed.related.map((entry) => entry.id);
  const skipped = analysed.skipped.map((entry) => `${entry.kind}: ${entry.reason}`);
  return {
    workloads,
    related,
    skipped,
    lost: analysed.documents - workloads.length - related.length - skipped.length,
  };
}

/** Each object's raw reader result (link requests included), for what the inventory does not keep. */
export function readResults(
  text: string,
  file = 'inline.yaml',
): { results: ReadResult[]; errors: InputError[] } {
  const parsed = parseManifestText(file, text, MAX_ALIAS_COUNT);
  const errors: InputError[] = [...parsed.errors];
  const context = {
    namespaceOf: () => 'default',
    reportError: (source: { file: string; line: number }, message: string) =>
      errors.push({ file: source.file, line: source.line, message }),
  };
  const results = parsed.objects.map((object): ReadResult => {
    const reader = findReader(String(object.obj.apiVersion), String(object.obj.kind));
    return reader ? reader.read(object, context) : { type: 'skipped', reason: 'no reader' };
  });
  return { results, errors };
}
