import { describe, expect, it } from 'vitest';
import { accounting, analyseFile, analyseText, workloadById } from './common/testing.ts';

const corpus = (path: string) => new URL(`../../../shared/corpus/k8s/${path}`, import.meta.url);

describe('llminferenceservice', () => {
  it('multi-node with prefill and KEDA scaling; keyed on kind, not on the shared v1alpha2 version', () => {
    const analysed = analyseText(`
apiVersion: serving.kserve.io/v1alpha2
kind: LLMInferenceService
metadata: { name: big }
spec:
  model: { uri: s3://models/llama-70b }
  parallelism: { tensor: 4, pipeline: 2 }
  template:
    containers: [{ name: main, resources: { limits: { nvidia.com/gpu: "4" } } }]
  worker:
    containers: [{ name: main, resources: { limits: { nvidia.com/gpu: "4" } } }]
  prefill:
    replicas: 2
    template:
      containers: [{ name: main, resources: { limits: { nvidia.com/gpu: "1" } } }]
  scaling:
    maxReplicas: 3
    keda:
      pollingInterval: 10
      triggers:
        - type: prometheus
          metadata: { query: sum(vllm:num_requests_waiting), threshold: "8" }
`);
    const workload = workloadById(analysed, 'default/LLMInferenceService/big');
    expect(workload.kind).toBe('LLMInferenceService');
    expect(workload.ml).toMatchObject({
      server: 'vllm',
      tensorParallel: 4,
      multiHost: true,
      model: { uri: 's3://models/llama-70b' },
    });
    expect(workload.resources.gpu.count).toBe(4);
    expect(
      workload.components.map((component) => [
        component.name,
        component.role,
        component.replicas,
        component.resources.gpu.count,
      ]),
    ).toEqual([
      ['worker', 'llm-worker', 1, 4],
      ['prefill', 'llm-prefill', 2, 1],
    ]);
    expect(workload.autoscaling).toMatchObject({
      kind: 'keda',
      minReplicas: 1,
      maxReplicas: 3,
      settings: { pollingIntervalSeconds: 10 },
    });
    expect(workload.autoscaling.metrics).toMatchObject([{ type: 'prometheus', target: { value: 8 } }]);
    expect(workload.replicas).toBe(1);
  });

  it('reports a bad quantity in the template and goes on', () => {
    const analysed = analyseText(`
apiVersion: serving.kserve.io/v1alpha1
kind: LLMInferenceService
metadata: { name: bad }
spec:
  model: { uri: hf://org/model }
  template:
    containers: [{ name: main, resources: { requests: { cpu: two } } }]
`);
    expect(analysed.errors).toEqual([
      {
        file: 'inline.yaml',
        line: 8,
        message: expect.stringContaining(
          'spec.template.containers.0.resources.requests.cpu: invalid quantity "two"',
        ),
      },
    ]);
    expect(workloadById(analysed, 'default/LLMInferenceService/bad').ml.model?.uri).toBe('hf://org/model');
  });

  it('corpus qwen2-7b no-scheduler: 3 replicas, 1 GPU each, model from hf://, no autoscaler', () => {
    const analysed = analyseFile(
      corpus(
        'kserve__kserve/docs/samples/llmisvc/single-node-gpu/llm-inference-service-qwen2-7b-gpu-no-scheduler.yaml',
      ),
    );
    expect(accounting(analysed)).toEqual({
      workloads: ['default/LLMInferenceService/qwen2-7b-instruct-single-no-scheduler'],
      related: [],
      skipped: [],
      lost: 0,
    });
    expect(analysed.errors).toEqual([]);
    const workload = workloadById(
      analysed,
      'default/LLMInferenceService/qwen2-7b-instruct-single-no-scheduler',
    );
    expect(workload.apiVersion).toBe('serving.kserve.io/v1alpha2');
    expect(workload.replicas).toBe(3);
    expect(workload.resources).toMatchObject({ cpuMillis: 2000, memoryBytes: 16 * 2 ** 30 });
    expect(workload.resources.gpu).toMatchObject({
      count: 1,
      resource: 'nvidia.com/gpu',
      source: { line: 21 },
    });
    expect(workload.ml).toMatchObject({
      isModelServer: true,
      server: 'vllm',
      model: { uri: 'hf://Qwen/Qwen2.5-7B-Instruct', source: { line: 7 } },
    });
    expect(workload.autoscaling.kind).toBe('none');
    expect(workload.pod.containers[0]?.probes.liveness).toMatchObject({
      path: '/health',
      initialDelaySeconds: 120,
    });
  });
});
