import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzePaths } from '../analyzers/analyze.ts';
import { cloudRun } from '../converters/cloud-run/index.ts';
import type { ConvertRun } from '../converters/common/run.ts';
import { analyzeYaml, convertAll } from '../converters/common/testing.ts';
import { CONVERTERS, convertReport } from '../converters/index.ts';
import type { ScaffoldHook } from '../converters/types.ts';
import { corpusK8sDir, repoRoot } from './helpers/paths.ts';

const page = readFileSync(join(repoRoot, cloudRun.docs), 'utf8');
const options = {
  maxFileBytes: 16 * 2 ** 20,
  maxAliasCount: 100,
  which: () => null,
  readStdin: async () => '',
  defaultNamespace: 'default',
  sloMs: null,
  version: 'test',
};

/** Every Cloud Run conversion the repository has: the examples, the corpus, and an ONNX scaffold case. */
async function runs(): Promise<ConvertRun[]> {
  const paths = [
    'examples/k8s',
    ...readdirSync(corpusK8sDir, { recursive: true, encoding: 'utf8' })
      .filter((file) => /\.(ya?ml|json)$/.test(file))
      .map((file) => relative(repoRoot, join(corpusK8sDir, file))),
  ];
  const all: ConvertRun[] = [];
  for (const path of paths)
    all.push(
      convertReport(await analyzePaths([path], options), {
        targets: ['cloud-run'],
        workloads: null,
        traffic: new Map(),
        serviceMs: null,
        warmQuantile: 0.5,
        scaffolds: null,
        version: 'test',
        converters: CONVERTERS,
      }),
    );
  const onnx = await analyzeYaml(`
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata: {name: ranker, namespace: team}
spec:
  predictor:
    model:
      modelFormat: {name: onnx}
      storageUri: https://models.example.com/ranker.onnx
`);
  const scaffolds: ScaffoldHook = () => [{ path: 'src/server.ts', content: '\n' }];
  all.push(convertAll(onnx, { targets: ['cloud-run'], scaffolds }));
  return all;
}

describe('docs/targets/cloud-run.md stays in step with the converter', () => {
  it('is the page the converter names', () => {
    expect(cloudRun.docs).toBe('docs/targets/cloud-run.md');
    expect(page).toMatch(/^# Google Cloud Run \(`--target cloud-run`\)/);
  });

  it('maps every setting the converter emits', async () => {
    const names = new Set(
      (await runs())
        .flatMap((run) => run.artifacts)
        .flatMap((artifact) => artifact.result.settings)
        .map((row) => (row.name.startsWith('env.') ? 'env.<NAME>' : row.name)),
    );

    expect([...names]).toEqual(
      expect.arrayContaining([
        'resources.limits.nvidia.com/gpu',
        'autoscaling.knative.dev/minScale',
        'livenessProbe',
        'command',
        'env.<NAME>',
      ]),
    );
    for (const name of names) expect(page, name).toContain(`\`${name}`);
  });
});
