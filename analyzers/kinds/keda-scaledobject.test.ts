import { describe, expect, it } from 'vitest';
import {
  accounting,
  analyseFile,
  analyseText,
  readText,
  relatedById,
  workloadById,
} from './common/testing.ts';

const corpus = (path: string) => new URL(`../../../shared/corpus/k8s/${path}`, import.meta.url);

const SUBSCRIPTION = 'projects/${PROJECT_ID}/subscriptions/keda-echo-read';

const DEPLOYMENT = `
apiVersion: apps/v1
kind: Deployment
metadata: { name: worker, namespace: jobs }
spec:
  template:
    metadata: { labels: { app: worker } }
    spec:
      containers: [{ name: worker, image: example/worker:1 }]
`;

describe('keda-scaledobject', () => {
  it('attaches to its Deployment with KEDA defaults, triggers as metrics and the HPA behavior', () => {
    const analysed = analyseText(`${DEPLOYMENT}
---
apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata: { name: worker-scaler, namespace: jobs }
spec:
  scaleTargetRef: { name: worker }
  idleReplicaCount: 0
  advanced:
    horizontalPodAutoscalerConfig:
      behavior:
        scaleDown: { stabilizationWindowSeconds: 120 }
  triggers:
    - type: prometheus
      metadata: { metricName: queue_depth, query: sum(queue_depth), threshold: "2.5" }
    - type: cpu
      metricType: Utilization
      metadata: { value: "60" }
`);
    const workload = workloadById(analysed, 'jobs/Deployment/worker');
    const scaling = workload.autoscaling;
    expect(scaling.kind).toBe('keda');
    expect(scaling.by).toBe('jobs/ScaledObject/worker-scaler');
    expect([scaling.minReplicas, scaling.maxReplicas]).toEqual([0, 100]);
    expect(scaling.settings).toMatchObject({
      pollingIntervalSeconds: 30,
      cooldownPeriodSeconds: 300,
      idleReplicaCount: 0,
    });
    expect(String(scaling.settings.defaulted)).toContain('platform-facts.md a.5');
    expect(scaling.behavior).toEqual({ scaleDown: { stabilizationWindowSeconds: 120 } });
    expect(scaling.metrics.map((metric) => [metric.type, metric.name, metric.target])).toEqual([
      ['prometheus', 'queue_depth', { type: 'AverageValue', value: 2.5 }],
      ['cpu', 'cpu', { type: 'Utilization', value: 60 }],
    ]);
    expect(scaling.metrics[0]?.source?.line).toBe(23);
    expect(workload.serving.scaleToZero).toBe(true);
  });

  it('reports a bad threshold with file, line and field, and still links', () => {
    const analysed = analyseText(`${DEPLOYMENT}
---
apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata: { name: worker-scaler, namespace: jobs }
spec:
  scaleTargetRef: { name: worker }
  triggers:
    - type: prometheus
      metadata:
        query: sum(rate(x[1m]))
        threshold: lots
`);
    expect(analysed.errors).toEqual([
      {
        file: 'inline.yaml',
        line: 21,
        message: expect.stringContaining('spec.triggers.0.metadata.threshold: invalid quantity "lots"'),
      },
    ]);
    const workload = workloadById(analysed, 'jobs/Deployment/worker');
    expect(workload.autoscaling.kind).toBe('keda');
    expect(workload.autoscaling.metrics[0]?.target).toBeNull();
  });

  it('attaches a TriggerAuthentication through the ScaledObject that names it; a cluster one from any namespace', () => {
    const analysed = analyseText(`${DEPLOYMENT}
---
apiVersion: keda.sh/v1alpha1
kind: TriggerAuthentication
metadata: { name: local-auth, namespace: jobs }
spec: { secretTargetRef: [{ parameter: password, name: db, key: pw }] }
---
apiVersion: keda.sh/v1alpha1
kind: ClusterTriggerAuthentication
metadata: { name: shared-auth }
spec: { podIdentity: { provider: aws } }
---
apiVersion: keda.sh/v1alpha1
kind: TriggerAuthentication
metadata: { name: unused, namespace: jobs }
spec: {}
---
apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata: { name: worker-scaler, namespace: jobs }
spec:
  scaleTargetRef: { name: worker }
  triggers:
    - type: aws-sqs-queue
      authenticationRef: { name: local-auth }
      metadata: { queueURL: https://sqs/q, queueLength: "5" }
    - type: postgresql
      authenticationRef: { name: shared-auth, kind: ClusterTriggerAuthentication }
      metadata: { query: select 1, targetQueryValue: "1" }
`);
    expect(relatedById(analysed, 'jobs/TriggerAuthentication/local-auth')).toMatchObject({
      role: 'auth',
      attachedTo: ['jobs/Deployment/worker'],
    });
    expect(relatedById(analysed, 'ClusterTriggerAuthentication/shared-auth')).toMatchObject({
      role: 'auth',
      namespace: '',
      attachedTo: ['jobs/Deployment/worker'],
    });
    expect(relatedById(analysed, 'jobs/TriggerAuthentication/unused')).toMatchObject({
      attachedTo: [],
      link: 'no autoscaler in the input uses it',
    });
    const metrics = workloadById(analysed, 'jobs/Deployment/worker').autoscaling.metrics;
    expect(metrics.map((metric) => [metric.name, metric.target?.value ?? null])).toEqual([
      ['https://sqs/q', 5],
      ['select 1', null],
    ]);
  });

  it('keeps a scale target of another kind, and reports it unattached when absent', () => {
    const analysed = analyseText(`
apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata: { name: s }
spec:
  scaleTargetRef: { apiVersion: argoproj.io/v1alpha1, kind: Rollout, name: r }
  minReplicaCount: 2
  maxReplicaCount: 8
  triggers: []
`);
    expect(relatedById(analysed, 'default/ScaledObject/s')).toMatchObject({
      role: 'autoscaler',
      attachedTo: [],
      link: 'scale target Rollout/r is not in the input',
    });
  });

  it('corpus keda-pubsub-scaledobject.yaml: TriggerAuthentication and gcp-pubsub ScaledObject, target not in the input', () => {
    const analysed = analyseFile(
      corpus(
        'GoogleCloudPlatform__kubernetes-engine-samples/cost-optimization/gke-keda/cloud-pubsub/deployment/keda-pubsub-scaledobject.yaml',
      ),
    );
    expect(accounting(analysed)).toEqual({
      workloads: [],
      related: ['keda-pubsub/TriggerAuthentication/keda-auth', 'keda-pubsub/ScaledObject/keda-pubsub'],
      skipped: [],
      lost: 0,
    });
    expect(analysed.errors).toEqual([]);
    expect(relatedById(analysed, 'keda-pubsub/ScaledObject/keda-pubsub').link).toBe(
      'scale target Deployment/keda-pubsub is not in the input',
    );
    expect(relatedById(analysed, 'keda-pubsub/TriggerAuthentication/keda-auth').link).toBe(
      'used by keda-pubsub/ScaledObject/keda-pubsub, whose scale target is not in the input',
    );
  });

  it('corpus keda-pubsub-scaledobject.yaml: scale to zero, max 5, fast polling, gcp-pubsub trigger', () => {
    // The same file with a Deployment of the target's name added, to see the autoscaling it would get.
    const file = corpus(
      'GoogleCloudPlatform__kubernetes-engine-samples/cost-optimization/gke-keda/cloud-pubsub/deployment/keda-pubsub-scaledobject.yaml',
    );
    const text = `${DEPLOYMENT.replace('name: worker, namespace: jobs', 'name: keda-pubsub, namespace: keda-pubsub')}---\n${readText(file)}`;
    const workload = workloadById(analyseText(text), 'keda-pubsub/Deployment/keda-pubsub');
    expect(workload.autoscaling).toMatchObject({
      kind: 'keda',
      minReplicas: 0,
      maxReplicas: 5,
      settings: { pollingIntervalSeconds: 5, cooldownPeriodSeconds: 10 },
    });
    expect(workload.autoscaling.metrics).toMatchObject([
      { type: 'gcp-pubsub', name: SUBSCRIPTION, target: null },
    ]);
    expect(workload.serving.scaleToZero).toBe(true);
    expect(workload.related).toEqual([
      'keda-pubsub/ScaledObject/keda-pubsub',
      'keda-pubsub/TriggerAuthentication/keda-auth',
    ]);
  });

  it('corpus keda-scaled-object.yaml: prometheus trigger on vllm:num_requests_waiting, min 1 max 2', () => {
    const analysed = analyseFile(
      corpus('vllm-project__production-stack/tutorials/assets/keda-scaled-object.yaml'),
    );
    expect(accounting(analysed)).toEqual({
      workloads: [],
      related: ['default/ScaledObject/vllm-scaledobject'],
      skipped: [],
      lost: 0,
    });
    const text = `${DEPLOYMENT.replace('name: worker, namespace: jobs', 'name: vllm-llama3-deployment-vllm')}---\n${readText(corpus('vllm-project__production-stack/tutorials/assets/keda-scaled-object.yaml'))}`;
    const scaling = workloadById(
      analyseText(text),
      'default/Deployment/vllm-llama3-deployment-vllm',
    ).autoscaling;
    expect(scaling).toMatchObject({
      kind: 'keda',
      minReplicas: 1,
      maxReplicas: 2,
      settings: { pollingIntervalSeconds: 15, cooldownPeriodSeconds: 360 },
    });
    expect(scaling.metrics).toMatchObject([
      { type: 'prometheus', name: 'vllm:num_requests_waiting', target: { type: 'AverageValue', value: 5 } },
    ]);
  });
});
