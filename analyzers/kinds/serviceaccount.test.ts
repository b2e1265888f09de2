import { describe, expect, it } from 'vitest';
import { analyseText, relatedById } from './common/testing.ts';

describe('serviceaccount', () => {
  it('attaches to the workloads whose pods run as it; `default` covers pods that name none', () => {
    const analysed = analyseText(`
apiVersion: v1
kind: ServiceAccount
metadata: { name: model-reader, annotations: { iam.gke.io/gcp-service-account: reader@p.iam.gserviceaccount.com } }
---
apiVersion: v1
kind: ServiceAccount
metadata: { name: default }
---
apiVersion: v1
kind: ServiceAccount
metadata: { name: model-reader, namespace: other }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: with-sa }
spec: { template: { spec: { serviceAccountName: model-reader, containers: [{ name: c, image: example/c }] } } }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: without-sa }
spec: { template: { spec: { containers: [{ name: c, image: example/c }] } } }
`);
    expect(relatedById(analysed, 'default/ServiceAccount/model-reader')).toMatchObject({
      role: 'auth',
      attachedTo: ['default/Deployment/with-sa'],
    });
    expect(relatedById(analysed, 'default/ServiceAccount/default')).toMatchObject({
      attachedTo: ['default/Deployment/without-sa'],
    });
    expect(relatedById(analysed, 'other/ServiceAccount/model-reader')).toMatchObject({
      attachedTo: [],
      link: 'no workload in the input runs as it',
    });
  });
});
