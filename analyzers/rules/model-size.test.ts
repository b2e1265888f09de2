import { describe, expect, it } from 'vitest';
import type { ModelArtifact } from '../../core/model/index.ts';
import { modelSize } from './model-size.ts';
import { context, GiB, MiB, modelServer, src, workload } from './test-helpers.ts';

function model(overrides: Partial<ModelArtifact>): ModelArtifact {
  return {
    uri: 'gs://bucket/model',
    format: null,
    sizeBytes: null,
    sizeSource: null,
    sizeEvidence: null,
    source: src(30),
    ...overrides,
  };
}

describe('model-size', () => {
  it('keeps a model over 5 GB on the cluster, workload-wide', () => {
    const server = modelServer({
      ml: { model: model({ sizeBytes: 14 * GiB, sizeEvidence: 'local-file', sizeSource: src(12) }) },
    });
    const findings = modelSize.check(server, context());
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      rule: 'model-size',
      severity: 'block',
      targets: [],
      source: src(12),
    });
    expect(findings[0]!.message).toContain('model gs://bucket/model is 14 GiB (manifests/app.yaml:12)');
    expect(findings[0]!.message).toContain('models over 5 GB stay on the cluster');
  });

  it('only warns when the size is a PVC request, an upper bound', () => {
    const server = modelServer({
      ml: {
        model: model({
          sizeBytes: 700 * GiB,
          sizeEvidence: 'pvc',
          sizeSource: src(9, 'spec.resources.requests.storage'),
        }),
      },
    });
    const [finding] = modelSize.check(server, context());
    expect(finding).toMatchObject({ severity: 'warn', targets: [] });
    expect(finding!.message).toContain(
      'lives on a PVC that requests 700 GiB (manifests/app.yaml:9 (spec.resources.requests.storage)), an upper bound',
    );
    expect(finding!.message).toContain('migrate.dev/model-size');
  });

  it('prefers the migrate.dev/model-size annotation to a PVC size and checks each target', () => {
    const server = modelServer({
      annotations: { 'migrate.dev/model-size': '4500Mi' },
      ml: { model: model({ sizeBytes: 700 * GiB, sizeEvidence: 'pvc', sizeSource: src(9) }) },
    });
    const findings = modelSize.check(server, context());
    expect(findings.map((finding) => [finding.severity, finding.targets])).toEqual([
      ['info', ['aws-lambda']],
      ['warn', ['azure-functions']],
    ]);
    expect(findings[0]!.message).toContain(
      'is 4.4 GiB (manifests/app.yaml:1 (metadata.annotations.migrate.dev/model-size))',
    );
    expect(findings[0]!.message).toContain(
      "over AWS Lambda's 250 MB zip package limit: ship a container image (up to 10 GB) or load it into /tmp (up to 10,240 MB)",
    );
    expect(findings[1]!.message).toContain("over Flex Consumption's largest instance (4,096 MB)");
  });

  it('blocks only the targets whose artifact or memory limit the model exceeds', () => {
    const server = modelServer({
      ml: { model: model({ sizeBytes: 2 * GiB, sizeEvidence: 'catalogue', sizeSource: src(5) }) },
    });
    const findings = modelSize.check(
      server,
      context({
        limits: {
          'cloud-run': {
            maxArtifactBytes: GiB,
            labels: { memory: '32 GiB', cpu: '8 vCPU', timeout: '', artifact: '1 GiB', scratch: null },
          },
        },
      }),
    );
    const blocks = findings.filter((finding) => finding.severity === 'block');
    expect(blocks).toHaveLength(1);
    expect(blocks[0]).toMatchObject({ targets: ['cloud-run'] });
    expect(blocks[0]!.message).toContain(
      'is 2 GiB (manifests/app.yaml:5); Google Cloud Run takes at most 1 GiB per artifact',
    );
  });

  it('says when the size is unknown, how to state it, and what the name suggests', () => {
    const server = modelServer({ ml: { model: model({ uri: 'meta-llama/Meta-Llama-3-70B-Instruct' }) } });
    const [finding] = modelSize.check(server, context());
    expect(finding).toMatchObject({ severity: 'info', targets: [] });
    expect(finding!.message).toContain(
      'size of model meta-llama/Meta-Llama-3-70B-Instruct (manifests/app.yaml:30) is unknown',
    );
    expect(finding!.message).toContain('70B parameters, about 140 GB');
    expect(finding!.message).toContain('migrate.dev/model-size');
  });

  it('reports an annotation that is not a size', () => {
    const [finding] = modelSize.check(
      modelServer({ annotations: { 'migrate.dev/model-size': 'big' } }),
      context(),
    );
    expect(finding).toMatchObject({ severity: 'info' });
    expect(finding!.message).toContain(
      '"big" (manifests/app.yaml:1 (metadata.annotations.migrate.dev/model-size)) is not a size',
    );
  });

  it('stays silent on workloads that serve no model and on small models', () => {
    expect(modelSize.check(workload(), context())).toEqual([]);
    const small = modelServer({
      ml: { model: model({ sizeBytes: 100 * MiB, sizeEvidence: 'local-file', sizeSource: src(5) }) },
    });
    expect(modelSize.check(small, context())).toEqual([]);
  });
});
