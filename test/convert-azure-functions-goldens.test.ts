import { join, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { azureFileErrors } from '../converters/azure-functions/testing.ts';
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
 * What `migrate convert --target azure-functions` writes, reviewed as files: every model server of the
 * bundled example and of each corpus manifest. Converted ones carry main.bicep, azuredeploy.json,
 * host.json and MIGRATION.md; blocked ones only MIGRATION.md with the reasons. Every azuredeploy.json is
 * checked against the ARM deployment-template schema (with Microsoft.Web 2024-11-01), every host.json
 * and function.json against theirs, and every main.bicep against its azuredeploy.json. The goldens sit
 * beside the other targets' in test/goldens/convert, in `azure-functions` folders; `UPDATE_GOLDEN=1`
 * rewrites them, stale ones fail.
 */
const TARGET = 'azure-functions';
const convertPath = (path: string, extra: ConvertExtra = {}) => convertForTarget(TARGET, path, extra);

type Template = {
  resources: {
    type: string;
    sku?: { name: string };
    properties: { functionAppConfig?: { scaleAndConcurrency: Record<string, unknown> } };
  }[];
};

const templateOf = (artifact: Artifact) =>
  JSON.parse(artifact.files.find((file) => file.path === 'azuredeploy.json')!.content) as Template;

/** `Flex 2048 MB` or `Premium EP2`, read back from the emitted template. */
function planOf(artifact: Artifact): string {
  const resources = templateOf(artifact).resources;
  const sku = resources.find((resource) => resource.type === 'Microsoft.Web/serverfarms')!.sku!.name;
  if (sku !== 'FC1') return `Premium ${sku}`;
  const site = resources.find((resource) => resource.type === 'Microsoft.Web/sites')!;
  return `Flex ${site.properties.functionAppConfig!.scaleAndConcurrency.instanceMemoryMB} MB`;
}

function checkArtifact(artifact: Artifact, folder: string): void {
  checkArtifactFiles(artifact, folder, ['main.bicep', 'azuredeploy.json', 'host.json', 'MIGRATION.md']);
  if (artifact.status === 'converted')
    expect(azureFileErrors(artifact.files), join(folder, artifact.dir)).toEqual([]);
}

const statusOf = (artifact: Artifact) =>
  artifact.status === 'converted'
    ? `converted on ${planOf(artifact)}`
    : `${artifact.status} ${artifact.result.reasons[0]?.rule ?? ''}`;

describe('migrate convert examples/k8s --target azure-functions (goldens)', () => {
  it('every model server: Flex where it fits, Premium EP2 for Triton’s 6 GiB, the GPU model blocked', async () => {
    const { artifacts } = await convertPath('examples/k8s');

    expect(artifacts.map((artifact) => `${artifact.workload} ${statusOf(artifact)}`)).toEqual([
      'ml/Deployment/embeddings-worker converted on Flex 2048 MB',
      'ml/InferenceService/fraud-scoring converted on Flex 2048 MB',
      'ml/Deployment/llm-chat blocked gpu-required',
      'ml/StatefulSet/vision-triton converted on Premium EP2',
    ]);
    const llm = artifacts.find((artifact) => artifact.workload === 'ml/Deployment/llm-chat')!;
    expect(llm.result.alternatives.join('\n')).toMatch(/Azure Container Apps with GPU/);
    for (const artifact of artifacts) checkArtifact(artifact, join(goldens, 'examples'));
  });

  it('with traffic: http always-ready instances from a trending spike (median minute × 120 ms ÷ 8 per instance)', async () => {
    const id = 'ml/InferenceService/fraud-scoring';
    const traffic = new Map([[id, spikeProfile('trending:baseline=20,peak=10', 1)]]);

    const { artifacts } = await convertPath('examples/k8s', { traffic, serviceMs: 120, workloads: [id] });
    const artifact = artifacts[0]!;
    const warm = artifact.result.warm!.capacity;

    expect(warm.basis).toBe('traffic');
    expect(warm.concurrencyPerInstance).toBe(8);
    const scale = templateOf(artifact).resources.find((resource) => resource.type === 'Microsoft.Web/sites')!
      .properties.functionAppConfig!.scaleAndConcurrency;
    expect(scale.alwaysReady).toEqual([{ name: 'http', instanceCount: warm.instances }]);
    expect(artifact.files.find((file) => file.path === 'MIGRATION.md')!.content).toMatch(
      /price not confirmed/,
    );
    checkArtifact(artifact, join(goldens, 'examples-traffic'));
  });
});

/** Every ML workload of the corpus on Azure Functions: converted with its plan, or blocked with the rule. */
const CORPUS_STATUS: Record<string, string> = {
  'Azure__kaito/examples/inference/kaito_workspace_phi_3_with_adapters.yaml default/Workspace/workspace-phi-3-mini-adapter':
    'blocked gpu-required',
  'Azure__kaito/presets/workspace/test/manifests/llama-2-13b-chat/llama-2-13b-chat.yaml default/StatefulSet/llama-2-13b-chat':
    'blocked gpu-required',
  'GoogleCloudPlatform__kubernetes-engine-samples/ai-ml/gke-online-serving-single-gpu/src/gke-config/deployment-triton.yaml default/Deployment/triton-deployment':
    'blocked gpu-required',
  'GoogleCloudPlatform__kubernetes-engine-samples/ai-ml/llm-multiple-gpus/llama3-70b/text-generation-inference.yaml default/Deployment/llm':
    'blocked gpu-required',
  'GoogleCloudPlatform__kubernetes-engine-samples/ai-ml/llm-serving-gemma/vllm/vllm-7b-kvcache/patch.yaml default/Deployment/vllm-gemma-deployment':
    'blocked gpu-required',
  'GoogleCloudPlatform__kubernetes-engine-samples/ai-ml/llm-serving-gemma/vllm/vllm-7b.yaml default/Deployment/vllm-gemma-deployment':
    'blocked gpu-required',
  'GoogleCloudPlatform__kubernetes-engine-samples/ai-ml/t5-model-serving/kubernetes/serving-gpu.yaml default/Deployment/t5-inference':
    'blocked gpu-required',
  'NVIDIA__nim-deploy/kserve/nim-models/llama-3.1-70b-instruct_2xgpu_1.1.0.yaml default/InferenceService/llama-3-1-70b-instruct-2xgpu':
    'blocked gpu-required',
  'awslabs__ai-on-eks/blueprints/inference/gpu/nvidia-nim-operator-llama3-8b/nim-service-llama3-8b-instruct.yaml nim-service/NIMService/meta-llama3-8b-instruct':
    'blocked gpu-required',
  'awslabs__ai-on-eks/blueprints/inference/vllm-rayserve-gpu/ray-service-vllm.yaml rayserve-vllm/RayService/vllm':
    'blocked gpu-required',
  'kserve__kserve/docs/samples/graph/ensemble.yaml default/InferenceService/sklearn-iris':
    'converted on Flex 2048 MB',
  'kserve__kserve/docs/samples/graph/ensemble.yaml default/InferenceService/xgboost-iris':
    'converted on Flex 2048 MB',
  'kserve__kserve/docs/samples/llmisvc/single-node-gpu/llm-inference-service-qwen2-7b-gpu-no-scheduler.yaml default/LLMInferenceService/qwen2-7b-instruct-single-no-scheduler':
    'blocked gpu-required',
  'kserve__kserve/docs/samples/storage/hf/hf_isvc.yaml default/InferenceService/huggingface-llama2':
    'blocked gpu-required',
  'kserve__kserve/docs/samples/storage/oci-image-volume/inference_service.yaml kserve-test/InferenceService/sklearn-oci-native':
    'converted on Flex 512 MB',
  'kserve__kserve/docs/samples/v1beta1/sklearn/v2/sklearn.yaml default/InferenceService/sklearn-irisv2':
    'converted on Flex 2048 MB',
  'kserve__kserve/docs/samples/v1beta1/transformer/collocation/collocation.yaml default/InferenceService/custom-transformer-collocation':
    'converted on Flex 512 MB',
  'kserve__kserve/docs/samples/v1beta1/triton/torchscript/torch_transformer.yaml default/InferenceService/torch-transformer':
    'converted on Flex 2048 MB',
  'kserve__kserve/test/benchmark/sklearn_hpa.yaml default/InferenceService/sklearn-iris-hpa':
    'converted on Flex 2048 MB',
  'kubernetes__examples/AI/model-serving-tensorflow/deployment.yaml default/Deployment/tf-serving':
    'converted on Flex 2048 MB',
  'kubernetes__examples/AI/vllm-deployment/vllm-deployment.yaml default/Deployment/vllm-gemma-deployment':
    'blocked gpu-required',
  'ray-project__kuberay/ray-operator/config/samples/ray-service.llm-serve.yaml default/RayService/ray-serve-llm':
    'blocked gpu-required',
  'ray-project__kuberay/ray-operator/config/samples/ray-service.text-ml.yaml default/RayService/rayservice-sample':
    'converted on Flex 4096 MB',
  'tensorflow__serving/tensorflow_serving/example/resnet_k8s.yaml default/Deployment/resnet-deployment':
    'converted on Flex 2048 MB',
  'vllm-project__production-stack/operator/config/samples/production-stack_v1alpha1_vllmruntime_autoscaling.yaml default/VLLMRuntime/vllmruntime-autoscaling-minimal':
    'blocked gpu-required',
  'vllm-project__production-stack/operator/config/samples/production-stack_v1alpha1_vllmruntime_autoscaling.yaml default/VLLMRuntime/vllmruntime-autoscaling-sample':
    'blocked gpu-required',
  'vllm-project__production-stack/operator/config/samples/production-stack_v1alpha1_vllmruntime_autoscaling.yaml default/VLLMRuntime/vllmruntime-autoscaling-scale-to-zero':
    'blocked gpu-required',
  'vllm-project__production-stack/src/gateway_inference_extension/configs/vllm/gpu-deployment.yaml default/Deployment/vllm-llama3-1b-instruct':
    'blocked gpu-required',
};

describe('migrate convert --target azure-functions on ../shared/corpus/k8s, one manifest at a time (goldens)', () => {
  const seen: string[] = [];

  it.each(corpusFiles)('%s', async (file) => {
    const { artifacts, report } = await convertPath(corpusPath(file));

    // Every model server gets an artifact: nothing goes missing silently.
    expect(artifacts.map((artifact) => artifact.workload)).toEqual(
      report.workloads.filter((workload) => workload.ml.isModelServer).map((workload) => workload.id),
    );
    for (const artifact of artifacts) {
      const key = `${file.split(sep).join('/')} ${artifact.workload}`;
      expect(statusOf(artifact), key).toBe(CORPUS_STATUS[key]);
      checkArtifact(artifact, join(goldens, 'corpus', file));
      seen.push(key);
    }
  });

  it('covered every workload of the status table', () => {
    expect(seen.sort()).toEqual(Object.keys(CORPUS_STATUS).sort());
  });
});

describe('azure-functions goldens', () => {
  it('has no azure-functions golden that no case produces', async () => {
    const stale = staleGoldens(await producedGoldens(TARGET), (path) => path.split(sep).includes(TARGET));
    expect(stale).toEqual([]);
  });
});
