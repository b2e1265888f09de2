import { describe, expect, it } from 'vitest';
import { analyseText, relatedById, workloadById } from './common/testing.ts';

const DEPLOYMENT = `
apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  template:
    spec:
      containers: [{ name: web, image: example/web:1 }]
---
`;

describe('keda-httpscaledobject', () => {
  it('scales its target on request concurrency with replica bounds and scaledownPeriod', () => {
    const analysed = analyseText(`${DEPLOYMENT}
apiVersion: http.keda.sh/v1alpha1
kind: HTTPScaledObject
metadata: { name: web-http }
spec:
  hosts: [web.example.com]
  scaleTargetRef: { name: web, kind: Deployment, apiVersion: apps/v1, service: web, port: 8080 }
  replicas: { min: 1, max: 10 }
  scaledownPeriod: 120
  scalingMetric:
    concurrency: { targetValue: 25 }
`);
    const scaling = workloadById(analysed, 'default/Deployment/web').autoscaling;
    expect(scaling).toMatchObject({
      kind: 'keda-http',
      by: 'default/HTTPScaledObject/web-http',
      minReplicas: 1,
      maxReplicas: 10,
    });
    expect(scaling.settings).toMatchObject({ scaledownPeriodSeconds: 120, hosts: 'web.example.com' });
    expect(scaling.metrics).toMatchObject([
      { type: 'concurrency', name: 'concurrency', target: { type: 'AverageValue', value: 25 } },
    ]);
    expect(relatedById(analysed, 'default/HTTPScaledObject/web-http')).toMatchObject({
      role: 'autoscaler',
      attachedTo: ['default/Deployment/web'],
    });
  });

  it('reads request-rate scaling and fills the add-on and KEDA defaults', () => {
    const analysed = analyseText(`${DEPLOYMENT}
apiVersion: http.keda.sh/v1alpha1
kind: HTTPScaledObject
metadata: { name: web-http }
spec:
  scaleTargetRef: { name: web, service: web, port: 8080 }
  scalingMetric:
    requestRate: { window: 2m }
`);
    const scaling = workloadById(analysed, 'default/Deployment/web').autoscaling;
    expect([scaling.minReplicas, scaling.maxReplicas]).toEqual([0, 100]);
    expect(scaling.metrics).toMatchObject([{ type: 'rps', name: 'requestRate', target: { value: 100 } }]);
    expect(scaling.settings).toMatchObject({
      scaledownPeriodSeconds: 300,
      requestRateWindow: '2m',
      requestRateGranularity: '1s',
    });
    expect(String(scaling.settings.defaulted)).toContain('requestRate.targetValue 100');
    expect(workloadById(analysed, 'default/Deployment/web').serving.scaleToZero).toBe(true);
  });

  it('reads the pre-0.9 shape (scaleTargetRef.deployment, targetPendingRequests) and reports a bad target', () => {
    const analysed = analyseText(`${DEPLOYMENT}
apiVersion: http.keda.sh/v1alpha1
kind: HTTPScaledObject
metadata: { name: old }
spec:
  host: web.example.com
  targetPendingRequests: many
  scaleTargetRef: { deployment: web, service: web, port: 80 }
`);
    expect(analysed.errors).toEqual([
      {
        file: 'inline.yaml',
        line: 16,
        message: expect.stringContaining('spec.targetPendingRequests: invalid quantity "many"'),
      },
    ]);
    const scaling = workloadById(analysed, 'default/Deployment/web').autoscaling;
    expect(scaling.metrics).toMatchObject([
      { type: 'concurrency', name: 'targetPendingRequests', target: { value: 100 } },
    ]);
  });
});
