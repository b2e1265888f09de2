import { describe, expect, it } from 'vitest';
import { diffConfig, settingMatches } from './diff.ts';
import type { DesiredConfig, LiveConfig } from './types.ts';

const desired: DesiredConfig = {
  target: 'aws-lambda',
  name: 'ml-fraud-scoring',
  folder: 'out/ml-inferenceservice-fraud-scoring/aws-lambda',
  workload: 'ml/InferenceService/fraud-scoring',
  settings: {
    memoryMb: { value: 1024, source: 'template.yaml:24 (MemorySize)' },
    warmInstances: { value: 1, source: 'template.yaml:33 (ProvisionedConcurrencyConfig)' },
    image: {
      value: '${AWS::AccountId}.dkr.ecr.${AWS::Region}.amazonaws.com/fraud-scoring:lambda',
      source: 'template.yaml:17 (ImageUri)',
    },
  },
  notApplied: [],
  resource: null,
};

const live = (settings: LiveConfig['settings']): LiveConfig => ({
  name: 'ml-fraud-scoring',
  id: 'arn:aws:lambda:eu-west-1:123456789012:function:ml-fraud-scoring',
  settings,
  facts: {},
});

describe('diffConfig', () => {
  it('finds nothing when every stated setting matches, placeholders included', () => {
    const result = diffConfig(
      desired,
      live({
        memoryMb: 1024,
        warmInstances: 1,
        image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/fraud-scoring:lambda',
        timeoutSeconds: 3,
      }),
    );
    expect(result.findings).toEqual([]);
    expect(result.compared.map((row) => row.field)).toEqual(['image', 'memoryMb', 'warmInstances']);
  });

  it('reports each differing setting with the line it was written at', () => {
    const result = diffConfig(desired, live({ memoryMb: 512, image: 'other:tag' }));
    expect(result.findings.map((f) => [f.field, f.expected, f.actual, f.source])).toEqual([
      ['image', desired.settings.image!.value, 'other:tag', 'template.yaml:17 (ImageUri)'],
      ['memoryMb', 1024, 512, 'template.yaml:24 (MemorySize)'],
      ['warmInstances', 1, null, 'template.yaml:33 (ProvisionedConcurrencyConfig)'],
    ]);
    expect(result.findings[2]!.message).toBe('warmInstances is unset, the converted config says 1');
  });

  it('reports a missing deployment as one not-deployed finding', () => {
    const result = diffConfig(desired, null);
    expect(result.id).toBeNull();
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0]!.kind).toBe('not-deployed');
  });
});

describe('settingMatches', () => {
  it('treats ${…} as any text, and nothing else as a pattern', () => {
    expect(
      settingMatches('${REGION}-docker.pkg.dev/${PROJECT_ID}/ml/x:1', 'us-central1-docker.pkg.dev/p/ml/x:1'),
    ).toBe(true);
    expect(
      settingMatches('${REGION}-docker.pkg.dev/${PROJECT_ID}/ml/x:1', 'us-central1-docker.pkg.dev/p/ml/x:2'),
    ).toBe(false);
    expect(settingMatches('a.b', 'axb')).toBe(false);
    expect(settingMatches(2048, 2048)).toBe(true);
    expect(settingMatches(2048, '2048')).toBe(false);
    expect(settingMatches(null, 0)).toBe(false);
  });
});
