import { describe, expect, it } from 'vitest';
import { accounting, analyseFile, analyseText, workloadById } from './common/testing.ts';

const SAMPLES = new URL(
  '../../../shared/corpus/k8s/vllm-project__production-stack/operator/config/samples/production-stack_v1alpha1_vllmruntime_autoscaling.yaml',
  import.meta.url,
);

describe('vllmruntime', () => {
  it('corpus autoscaling samples: three VLLMRuntimes, 1 GPU each as an operator field, KEDA via the operator', () => {
    const analysed = analyseFile(SAMPLES);
    expect(accounting(analysed)).toEqual({
      workloads: ['minimal', 'scale-to-zero', 'sample'].map(
        (name) => `default/VLLMRuntime/vllmruntime-autoscaling-${name}`,
      ),
      related: [],
      skipped: [],
      lost: 0,
    });
    expect(analysed.errors).toEqual([]);
    for (const workload of analysed.workloads) {
      expect(workload.resources.gpu).toMatchObject({
        count: 1,
        resource: 'nvidia.com/gpu',
        evidence: ['operator-field'],
        source: { field: 'spec.deploymentConfig.resources.gpu' },
      });
      expect(workload.ml).toMatchObject({
        isModelServer: true,
        server: 'vllm',
        model: { uri: 'meta-llama/Llama-3.1-8B-Instruct' },
      });
      expect(workload.pod.containers[0]?.image).toBe('docker.io/lmcache/vllm-openai:latest');
      expect(workload.replicas).toBe(1);
      expect(workload.autoscaling.kind).toBe('keda');
    }
    const minimal = workloadById(analysed, 'default/VLLMRuntime/vllmruntime-autoscaling-minimal');
    expect(minimal.resources.gpu.source?.line).toBe(20);
    expect(minimal.autoscaling).toMatchObject({
      minReplicas: 1,
      maxReplicas: 2,
      settings: { pollingIntervalSeconds: 15 },
    });
    expect(String(minimal.autoscaling.settings.defaulted)).toContain('minReplicas 1');
    expect(minimal.autoscaling.metrics.map((metric) => metric.target?.value)).toEqual([5, 100, 100]);
    expect(minimal.serving.scaleToZero).toBe(false);

    const zero = workloadById(analysed, 'default/VLLMRuntime/vllmruntime-autoscaling-scale-to-zero');
    expect(zero.autoscaling).toMatchObject({
      minReplicas: 0,
      maxReplicas: 2,
      settings: { scaleToZeroDelaySeconds: 600 },
    });
    expect(zero.serving.scaleToZero).toBe(true);

    const sample = workloadById(analysed, 'default/VLLMRuntime/vllmruntime-autoscaling-sample');
    expect(sample.resources).toMatchObject({ cpuMillis: 8000, memoryBytes: 32 * 2 ** 30 });
    expect(sample.ml.tensorParallel).toBe(1);
    expect(sample.autoscaling).toMatchObject({
      minReplicas: 1,
      maxReplicas: 4,
      behavior: {
        scaleUp: { stabilizationWindowSeconds: 0, policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] },
        scaleDown: {
          stabilizationWindowSeconds: 300,
          policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }],
        },
      },
    });
    expect(sample.autoscaling.settings.defaulted).toBeUndefined();
    expect(sample.autoscaling.metrics[0]).toMatchObject({
      type: 'prometheus',
      name: 'vllm requests running per pod',
      source: { line: 130 },
    });
  });

  it('reports a bad GPU count and memory with their lines and fields; the HF token stays a secret reference', () => {
    const analysed = analyseText(`
apiVersion: production-stack.vllm.ai/v1alpha1
kind: VLLMRuntime
metadata: { name: bad }
spec:
  model: { modelURL: org/model, hfTokenSecret: { hfTokenSecretName: hf } }
  deploymentConfig:
    resources: { gpu: "two", memory: 16 GB }
    image: { name: vllm/vllm-openai:latest }
`);
    expect(analysed.errors.map((error) => [error.line, error.message.split(':')[0]])).toEqual([
      [8, 'spec.deploymentConfig.resources.memory'],
      [8, 'spec.deploymentConfig.resources.gpu'],
    ]);
    const workload = workloadById(analysed, 'default/VLLMRuntime/bad');
    expect(workload.resources.gpu.count).toBe(0);
    expect(workload.autoscaling.kind).toBe('none');
    expect(workload.pod.containers[0]?.env).toEqual([
      { name: 'HF_TOKEN', secretRef: { name: 'hf', key: 'token' } },
    ]);
  });
});
