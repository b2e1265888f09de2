import { join, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { samTemplateErrors, serverlessErrors } from '../converters/aws-lambda/testing.ts';
import type { Artifact } from '../converters/common/run.ts';
import { spikeProfile } from '../core/traffic/index.ts';
import { runCli } from './helpers/cli.ts';
import {
  type ConvertExtra,
  checkArtifactFiles,
  convertForTarget,
  corpusFiles,
  corpusPath,
  goldensDir as goldens,
  producedGoldens,
  staleGoldens,
} from './helpers/convert-goldens.ts';
import { expectGolden } from './helpers/golden.ts';

/**
 * What `migrate convert` writes, reviewed as files: every model server of the bundled example and of
 * each corpus manifest, for AWS Lambda. Converted ones carry template.yaml, serverless.yml and
 * MIGRATION.md; blocked ones only MIGRATION.md with the reasons. Every emitted template is checked
 * against the official schemas. `UPDATE_GOLDEN=1` rewrites the goldens; stale ones fail the test.
 */
const convertPath = async (path: string, extra: ConvertExtra = {}) =>
  (await convertForTarget('aws-lambda', path, extra)).artifacts;

function checkArtifact(artifact: Artifact, folder: string): void {
  checkArtifactFiles(artifact, folder, ['template.yaml', 'serverless.yml', 'MIGRATION.md']);
  for (const file of artifact.files) {
    const golden = join(folder, artifact.dir, file.path);
    if (file.path === 'template.yaml') expect(samTemplateErrors(file.content), golden).toEqual([]);
    if (file.path === 'serverless.yml') expect(serverlessErrors(file.content), golden).toEqual([]);
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

describe('migrate convert on ../shared/corpus/k8s, one manifest at a time (goldens)', () => {
  it.each(corpusFiles)('%s', async (file) => {
    const artifacts = await convertPath(corpusPath(file));

    for (const artifact of artifacts) checkArtifact(artifact, join(goldens, 'corpus', file));
  });
});

/** The files this test owns: the aws-lambda folders and the all-targets dry run. */
const isLambdaGolden = (path: string) =>
  path === join(goldens, 'examples-dry-run.json') || path.split(sep).includes('aws-lambda');

describe('goldens', () => {
  it('has no golden that no case produces', async () => {
    const expected = await producedGoldens('aws-lambda');
    expected.add(join(goldens, 'examples-dry-run.json'));
    // Other targets' goldens sit in their own <target>/ folders and are checked by their own tests.
    expect(staleGoldens(expected, isLambdaGolden)).toEqual([]);
  });
});
