import { join, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { serviceYamlErrors } from '../converters/cloud-run/testing.ts';
import type { Artifact } from '../converters/common/run.ts';
import { spikeProfile } from '../core/traffic/index.ts';
import {
  type ConvertExtra,
  checkArtifactFiles,
  convertForTarget,
  corpusFiles,
  corpusPath,
  goldensDir as goldens,
  producedGoldens,
  staleGoldens,
} from './helpers/convert-goldens.ts';

/**
 * What `migrate convert --target cloud-run` writes, reviewed as files: every model server of the bundled
 * example and of each corpus manifest. Converted ones carry service.yaml and MIGRATION.md; blocked ones
 * only MIGRATION.md with the reasons. Every service.yaml is checked against both the Knative Service
 * schema and the Cloud Run Admin API v1 schema. The goldens sit beside the other targets' in
 * test/goldens/convert, in `cloud-run` folders; `UPDATE_GOLDEN=1` rewrites them, stale ones fail.
 */
const convertPath = (path: string, extra: ConvertExtra = {}) => convertForTarget('cloud-run', path, extra);

type Service = {
  spec: {
    template: {
      metadata: { annotations: Record<string, string> };
      spec: {
        nodeSelector?: Record<string, string>;
        containers: { resources: { limits: Record<string, string> } }[];
      };
    };
  };
};

const serviceOf = (artifact: Artifact) =>
  parse(artifact.files.find((file) => file.path === 'service.yaml')!.content) as Service;

function checkArtifact(artifact: Artifact, folder: string): void {
  checkArtifactFiles(artifact, folder, ['service.yaml', 'MIGRATION.md']);
  for (const file of artifact.files)
    if (file.path === 'service.yaml')
      expect(serviceYamlErrors(file.content), join(folder, artifact.dir, file.path)).toEqual([]);
}

/** A single-GPU workload on Cloud Run: one L4, its 4 vCPU / 16 GiB minimum, instance-based billing. */
function expectL4(artifact: Artifact): void {
  const template = serviceOf(artifact).spec.template;
  const limits = template.spec.containers[0]!.resources.limits;
  expect(template.spec.nodeSelector).toEqual({ 'run.googleapis.com/accelerator': 'nvidia-l4' });
  expect(limits['nvidia.com/gpu']).toBe('1');
  expect(Number(limits.cpu)).toBeGreaterThanOrEqual(4);
  expect(Number.parseInt(limits.memory!, 10)).toBeGreaterThanOrEqual(16);
  expect(limits.memory).toMatch(/Gi$/);
  expect(template.metadata.annotations).toMatchObject({
    'run.googleapis.com/cpu-throttling': 'false',
    'run.googleapis.com/execution-environment': 'gen2',
    'run.googleapis.com/gpu-zonal-redundancy-disabled': 'true',
  });
}

describe('migrate convert examples/k8s --target cloud-run (goldens)', () => {
  it('every model server converts, the vLLM chat model on one L4', async () => {
    const { artifacts } = await convertPath('examples/k8s');

    expect(artifacts.map((artifact) => `${artifact.workload} ${artifact.status}`)).toEqual([
      'ml/Deployment/embeddings-worker converted',
      'ml/InferenceService/fraud-scoring converted',
      'ml/Deployment/llm-chat converted',
      'ml/StatefulSet/vision-triton converted',
    ]);
    expectL4(artifacts.find((artifact) => artifact.workload === 'ml/Deployment/llm-chat')!);
    for (const artifact of artifacts) checkArtifact(artifact, join(goldens, 'examples'));
  });

  it('with traffic: min instances sized from a trending spike (median minute × 120 ms ÷ containerConcurrency 8)', async () => {
    const id = 'ml/InferenceService/fraud-scoring';
    const traffic = new Map([[id, spikeProfile('trending:baseline=20,peak=10', 1)]]);

    const { artifacts } = await convertPath('examples/k8s', { traffic, serviceMs: 120, workloads: [id] });
    const artifact = artifacts[0]!;

    expect(artifact.result.warm!.capacity.basis).toBe('traffic');
    expect(artifact.result.warm!.capacity.concurrencyPerInstance).toBe(8);
    expect(serviceOf(artifact).spec.template.metadata.annotations['autoscaling.knative.dev/minScale']).toBe(
      `${artifact.result.warm!.capacity.instances}`,
    );
    checkArtifact(artifact, join(goldens, 'examples-traffic'));
  });
});

/**
 * Every ML workload of the corpus on Cloud Run: converted (single-GPU ones on one L4 with its minimums),
 * or blocked by the analysis with its rule (several GPUs, several hosts).
 */
const CORPUS_STATUS: Record<string, string> = {
  'Azure__kaito/examples/inference/kaito_workspace_phi_3_with_adapters.yaml default/Workspace/workspace-phi-3-mini-adapter':
    'converted on L4',
  'Azure__kaito/presets/workspace/test/manifests/llama-2-13b-chat/llama-2-13b-chat.yaml default/StatefulSet/llama-2-13b-chat':
    'blocked multi-host',
  'GoogleCloudPlatform__kubernetes-engine-samples/ai-ml/gke-online-serving-single-gpu/src/gke-config/deployment-triton.yaml default/Deployment/triton-deployment':
    'converted on L4',
  'GoogleCloudPlatform__kubernetes-engine-samples/ai-ml/llm-multiple-gpus/llama3-70b/text-generation-inference.yaml default/Deployment/llm':
    'blocked gpu-required',
  'GoogleCloudPlatform__kubernetes-engine-samples/ai-ml/llm-serving-gemma/vllm/vllm-7b-kvcache/patch.yaml default/Deployment/vllm-gemma-deployment':
    'converted on L4',
  'GoogleCloudPlatform__kubernetes-engine-samples/ai-ml/llm-serving-gemma/vllm/vllm-7b.yaml default/Deployment/vllm-gemma-deployment':
    'blocked gpu-required',
  'GoogleCloudPlatform__kubernetes-engine-samples/ai-ml/t5-model-serving/kubernetes/serving-gpu.yaml default/Deployment/t5-inference':
    'converted on L4',
  'NVIDIA__nim-deploy/kserve/nim-models/llama-3.1-70b-instruct_2xgpu_1.1.0.yaml default/InferenceService/llama-3-1-70b-instruct-2xgpu':
    'blocked gpu-required',
  'awslabs__ai-on-eks/blueprints/inference/gpu/nvidia-nim-operator-llama3-8b/nim-service-llama3-8b-instruct.yaml nim-service/NIMService/meta-llama3-8b-instruct':
    'blocked gpu-required',
  'awslabs__ai-on-eks/blueprints/inference/vllm-rayserve-gpu/ray-service-vllm.yaml rayserve-vllm/RayService/vllm':
    'blocked multi-host',
  'kserve__kserve/docs/samples/graph/ensemble.yaml default/InferenceService/sklearn-iris': 'converted',
  'kserve__kserve/docs/samples/graph/ensemble.yaml default/InferenceService/xgboost-iris': 'converted',
  'kserve__kserve/docs/samples/llmisvc/single-node-gpu/llm-inference-service-qwen2-7b-gpu-no-scheduler.yaml default/LLMInferenceService/qwen2-7b-instruct-single-no-scheduler':
    'converted on L4',
  'kserve__kserve/docs/samples/storage/hf/hf_isvc.yaml default/InferenceService/huggingface-llama2':
    'converted on L4',
  'kserve__kserve/docs/samples/storage/oci-image-volume/inference_service.yaml kserve-test/InferenceService/sklearn-oci-native':
    'converted',
  'kserve__kserve/docs/samples/v1beta1/sklearn/v2/sklearn.yaml default/InferenceService/sklearn-irisv2':
    'converted',
  'kserve__kserve/docs/samples/v1beta1/transformer/collocation/collocation.yaml default/InferenceService/custom-transformer-collocation':
    'converted',
  'kserve__kserve/docs/samples/v1beta1/triton/torchscript/torch_transformer.yaml default/InferenceService/torch-transformer':
    'converted',
  'kserve__kserve/test/benchmark/sklearn_hpa.yaml default/InferenceService/sklearn-iris-hpa': 'converted',
  'kubernetes__examples/AI/model-serving-tensorflow/deployment.yaml default/Deployment/tf-serving':
    'converted',
  'kubernetes__examples/AI/vllm-deployment/vllm-deployment.yaml default/Deployment/vllm-gemma-deployment':
    'converted on L4',
  'ray-project__kuberay/ray-operator/config/samples/ray-service.llm-serve.yaml default/RayService/ray-serve-llm':
    'blocked gpu-required',
  'ray-project__kuberay/ray-operator/config/samples/ray-service.text-ml.yaml default/RayService/rayservice-sample':
    'converted',
  'tensorflow__serving/tensorflow_serving/example/resnet_k8s.yaml default/Deployment/resnet-deployment':
    'converted',
  'vllm-project__production-stack/operator/config/samples/production-stack_v1alpha1_vllmruntime_autoscaling.yaml default/VLLMRuntime/vllmruntime-autoscaling-minimal':
    'converted on L4',
  'vllm-project__production-stack/operator/config/samples/production-stack_v1alpha1_vllmruntime_autoscaling.yaml default/VLLMRuntime/vllmruntime-autoscaling-sample':
    'converted on L4',
  'vllm-project__production-stack/operator/config/samples/production-stack_v1alpha1_vllmruntime_autoscaling.yaml default/VLLMRuntime/vllmruntime-autoscaling-scale-to-zero':
    'converted on L4',
  'vllm-project__production-stack/src/gateway_inference_extension/configs/vllm/gpu-deployment.yaml default/Deployment/vllm-llama3-1b-instruct':
    'converted on L4',
};

describe('migrate convert --target cloud-run on ../shared/corpus/k8s, one manifest at a time (goldens)', () => {
  const seen: string[] = [];

  it.each(corpusFiles)('%s', async (file) => {
    const { artifacts, report } = await convertPath(corpusPath(file));

    // Every model server gets an artifact: nothing goes missing silently.
    expect(artifacts.map((artifact) => artifact.workload)).toEqual(
      report.workloads.filter((workload) => workload.ml.isModelServer).map((workload) => workload.id),
    );
    for (const artifact of artifacts) {
      const key = `${file.split(sep).join('/')} ${artifact.workload}`;
      const rule = artifact.result.reasons[0]?.rule;
      const l4 =
        artifact.status === 'converted' && serviceOf(artifact).spec.template.spec.nodeSelector !== undefined;
      expect(`${artifact.status}${l4 ? ' on L4' : ''}${rule ? ` ${rule}` : ''}`, key).toBe(
        CORPUS_STATUS[key],
      );
      if (l4) expectL4(artifact);
      checkArtifact(artifact, join(goldens, 'corpus', file));
      seen.push(key);
    }
  });

  it('covered every workload of the status table', () => {
    expect(seen.sort()).toEqual(Object.keys(CORPUS_STATUS).sort());
  });
});

describe('cloud-run goldens', () => {
  it('has no cloud-run golden that no case produces', async () => {
    const stale = staleGoldens(await producedGoldens('cloud-run'), (path) =>
      path.split(sep).includes('cloud-run'),
    );
    expect(stale).toEqual([]);
  });
});
