import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { repoRoot } from './helpers/paths.ts';
import { schemaErrors } from './helpers/schemas.ts';

/** Which official schema checks which kind in the bundled example. */
const SCHEMA_FOR: Record<string, string> = {
  'apps/v1 Deployment': 'k8s-deployment-apps-v1.schema.json',
  'autoscaling/v2 HorizontalPodAutoscaler': 'k8s-hpa-autoscaling-v2.schema.json',
  'keda.sh/v1alpha1 ScaledObject': 'keda-scaledobject.schema.json',
  'serving.kserve.io/v1beta1 InferenceService': 'kserve-inferenceservice.schema.json',
};

function exampleObjects(): { file: string; obj: Record<string, unknown> }[] {
  const dir = join(repoRoot, 'examples/k8s');
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.yaml'))
    .sort();
  return files.flatMap((file) =>
    parseAllDocuments(readFileSync(join(dir, file), 'utf8')).map((doc) => ({
      file,
      obj: doc.toJS() as Record<string, unknown>,
    })),
  );
}

describe('the bundled example platform', () => {
  const objects = exampleObjects();

  it('holds the workloads the README promises', () => {
    const kinds = objects.map(({ obj }) => `${obj.apiVersion} ${obj.kind}`);
    expect(kinds).toEqual(
      expect.arrayContaining([
        'apps/v1 Deployment',
        'autoscaling/v2 HorizontalPodAutoscaler',
        'serving.kserve.io/v1beta1 InferenceService',
        'apps/v1 StatefulSet',
        'v1 PersistentVolumeClaim',
        'keda.sh/v1alpha1 ScaledObject',
        'v1 Secret',
        'v1 ConfigMap',
      ]),
    );
  });

  const checked = objects.filter(({ obj }) => SCHEMA_FOR[`${obj.apiVersion} ${obj.kind}`]);
  it.each(checked.map(({ file, obj }) => [`${file} ${obj.kind}`, obj]))(
    '%s validates against its official schema',
    (_name, obj) => {
      const schema =
        SCHEMA_FOR[
          `${(obj as Record<string, unknown>).apiVersion} ${(obj as Record<string, unknown>).kind}`
        ]!;
      expect(schemaErrors(schema, obj)).toEqual([]);
    },
  );

  it('the schema check can fail: a Deployment with a string replica count is rejected', () => {
    const deployment = structuredClone(objects.find(({ obj }) => obj.kind === 'Deployment')!.obj) as {
      spec: { replicas: unknown };
    };
    deployment.spec.replicas = 'two';
    expect(schemaErrors('k8s-deployment-apps-v1.schema.json', deployment).join('\n')).toMatch(/replicas/);
  });
});
