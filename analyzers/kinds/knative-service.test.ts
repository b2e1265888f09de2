import { describe, expect, it } from 'vitest';
import { parseDurationSeconds } from './common/knative.ts';
import { accounting, analyseFile, analyseText, relatedById, workloadById } from './common/testing.ts';

const corpus = (path: string) => new URL(`../../../shared/corpus/k8s/${path}`, import.meta.url);

describe('knative-service', () => {
  it('reads every autoscaling annotation of the revision template, in both spellings', () => {
    const analysed = analyseText(`
apiVersion: serving.knative.dev/v1
kind: Service
metadata: { name: model, namespace: ml }
spec:
  template:
    metadata:
      labels: { app: model }
      annotations:
        autoscaling.knative.dev/min-scale: "1"
        autoscaling.knative.dev/maxScale: "20"
        autoscaling.knative.dev/metric: rps
        autoscaling.knative.dev/target: "150"
        autoscaling.knative.dev/target-utilization-percentage: "80"
        autoscaling.knative.dev/target-burst-capacity: "0"
        autoscaling.knative.dev/window: 2m30s
        autoscaling.knative.dev/initial-scale: "3"
    spec:
      containerConcurrency: 4
      timeoutSeconds: 120
      containers:
        - image: nvcr.io/nvidia/tritonserver:24.01-py3
          resources: { limits: { nvidia.com/gpu: 1 } }
`);
    const workload = workloadById(analysed, 'ml/Service/model');
    expect(workload.autoscaling).toMatchObject({
      kind: 'knative',
      by: 'ml/Service/model',
      minReplicas: 1,
      maxReplicas: 20,
    });
    expect(workload.autoscaling.metrics).toMatchObject([
      { type: 'rps', name: 'rps', target: { type: 'AverageValue', value: 150 }, source: { line: 13 } },
    ]);
    expect(workload.autoscaling.settings).toMatchObject({
      class: 'kpa.autoscaling.knative.dev',
      targetUtilizationPercentage: 80,
      targetBurstCapacity: 0,
      stableWindowSeconds: 150,
      initialScale: 3,
    });
    expect(workload.serving).toMatchObject({
      containerConcurrency: 4,
      timeoutSeconds: 120,
      scaleToZero: false,
    });
    expect(workload.replicas).toBe(1);
    expect(workload.ml).toMatchObject({ isModelServer: true, server: 'triton' });
    expect(workload.resources.gpu.count).toBe(1);
    expect(workload.pod.labels).toEqual({ app: 'model', 'serving.knative.dev/service': 'model' });
  });

  it('caps the concurrency target at containerConcurrency and uses the HPA class for cpu', () => {
    const capped = analyseText(`
apiVersion: serving.knative.dev/v1
kind: Service
metadata: { name: a }
spec:
  template:
    metadata: { annotations: { autoscaling.knative.dev/target: "50" } }
    spec: { containerConcurrency: 10, containers: [{ image: example/a }] }
`);
    expect(workloadById(capped, 'default/Service/a').autoscaling.metrics[0]?.target?.value).toBe(10);
    const hpa = analyseText(`
apiVersion: serving.knative.dev/v1
kind: Service
metadata: { name: b }
spec:
  template:
    metadata:
      annotations:
        autoscaling.knative.dev/class: hpa.autoscaling.knative.dev
        autoscaling.knative.dev/target: "75"
    spec: { containers: [{ image: example/b }] }
`);
    const scaling = workloadById(hpa, 'default/Service/b').autoscaling;
    expect(scaling.kind).toBe('hpa');
    expect(scaling.metrics).toMatchObject([{ type: 'cpu', target: { type: 'Utilization', value: 75 } }]);
  });

  it('reports malformed annotations with file, line and field, and reads the rest', () => {
    const analysed = analyseText(`
apiVersion: serving.knative.dev/v1
kind: Service
metadata: { name: bad }
spec:
  template:
    metadata:
      annotations:
        autoscaling.knative.dev/min-scale: "1.5"
        autoscaling.knative.dev/max-scale: ten
        autoscaling.knative.dev/window: soon
    spec:
      containers: [{ image: example/bad, resources: { requests: { memory: 1Gb } } }]
`);
    expect(analysed.errors.map((error) => [error.line, error.message.split(':')[0]])).toEqual([
      [13, 'spec.template.spec.containers.0.resources.requests.memory'],
      [9, 'spec.template.metadata.annotations.autoscaling.knative.dev/min-scale'],
      [10, 'spec.template.metadata.annotations.autoscaling.knative.dev/max-scale'],
      [11, 'spec.template.metadata.annotations.autoscaling.knative.dev/window'],
    ]);
    const workload = workloadById(analysed, 'default/Service/bad');
    expect(workload.autoscaling).toMatchObject({
      kind: 'knative',
      minReplicas: 0,
      maxReplicas: null,
      settings: { stableWindowSeconds: 60 },
    });
  });

  it('parses Go durations', () => {
    expect(parseDurationSeconds('60s')).toBe(60);
    expect(parseDurationSeconds('1m30s')).toBe(90);
    expect(parseDurationSeconds('1h')).toBe(3600);
    expect(parseDurationSeconds('500ms')).toBe(0.5);
    expect(parseDurationSeconds('60')).toBeNull();
  });

  it('corpus autoscale-go/service.yaml: target 10 in-flight requests, scales to zero', () => {
    const analysed = analyseFile(
      corpus('knative__docs/docs/versioned/serving/autoscaling/autoscale-go/service.yaml'),
    );
    expect(accounting(analysed)).toEqual({
      workloads: ['default/Service/autoscale-go'],
      related: [],
      skipped: [],
      lost: 0,
    });
    const workload = workloadById(analysed, 'default/Service/autoscale-go');
    expect(workload.autoscaling).toMatchObject({ kind: 'knative', minReplicas: 0, maxReplicas: null });
    expect(workload.autoscaling.metrics).toMatchObject([
      { type: 'concurrency', target: { value: 10 }, source: { line: 24 } },
    ]);
    expect(workload.serving).toMatchObject({
      scaleToZero: true,
      timeoutSeconds: 300,
      containerConcurrency: null,
    });
    expect(workload.ml.isModelServer).toBe(false);
    expect(workload.resources.gpu.count).toBe(0);
  });

  it('corpus machinelearning-python-bentoml/service.yaml: CPU-only service with Knative defaults', () => {
    const analysed = analyseFile(
      corpus('knative__docs/code-samples/community/serving/machinelearning-python-bentoml/service.yaml'),
    );
    expect(accounting(analysed)).toEqual({
      workloads: ['default/Service/iris-classifier'],
      related: [],
      skipped: [],
      lost: 0,
    });
    const workload = workloadById(analysed, 'default/Service/iris-classifier');
    expect(workload.autoscaling).toMatchObject({ kind: 'knative', minReplicas: 0, maxReplicas: null });
    expect(workload.autoscaling.metrics[0]?.target?.value).toBe(100);
    expect(workload.pod.containers[0]?.image).toBe('docker.io/{username}/iris-classifier');
    expect(workload.pod.containers[0]?.probes.readiness?.timeoutSeconds).toBe(60);
    expect(workload.resources.gpu.count).toBe(0);
  });

  it('corpus dataplane-probe-setup.yaml: two Knative Services fixed at 5, a core Service and a Deployment', () => {
    const analysed = analyseFile(
      corpus('knative__serving/test/performance/benchmarks/dataplane-probe/dataplane-probe-setup.yaml'),
    );
    expect(accounting(analysed)).toEqual({
      workloads: [
        'default/Service/activator',
        'default/Service/queue-proxy',
        'default/Deployment/deployment',
      ],
      related: ['default/Service/deployment'],
      skipped: [],
      lost: 0,
    });
    for (const [name, burst] of [
      ['activator', -1],
      ['queue-proxy', 0],
    ] as const) {
      const workload = workloadById(analysed, `default/Service/${name}`);
      expect(workload.autoscaling).toMatchObject({
        kind: 'knative',
        minReplicas: 5,
        maxReplicas: 5,
        settings: { targetBurstCapacity: burst },
      });
      expect(workload.serving).toMatchObject({ containerConcurrency: null, scaleToZero: false });
      expect(workload.notes.map((note) => note.message)).toContain(
        'containerConcurrency 0: no per-pod request limit (Knative default)',
      );
      expect(workload.ml.isModelServer).toBe(false);
    }
    expect(relatedById(analysed, 'default/Service/deployment').attachedTo).toEqual([
      'default/Deployment/deployment',
    ]);
  });
});
