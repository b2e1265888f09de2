import { describe, expect, it } from 'vitest';
import { analyseText, workloadById } from './common/testing.ts';

describe('seldondeployment', () => {
  it('prepackaged server: graph implementation and modelUri, hpaSpec in v2beta1 shape, other predictors as components', () => {
    const analysed = analyseText(`
apiVersion: machinelearning.seldon.io/v1
kind: SeldonDeployment
metadata: { name: iris, namespace: seldon }
spec:
  predictors:
    - name: main
      replicas: 2
      traffic: 90
      graph: { name: classifier, implementation: SKLEARN_SERVER, modelUri: gs://seldon-models/sklearn/iris }
      componentSpecs:
        - spec:
            containers:
              - name: classifier
                resources: { requests: { cpu: 500m, memory: 1Gi } }
          hpaSpec:
            minReplicas: 2
            maxReplicas: 6
            metrics:
              - type: Resource
                resource: { name: cpu, targetAverageUtilization: 70 }
    - name: canary
      traffic: 10
      graph: { name: classifier, implementation: SKLEARN_SERVER, modelUri: gs://seldon-models/sklearn/iris-v2 }
      componentSpecs:
        - spec:
            containers: [{ name: classifier, resources: { limits: { nvidia.com/gpu: 1 } } }]
`);
    const workload = workloadById(analysed, 'seldon/SeldonDeployment/iris');
    expect(workload.replicas).toBe(2);
    expect(workload.ml).toMatchObject({
      isModelServer: true,
      server: 'seldon',
      serverEvidence: 'SeldonDeployment graph implementation SKLEARN_SERVER',
      model: { uri: 'gs://seldon-models/sklearn/iris', format: 'sklearn', source: { line: 10 } },
    });
    expect(workload.resources).toMatchObject({ cpuMillis: 500, memoryBytes: 2 ** 30, gpu: { count: 0 } });
    expect(workload.autoscaling).toMatchObject({
      kind: 'hpa',
      minReplicas: 2,
      maxReplicas: 6,
      metrics: [{ type: 'Resource', name: 'cpu', target: { type: 'Utilization', value: 70 } }],
    });
    expect(workload.components).toMatchObject([
      { name: 'canary/0', role: 'seldon-predictor', replicas: 1, resources: { gpu: { count: 1 } } },
    ]);
    expect(workload.notes.map((note) => note.message)).toContain(
      '2 predictors; the primary takes 90% of traffic: the others are listed as components',
    );
  });

  it('custom image with a kedaSpec; shadows are not primary; bad quantities are reported', () => {
    const analysed = analyseText(`
apiVersion: machinelearning.seldon.io/v1alpha3
kind: SeldonDeployment
metadata: { name: custom }
spec:
  predictors:
    - name: shadow
      shadow: true
      graph: { name: m }
      componentSpecs: [{ spec: { containers: [{ name: m, image: example/shadow }] } }]
    - name: live
      graph: { name: m, type: MODEL }
      componentSpecs:
        - spec:
            containers: [{ name: m, image: seldonio/mlserver:1.5.0, resources: { requests: { memory: 2GiB } } }]
          kedaSpec:
            minReplicaCount: 0
            maxReplicaCount: 5
            triggers:
              - type: prometheus
                metadata: { query: "sum(rate(seldon_requests[1m]))", threshold: "20" }
`);
    expect(analysed.errors).toEqual([
      {
        file: 'inline.yaml',
        line: 15,
        message: expect.stringContaining(
          'spec.predictors.1.componentSpecs.0.spec.containers.0.resources.requests.memory: invalid quantity "2GiB"',
        ),
      },
    ]);
    const workload = workloadById(analysed, 'default/SeldonDeployment/custom');
    expect(workload.ml).toMatchObject({ server: 'mlserver' });
    expect(workload.autoscaling).toMatchObject({
      kind: 'keda',
      minReplicas: 0,
      maxReplicas: 5,
      metrics: [{ type: 'prometheus', target: { value: 20 } }],
    });
    expect(workload.serving.scaleToZero).toBe(true);
    expect(workload.components.map((component) => [component.name, component.role])).toEqual([
      ['shadow/0', 'seldon-shadow'],
    ]);
  });
});
