import { describe, expect, it } from 'vitest';
import { modelDownload } from './model-download.ts';
import { container, context, modelServer, pod, src, workload } from './test-helpers.ts';

const fetcher = container({
  name: 'fetch',
  role: 'init',
  image: 'python:3.12',
  command: ['sh', '-c'],
  args: ['huggingface-cli download org/model --local-dir /models'],
  source: src(18, 'spec.template.spec.initContainers.0'),
});

describe('model-download', () => {
  it('warns on every target about an init container that downloads the model, saying what to do there', () => {
    const findings = modelDownload.check(
      modelServer({ pod: pod({ containers: [fetcher, container()] }) }),
      context(),
    );
    expect(findings.map((finding) => [finding.severity, finding.targets])).toEqual([
      ['warn', ['aws-lambda']],
      ['warn', ['cloud-run']],
      ['warn', ['azure-functions']],
    ]);
    for (const finding of findings) {
      expect(finding.message).toContain(
        'init container fetch runs `sh -c huggingface-cli download org/model --local-dir /models` (manifests/app.yaml:18',
      );
    }
    expect(findings[0]!.message).toContain('up to 10 GB');
    expect(findings[0]!.message).toContain('/tmp (up to 10,240 MB)');
    expect(findings[0]!.message).toContain('Init, which is limited to 10 s');
    expect(findings[1]!.message).toContain('must move into the container start-up');
    expect(findings[2]!.message).toContain('Flex app init time-out 30 s');
  });

  it("infers KServe's storage-initializer from a remote storageUri", () => {
    const isvc = modelServer({
      kind: 'InferenceService',
      apiVersion: 'serving.kserve.io/v1beta1',
      ml: {
        model: {
          uri: 'gs://kfserving-examples/models/sklearn/1.0/model',
          format: 'sklearn',
          sizeBytes: null,
          sizeSource: null,
          sizeEvidence: null,
          source: src(9, 'spec.predictor.model.storageUri'),
        },
      },
    });
    const findings = modelDownload.check(isvc, context());
    expect(findings).toHaveLength(3);
    expect(findings[0]!.message).toContain(
      "KServe's storage-initializer fetches gs://kfserving-examples/models/sklearn/1.0/model before the server starts (manifests/app.yaml:9 (spec.predictor.model.storageUri))",
    );
  });

  it('counts a bucket mounted through a FUSE CSI driver', () => {
    const fuse = pod({
      volumes: [
        {
          name: 'repo',
          source: { type: 'csi', driver: 'gcsfuse.csi.storage.gke.io' },
          sourceRef: src(63, 'spec.template.spec.volumes.0'),
        },
      ],
    });
    const [first] = modelDownload.check(modelServer({ pod: fuse }), context());
    expect(first).toMatchObject({ severity: 'warn', targets: ['aws-lambda'] });
    expect(first!.message).toContain(
      'volume repo is a Cloud Storage FUSE bucket mount (manifests/app.yaml:63 (spec.template.spec.volumes.0))',
    );
  });

  it('notes other sidecars, which must merge into the container or go', () => {
    const sidecar = container({
      name: 'proxy',
      role: 'sidecar',
      image: 'envoyproxy/envoy:v1.30',
      source: src(70),
    });
    const findings = modelDownload.check(
      workload({ pod: pod({ containers: [container(), sidecar] }) }),
      context(),
    );
    expect(findings).toMatchObject([{ severity: 'info', targets: [] }]);
    expect(findings[0]!.message).toContain(
      'sidecar proxy (envoyproxy/envoy:v1.30) (manifests/app.yaml:70) runs beside the server',
    );
  });

  it('stays silent on a single container that fetches nothing before serving', () => {
    expect(modelDownload.check(modelServer(), context())).toEqual([]);
    const setup = container({
      name: 'perms',
      role: 'init',
      image: 'busybox',
      command: ['sh', '-c', 'chown -R 1000 /models'],
    });
    expect(
      modelDownload.check(workload({ pod: pod({ containers: [setup, container()] }) }), context()),
    ).toEqual([]);
  });
});
