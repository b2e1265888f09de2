import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeYaml, convertAll } from '../converters/common/testing.ts';
import type { ScaffoldHook } from '../converters/types.ts';
import { repoRoot } from './helpers/paths.ts';

const read = (path: string) => readFileSync(`${repoRoot}${path}`, 'utf8');

/** Keys every ARM resource has, or that only carry a value: the page need not name them. */
const GENERIC = new Set([
  'location',
  'properties',
  'name',
  'value',
  'type',
  'apiVersion',
  'comments',
  'dependsOn',
]);

/** Emitted files covering every branch: Flex (python, custom), Premium (custom), the ONNX scaffold, secrets. */
async function emitted(): Promise<{ arm: unknown[]; host: unknown[] }> {
  const examples = await analyzeYaml(
    [
      'embeddings-worker/worker.yaml',
      'fraud-scoring/inferenceservice.yaml',
      'vision-triton/statefulset.yaml',
      'shared/config.yaml',
    ]
      .map((file) => read(`examples/k8s/${file}`))
      .join('\n---\n'),
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
      resources: {requests: {cpu: "1", memory: 1Gi}}
`);
  const scaffolds: ScaffoldHook = () => [{ path: 'src/function.ts', content: '\n' }];
  const runs = [
    convertAll(examples, { targets: ['azure-functions'] }),
    convertAll(onnx, { targets: ['azure-functions'], scaffolds }),
  ];
  const artifacts = runs
    .flatMap((run) => run.artifacts)
    .filter((artifact) => artifact.status === 'converted');
  const text = (files: { path: string; content: string }[], path: string) =>
    JSON.parse(files.find((file) => file.path === path)!.content) as unknown;
  return {
    arm: artifacts.map((artifact) => text(artifact.files, 'azuredeploy.json')),
    host: artifacts.map((artifact) => text(artifact.files, 'host.json')),
  };
}

function keysOf(value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const item of value) keysOf(item, into);
  else if (value && typeof value === 'object')
    for (const [key, inner] of Object.entries(value)) {
      into.add(key);
      keysOf(inner, into);
    }
  return into;
}

describe('docs/targets/azure-functions.md stays in step with the converter', () => {
  it('names every resource type, property, app setting and host.json key the converter emits', async () => {
    const page = read('docs/targets/azure-functions.md');
    const { arm, host } = await emitted();
    const resources = arm.flatMap(
      (template) => (template as { resources: Record<string, unknown>[] }).resources,
    );
    const settings = resources.flatMap((resource) =>
      (
        (resource.properties as { siteConfig?: { appSettings: { name: string }[] } } | undefined)?.siteConfig
          ?.appSettings ?? []
      ).map((entry) => entry.name),
    );
    const named = (word: string) =>
      new RegExp(`\`[^\`]*\\b${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b[^\`]*\``);

    const keys = new Set([...keysOf(resources.map(({ comments: _c, ...rest }) => rest)), ...keysOf(host)]);
    expect([...keys]).toEqual(
      expect.arrayContaining([
        'functionAppConfig',
        'alwaysReady',
        'minimumElasticInstanceCount',
        'customHandler',
      ]),
    );
    for (const type of new Set(resources.map((resource) => String(resource.type))))
      expect(page, type).toMatch(named(type));
    const missing = [...keys].filter((key) => !GENERIC.has(key) && !named(key).test(page));
    expect(missing).toEqual([]);
    // The examples' own variables are the workload's, not the converter's.
    const workloadEnv = new Set(['LOG_LEVEL', 'MAX_BATCH_SIZE', 'MODEL_ID', 'HF_TOKEN']);
    const platform = [...new Set(settings)].filter((name) => !workloadEnv.has(name));
    expect(platform).toEqual(expect.arrayContaining(['FUNCTIONS_WORKER_RUNTIME', 'MODEL_URI']));
    for (const name of platform) expect(page, name).toMatch(named(name));
  });
});
