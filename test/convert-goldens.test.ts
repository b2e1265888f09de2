import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type AnalyzeOptions, analyzePaths } from '../analyzers/analyze.ts';
import { VERSION } from '../cli/version.ts';
import { samTemplateErrors, serverlessErrors } from '../converters/aws-lambda/testing.ts';
import { loadScaffoldHook } from '../converters/cold-start/scaffold-hook.ts';
import type { Artifact } from '../converters/common/run.ts';
import { CONVERTERS, convertReport } from '../converters/index.ts';
import { spikeProfile } from '../core/traffic/index.ts';
import { runCli } from './helpers/cli.ts';
import { expectGolden } from './helpers/golden.ts';
import { corpusK8sDir, repoRoot } from './helpers/paths.ts';

/**
 * What `migrate convert` writes, reviewed as files: every model server of the bundled example and of
 * each corpus manifest, for AWS Lambda. Converted ones carry template.yaml, serverless.yml and
 * MIGRATION.md; blocked ones only MIGRATION.md with the reasons. Every emitted template is checked
 * against the official schemas. `UPDATE_GOLDEN=1` rewrites the goldens; stale ones fail the test.
 */
const goldens = join(repoRoot, 'test/goldens/convert');
const options: AnalyzeOptions = {
  maxFileBytes: 16 * 1024 * 1024,
  maxAliasCount: 100,
  which: () => null,
  readStdin: async () => '',
  defaultNamespace: 'default',
  sloMs: null,
  version: VERSION,
};
const scaffolds = await loadScaffoldHook();

async function convertPath(
  path: string,
  extra: {
    traffic?: Parameters<typeof convertReport>[1]['traffic'];
    serviceMs?: number;
    workloads?: string[];
  } = {},
) {
  const report = await analyzePaths([path], options);
  return convertReport(report, {
    targets: ['aws-lambda'],
    workloads: extra.workloads ?? null,
    traffic: extra.traffic ?? new Map(),
    serviceMs: extra.serviceMs ?? null,
    warmQuantile: 0.5,
    scaffolds,
    version: VERSION,
    converters: CONVERTERS,
  }).artifacts;
}

const goldenPaths = (artifacts: Artifact[], folder: string) =>
  artifacts.flatMap((artifact) => artifact.files.map((file) => join(folder, artifact.dir, file.path)));

function checkArtifact(artifact: Artifact, folder: string): void {
  for (const file of artifact.files) {
    const golden = join(folder, artifact.dir, file.path);
    expectGolden(file.content, golden);
    if (file.path === 'template.yaml') expect(samTemplateErrors(file.content), golden).toEqual([]);
    if (file.path === 'serverless.yml') expect(serverlessErrors(file.content), golden).toEqual([]);
  }
  if (artifact.status === 'converted') {
    expect(artifact.files.map((file) => file.path)).toEqual(
      expect.arrayContaining(['template.yaml', 'serverless.yml', 'MIGRATION.md']),
    );
  } else {
    expect(artifact.files.map((file) => file.path)).toEqual(['MIGRATION.md']);
    expect(artifact.reasons.length).toBeGreaterThan(0);
    expect(artifact.files[0]!.content).toMatch(/## Why\n\n- \*\*[a-z-]+\*\*: /);
    expect(artifact.files[0]!.content).toMatch(/## What to do instead\n\n- /);
  }
}

describe('migrate convert examples/k8s --target aws-lambda (goldens)', () => {
  it('every model server: converted, or blocked with the reason', async () => {
    const artifacts = await convertPath('examples/k8s');

    expect(artifacts.map((artifact) => `${artifact.workload} ${artifact.status}`)).toEqual([
      'ml/Deployment/embeddings-worker converted',
      'ml/InferenceService/fraud-scoring converted',
      'ml/Deployment/llm-chat blocked',
      'ml/StatefulSet/vision-triton converted',
    ]);
    for (const artifact of artifacts) checkArtifact(artifact, join(goldens, 'examples'));
  });

  it('with traffic: provisioned concurrency sized from a trending spike (median minute × 120 ms)', async () => {
    const id = 'ml/InferenceService/fraud-scoring';
    const traffic = new Map([[id, spikeProfile('trending:baseline=20,peak=10', 1)]]);

    const [artifact] = await convertPath('examples/k8s', { traffic, serviceMs: 120, workloads: [id] });

    expect(artifact!.result.warm!.capacity.basis).toBe('traffic');
    expect(artifact!.files.find((file) => file.path === 'template.yaml')!.content).toContain(
      'ProvisionedConcurrentExecutions: 3',
    );
    checkArtifact(artifact!, join(goldens, 'examples-traffic'));
  });

  it('--dry-run --format json for all three targets', async () => {
    const { code, stdout } = await runCli(['convert', 'examples/k8s', '--dry-run', '--format', 'json']);

    expect(code).toBe(0);
    expectGolden(stdout, join(goldens, 'examples-dry-run.json'));
  });
});

const corpusFiles = readdirSync(corpusK8sDir, { recursive: true, encoding: 'utf8' })
  .filter((file) => /\.(ya?ml|json)$/.test(file))
  .sort();

describe('migrate convert on ../shared/corpus/k8s, one manifest at a time (goldens)', () => {
  it.each(corpusFiles)('%s', async (file) => {
    const path = relative(repoRoot, join(corpusK8sDir, file));

    const artifacts = await convertPath(path);

    for (const artifact of artifacts) checkArtifact(artifact, join(goldens, 'corpus', file));
  });
});

/** The files this test owns: the aws-lambda folders and the all-targets dry run. */
const isLambdaGolden = (path: string) =>
  path === join(goldens, 'examples-dry-run.json') || path.split(sep).includes('aws-lambda');

describe('goldens', () => {
  it('has no golden that no case produces', async () => {
    const expected = new Set([
      join(goldens, 'examples-dry-run.json'),
      ...goldenPaths(await convertPath('examples/k8s'), join(goldens, 'examples')),
      ...goldenPaths(
        await convertPath('examples/k8s', { workloads: ['ml/InferenceService/fraud-scoring'] }),
        join(goldens, 'examples-traffic'),
      ),
    ]);
    for (const file of corpusFiles)
      for (const path of goldenPaths(
        await convertPath(relative(repoRoot, join(corpusK8sDir, file))),
        join(goldens, 'corpus', file),
      ))
        expected.add(path);
    const stale = existsSync(goldens)
      ? readdirSync(goldens, { recursive: true, encoding: 'utf8' })
          .map((file) => join(goldens, file))
          // Other targets' goldens sit in their own <target>/ folders and are checked by their own tests.
          .filter((path) => isLambdaGolden(path) && statSync(path).isFile() && !expected.has(path))
      : [];
    expect(stale).toEqual([]);
  });
});
