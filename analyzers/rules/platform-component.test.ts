import { describe, expect, it } from 'vitest';
import { platformComponent } from './platform-component.ts';
import { container, context, modelServer, pod, src, workload } from './test-helpers.ts';

const withImages = (...images: string[]) =>
  workload({
    pod: pod({
      containers: images.map((image, index) =>
        container({
          name: `c${index}`,
          role: index === 0 ? 'main' : 'sidecar',
          image,
          source: src(30 + index),
        }),
      ),
    }),
  });

describe('platform-component', () => {
  it('keeps controllers and webhooks of the serving platform with the cluster', () => {
    const findings = platformComponent.check(
      withImages('kserve/kserve-controller:v0.14.0', 'quay.io/brancz/kube-rbac-proxy:v0.13.1'),
      context(),
    );
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      rule: 'platform-component',
      severity: 'block',
      targets: [],
      source: src(30),
    });
    expect(findings[0]!.message).toBe(
      'platform component: stays with the cluster (KServe image kserve/kserve-controller:v0.14.0 (manifests/app.yaml:30) and cluster infrastructure image quay.io/brancz/kube-rbac-proxy:v0.13.1 (manifests/app.yaml:31))',
    );
    const knative = platformComponent.check(
      withImages('gcr.io/knative-releases/knative.dev/serving/cmd/activator@sha256:abc'),
      context(),
    );
    expect(knative[0]!.message).toContain(
      'Knative image gcr.io/knative-releases/knative.dev/serving/cmd/activator@sha256:abc (manifests/app.yaml:30)',
    );
    expect(platformComponent.check(withImages('ghcr.io/kedacore/keda:2.14.0'), context())).toHaveLength(1);
  });

  it('stays silent on apps, test images and model servers', () => {
    expect(
      platformComponent.check(withImages('ko://knative.dev/serving/test/test_images/autoscale'), context()),
    ).toEqual([]);
    expect(
      platformComponent.check(withImages('kserve/kserve-controller:v0.14.0', 'example.com/app:1'), context()),
    ).toEqual([]);
    expect(platformComponent.check(workload(), context())).toEqual([]);
    const server = modelServer({
      pod: pod({
        containers: [
          container({ image: 'kserve/storage-initializer:v0.14.0', role: 'init' }),
          container({ image: 'kserve/sklearnserver:v0.14.0' }),
        ],
      }),
    });
    expect(platformComponent.check(server, context())).toEqual([]);
  });
});
