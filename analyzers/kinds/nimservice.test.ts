import { describe, expect, it } from 'vitest';
import { accounting, analyseFile, analyseText, relatedById, workloadById } from './common/testing.ts';

const NIM = new URL(
  '../../../shared/corpus/k8s/awslabs__ai-on-eks/blueprints/inference/gpu/nvidia-nim-operator-llama3-8b/nim-service-llama3-8b-instruct.yaml',
  import.meta.url,
);

describe('nimservice', () => {
  it('corpus nim-service-llama3-8b-instruct.yaml: 2 GPUs from the CR, NIM image, NIMCache weights', () => {
    const analysed = analyseFile(NIM);
    expect(accounting(analysed)).toEqual({
      workloads: ['nim-service/NIMService/meta-llama3-8b-instruct'],
      related: [],
      skipped: [],
      lost: 0,
    });
    expect(analysed.errors).toEqual([]);
    const workload = workloadById(analysed, 'nim-service/NIMService/meta-llama3-8b-instruct');
    expect(workload.replicas).toBe(1);
    expect(workload.resources).toMatchObject({ cpuMillis: 40_000, memoryBytes: null });
    expect(workload.resources.gpu).toMatchObject({
      count: 2,
      resource: 'nvidia.com/gpu',
      evidence: ['operator-field'],
      source: { line: 44, field: 'spec.resources.limits.nvidia.com/gpu' },
    });
    expect(workload.ml).toMatchObject({
      isModelServer: true,
      server: 'nim',
      model: { uri: 'nvcr.io/nim/meta/llama-3.1-8b-instruct:1.3.3', format: 'nim' },
    });
    expect(workload.pod.containers[0]).toMatchObject({
      image: 'nvcr.io/nim/meta/llama-3.1-8b-instruct:1.3.3',
      envFrom: [{ secretRef: 'ngc-api-secret' }],
    });
    expect(workload.pod.nodeSelector).toEqual({ instanceType: 'g5-gpu-karpenter' });
    expect(workload.pod.volumes).toMatchObject([
      { source: { type: 'other', kind: 'NIMCache/meta-llama3-8b-instruct' } },
    ]);
    expect(workload.autoscaling.kind).toBe('none');
    expect(workload.notes.map((note) => note.message)).toContain(
      'model weights come from NIMCache meta-llama3-8b-instruct, downloaded ahead of time to its PVC (warm start, no download per pod)',
    );
  });

  it('scale.hpa becomes an HPA; the auth secret and a model PVC attach; a bad quantity is reported', () => {
    const analysed = analyseText(`
apiVersion: apps.nvidia.com/v1alpha1
kind: NIMService
metadata: { name: nim }
spec:
  image: { repository: nvcr.io/nim/meta/llama3-70b-instruct, tag: "1.0" }
  authSecret: ngc-api
  storage: { pvc: { name: nim-models }, readOnly: true }
  resources: { limits: { nvidia.com/gpu: 4, memory: lots } }
  scale:
    enabled: true
    hpa:
      maxReplicas: 3
      metrics:
        - type: Pods
          pods: { metric: { name: gpu_cache_usage_perc }, target: { type: AverageValue, averageValue: 500m } }
---
apiVersion: v1
kind: Secret
metadata: { name: ngc-api }
data: { NGC_API_KEY: eA== }
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: { name: nim-models }
spec: { accessModes: [ReadWriteMany], resources: { requests: { storage: 300Gi } } }
`);
    expect(analysed.errors.map((error) => [error.line, error.message.split(':')[0]])).toEqual([
      [9, 'spec.resources.limits.memory'],
    ]);
    const workload = workloadById(analysed, 'default/NIMService/nim');
    expect(workload.resources.gpu.count).toBe(4);
    expect(workload.autoscaling).toMatchObject({
      kind: 'hpa',
      minReplicas: 1,
      maxReplicas: 3,
      metrics: [{ type: 'Pods', name: 'gpu_cache_usage_perc', target: { type: 'AverageValue', value: 0.5 } }],
    });
    expect(relatedById(analysed, 'default/Secret/ngc-api').attachedTo).toEqual(['default/NIMService/nim']);
    expect(relatedById(analysed, 'default/PersistentVolumeClaim/nim-models').attachedTo).toEqual([
      'default/NIMService/nim',
    ]);
    expect(workload.state.writablePvcs).toEqual([]);
  });
});
