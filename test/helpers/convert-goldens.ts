import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect } from 'vitest';
import { analyzePaths } from '../../analyzers/analyze.ts';
import { VERSION } from '../../cli/version.ts';
import { loadScaffoldHook } from '../../converters/cold-start/scaffold-hook.ts';
import type { Artifact } from '../../converters/common/run.ts';
import { CONVERTERS, convertReport } from '../../converters/index.ts';
import type { TargetId } from '../../converters/types.ts';
import { analyzeOptions } from './analyze.ts';
import { expectGolden } from './golden.ts';
import { corpusK8sDir, repoRoot } from './paths.ts';

/**
 * What the per-target convert golden tests (test/convert-*-goldens.test.ts) share: converting a path
 * for one target as `migrate convert` would, the golden folders, the checks every artifact gets, and
 * the search for goldens no case produces. Each test keeps what is its target's own: the schema checks
 * and the status table.
 */

export const goldensDir = join(repoRoot, 'test/goldens/convert');

/** The corpus manifests, one golden folder each. */
export const corpusFiles = readdirSync(corpusK8sDir, { recursive: true, encoding: 'utf8' })
  .filter((file) => /\.(ya?ml|json)$/.test(file))
  .sort();

export const corpusPath = (file: string) => relative(repoRoot, join(corpusK8sDir, file));

const scaffolds = await loadScaffoldHook();

export interface ConvertExtra {
  traffic?: Parameters<typeof convertReport>[1]['traffic'];
  serviceMs?: number;
  workloads?: string[];
}

export async function convertForTarget(target: TargetId, path: string, extra: ConvertExtra = {}) {
  const report = await analyzePaths([path], analyzeOptions({ version: VERSION }));
  const run = convertReport(report, {
    targets: [target],
    workloads: extra.workloads ?? null,
    traffic: extra.traffic ?? new Map(),
    serviceMs: extra.serviceMs ?? null,
    warmQuantile: 0.5,
    scaffolds,
    version: VERSION,
    converters: CONVERTERS,
  });
  return { artifacts: run.artifacts, report };
}

export const goldenPaths = (artifacts: Artifact[], folder: string) =>
  artifacts.flatMap((artifact) => artifact.files.map((file) => join(folder, artifact.dir, file.path)));

/**
 * Every file against its golden; a converted artifact holds at least `files`, a blocked one only
 * MIGRATION.md with its reasons and what to do instead.
 */
export function checkArtifactFiles(artifact: Artifact, folder: string, files: readonly string[]): void {
  for (const file of artifact.files) expectGolden(file.content, join(folder, artifact.dir, file.path));
  if (artifact.status === 'converted') {
    expect(artifact.files.map((file) => file.path)).toEqual(expect.arrayContaining([...files]));
  } else {
    expect(artifact.files.map((file) => file.path)).toEqual(['MIGRATION.md']);
    expect(artifact.reasons.length).toBeGreaterThan(0);
    expect(artifact.files[0]!.content).toMatch(/## Why\n\n- \*\*[a-z-]+\*\*: /);
    expect(artifact.files[0]!.content).toMatch(/## What to do instead\n\n- /);
  }
}

/**
 * The goldens a target's cases produce: the example, the example with traffic (fraud-scoring only) and
 * every corpus manifest — what the stale-golden check compares the folder against.
 */
export async function producedGoldens(target: TargetId): Promise<Set<string>> {
  const expected = new Set([
    ...goldenPaths((await convertForTarget(target, 'examples/k8s')).artifacts, join(goldensDir, 'examples')),
    ...goldenPaths(
      (await convertForTarget(target, 'examples/k8s', { workloads: ['ml/InferenceService/fraud-scoring'] }))
        .artifacts,
      join(goldensDir, 'examples-traffic'),
    ),
  ]);
  for (const file of corpusFiles)
    for (const path of goldenPaths(
      (await convertForTarget(target, corpusPath(file))).artifacts,
      join(goldensDir, 'corpus', file),
    ))
      expected.add(path);
  return expected;
}

/** Golden files a test owns (`owns`) that none of its cases produced. */
export function staleGoldens(expected: Set<string>, owns: (path: string) => boolean): string[] {
  if (!existsSync(goldensDir)) return [];
  return readdirSync(goldensDir, { recursive: true, encoding: 'utf8' })
    .map((file) => join(goldensDir, file))
    .filter((path) => owns(path) && statSync(path).isFile() && !expected.has(path));
}
