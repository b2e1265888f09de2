import { describe, expect, it } from 'vitest';
import { mapName, NAME_RULES, sanitizeName, workloadSlug } from './names.ts';

describe('sanitizeName', () => {
  it('keeps a name that is already valid', () => {
    expect(sanitizeName('ml-embeddings-worker', NAME_RULES.lambdaFunction)).toBe('ml-embeddings-worker');
  });

  it('replaces characters a rule does not allow and folds runs of separators', () => {
    expect(sanitizeName('team.a/vision..triton', NAME_RULES.lambdaFunction)).toBe('team-a-vision-triton');
    expect(sanitizeName('Ray.Service_X', NAME_RULES.dnsLabel)).toBe('ray-service-x');
  });

  it('writes CloudFormation logical IDs in PascalCase, starting with a letter', () => {
    expect(sanitizeName('vision-triton-function', NAME_RULES.cfnLogicalId)).toBe('VisionTritonFunction');
    expect(sanitizeName('3d-model', NAME_RULES.cfnLogicalId)).toBe('W3dModel');
  });

  it('cuts long names deterministically, keeping them distinct with a hash of the original', () => {
    const a = `team-${'x'.repeat(80)}-a`;
    const b = `team-${'x'.repeat(80)}-b`;

    const nameA = sanitizeName(a, NAME_RULES.lambdaFunction);
    const nameB = sanitizeName(b, NAME_RULES.lambdaFunction);

    expect(nameA).toHaveLength(64);
    expect(nameA).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
    expect(nameA).not.toBe(nameB);
    expect(sanitizeName(a, NAME_RULES.lambdaFunction)).toBe(nameA);
  });

  it('lower-cases where the rule says so and prefixes a letter where one is required', () => {
    expect(sanitizeName('42-Models', NAME_RULES.dnsLabel)).toBe('w-42-models');
    expect(sanitizeName('ghcr.io/Org/Image', NAME_RULES.ecrRepository)).toBe('ghcr.io/org/image');
  });

  it('records the original beside the emitted name', () => {
    expect(mapName('a.b', NAME_RULES.lambdaFunction).mapping).toEqual({
      kind: 'Lambda function name',
      original: 'a.b',
      emitted: 'a-b',
      rule: NAME_RULES.lambdaFunction.rule,
    });
  });

  it('names one output folder per workload, kind included so two kinds of one name do not collide', () => {
    expect(workloadSlug({ namespace: 'ml', kind: 'InferenceService', name: 'fraud' })).toBe(
      'ml-inferenceservice-fraud',
    );
    expect(workloadSlug({ namespace: 'ml', kind: 'Deployment', name: 'fraud' })).toBe('ml-deployment-fraud');
  });
});
