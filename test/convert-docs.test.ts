import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { convertSpec } from '../cli/convert.ts';
import { analyzeYaml, convertAll } from '../converters/common/testing.ts';
import type { ScaffoldHook } from '../converters/types.ts';
import { repoRoot } from './helpers/paths.ts';

const read = (path: string) => readFileSync(`${repoRoot}${path}`, 'utf8');

/** Templates covering every branch of the Lambda converter: image, zip, EFS, /tmp with a size, S3. */
async function templates(): Promise<{ sam: Record<string, unknown>; sls: Record<string, unknown> }[]> {
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
    maxReplicas: 4
    containerConcurrency: 2
    model:
      modelFormat: {name: onnx}
      storageUri: s3://team-models/ranker/model.onnx
      resources: {requests: {cpu: "1", memory: 1Gi}}
`);
  const ranker = onnx.workloads[0]!;
  ranker.ml.model!.sizeBytes = 300 * 2 ** 20;
  const scaffolds: ScaffoldHook = () => [{ path: 'src/handler.ts', content: '\n' }];
  const runs = [
    convertAll(examples),
    convertAll(onnx, { scaffolds }),
    // Without the scaffold the same model is staged in /tmp with a known size.
    convertAll(onnx),
  ];
  return runs
    .flatMap((run) => run.artifacts)
    .filter((artifact) => artifact.status === 'converted')
    .map((artifact) => {
      const text = (path: string) => artifact.files.find((file) => file.path === path)!.content;
      const sam = parse(text('template.yaml')) as {
        Resources: Record<string, { Properties: Record<string, unknown> }>;
      };
      const sls = parse(text('serverless.yml')) as { functions: Record<string, Record<string, unknown>> };
      return { sam: Object.values(sam.Resources)[0]!.Properties, sls: Object.values(sls.functions)[0]! };
    });
}

describe('docs of migrate convert stay in step with the code', () => {
  it('docs/convert.md names every flag of the verb', () => {
    const page = read('docs/convert.md');

    for (const option of convertSpec.options) expect(page, `--${option.name}`).toContain(`--${option.name}`);
  });

  it('docs/targets/aws-lambda.md maps every property the converter emits, in both files', async () => {
    const page = read('docs/targets/aws-lambda.md');
    const emitted = await templates();
    const samKeys = new Set(emitted.flatMap(({ sam }) => Object.keys(sam)));
    const slsKeys = new Set(emitted.flatMap(({ sls }) => Object.keys(sls)));

    expect([...samKeys]).toEqual(
      expect.arrayContaining([
        'PackageType',
        'ImageUri',
        'CodeUri',
        'EphemeralStorage',
        'FileSystemConfigs',
        'ProvisionedConcurrencyConfig',
      ]),
    );
    for (const key of [...samKeys, ...slsKeys]) expect(page, key).toMatch(new RegExp(`\`${key}[\`.:]`));
  });
});
