import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { accounting, analyseFile } from './common/testing.ts';

const ROOT = new URL('../../../shared/corpus/k8s/', import.meta.url);

function manifestFiles(dir: URL): URL[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.isDirectory()) return manifestFiles(new URL(`${entry.name}/`, dir));
    return /\.ya?ml$/.test(entry.name) ? [new URL(entry.name, dir)] : [];
  });
}

describe('CRD readers over the whole corpus', () => {
  it('loses no document, and skips only kinds no reader is meant for', () => {
    const files = manifestFiles(ROOT);
    expect(files.length).toBeGreaterThan(40);
    const skippedKinds = new Set<string>();
    for (const file of files) {
      const analysed = analyseFile(file);
      expect(accounting(analysed).lost, file.pathname).toBe(0);
      for (const skipped of analysed.skipped) skippedKinds.add(skipped.kind ?? '(none)');
      // No reader may fail on a real file: an internal error would show up here.
      expect(
        analysed.errors.filter((error) => error.message.startsWith('internal error')),
        file.pathname,
      ).toEqual([]);
    }
    // Helm chart files (read one by one here, unrendered) and the duplicate-key Confluent file are set aside
    // by the parser; a kustomization read as a plain file, and the rest, have no reader on purpose.
    expect([...skippedKinds].sort()).toEqual([
      '(none)',
      'ClusterStorageContainer',
      'Connect',
      'Connector',
      'Deployment',
      'Kustomization',
      'LLMInferenceServiceConfig',
      'Service',
    ]);
  });
});
