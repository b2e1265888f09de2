import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzePaths } from '../analyzers/analyze.ts';
import { analyzeOptions } from './helpers/analyze.ts';
import { corpusK8sDir } from './helpers/paths.ts';

const options = analyzeOptions();

type Expected = {
  objects: number;
  related: number;
  skipped: number;
  errors: number;
  /** [id, GPUs per replica, autoscaler kind, verdict], written by reading each manifest. */
  workloads: [string, number, string, string][];
};

/**
 * Every file of ../shared/corpus/k8s, analysed on its own (no kubectl, no helm: the plain path).
 * GPU counts: the resources, operator fields or instance types the files declare; verdicts follow the
 * decision rules (multi-GPU, multi-host, writable PVCs and 70B models stay; one GPU goes to Cloud Run).
 */
const EXPECTED: Record<string, Expected> = {
  'Azure__kaito/examples/inference/kaito_workspace_phi_3_with_adapters.yaml': {
    objects: 1,
    related: 0,
    skipped: 0,
    errors: 0,
    workloads: [['default/Workspace/workspace-phi-3-mini-adapter', 1, 'none', 'container-service']],
  },
  'Azure__kaito/presets/workspace/test/manifests/llama-2-13b-chat/llama-2-13b-chat.yaml': {
    objects: 1,
    related: 0,
    skipped: 0,
    errors: 0,
    workloads: [['default/StatefulSet/llama-2-13b-chat', 1, 'none', 'stay-on-cluster']],
  },
  'GoogleCloudPlatform__kubernetes-engine-samples/ai-ml/gke-online-serving-single-gpu/src/gke-config/deployment-triton.yaml':
    {
      objects: 1,
      related: 0,
      skipped: 0,
      errors: 0,
      workloads: [['default/Deployment/triton-deployment', 1, 'none', 'container-service']],
    },
  'GoogleCloudPlatform__kubernetes-engine-samples/ai-ml/llm-multihost-gpus/vllm-hpa.yaml': {
    objects: 1,
    related: 1,
    skipped: 0,
    errors: 0,
    workloads: [],
  },
  'GoogleCloudPlatform__kubernetes-engine-samples/ai-ml/llm-multiple-gpus/llama3-70b/text-generation-inference.yaml':
    {
      objects: 1,
      related: 0,
      skipped: 0,
      errors: 0,
      workloads: [['default/Deployment/llm', 2, 'none', 'stay-on-cluster']],
    },
  'GoogleCloudPlatform__kubernetes-engine-samples/ai-ml/llm-serving-gemma/vllm/vllm-7b-kvcache/kustomization.yaml':
    { objects: 2, related: 0, skipped: 2, errors: 0, workloads: [] },
  'GoogleCloudPlatform__kubernetes-engine-samples/ai-ml/llm-serving-gemma/vllm/vllm-7b-kvcache/patch.yaml': {
    objects: 1,
    related: 0,
    skipped: 0,
    errors: 0,
    workloads: [['default/Deployment/vllm-gemma-deployment', 1, 'none', 'container-service']],
  },
  'GoogleCloudPlatform__kubernetes-engine-samples/ai-ml/llm-serving-gemma/vllm/vllm-7b.yaml': {
    objects: 2,
    related: 1,
    skipped: 0,
    errors: 0,
    workloads: [['default/Deployment/vllm-gemma-deployment', 2, 'none', 'stay-on-cluster']],
  },
  'GoogleCloudPlatform__kubernetes-engine-samples/ai-ml/t5-model-serving/kubernetes/hpa.yaml': {
    objects: 1,
    related: 1,
    skipped: 0,
    errors: 0,
    workloads: [],
  },
  'GoogleCloudPlatform__kubernetes-engine-samples/ai-ml/t5-model-serving/kubernetes/serving-gpu.yaml': {
    objects: 2,
    related: 1,
    skipped: 0,
    errors: 0,
    workloads: [['default/Deployment/t5-inference', 1, 'none', 'container-service']],
  },
  'GoogleCloudPlatform__kubernetes-engine-samples/cost-optimization/gke-keda/cloud-pubsub/deployment/keda-pubsub-scaledobject.yaml':
    { objects: 2, related: 2, skipped: 0, errors: 0, workloads: [] },
  'GoogleCloudPlatform__kubernetes-engine-samples/databases/elasticsearch/manifests/03-notebook/jupyter.yaml':
    {
      objects: 2,
      related: 1,
      skipped: 0,
      errors: 0,
      workloads: [['default/Deployment/notebook', 0, 'none', 'serverless-function']],
    },
  'GoogleCloudPlatform__kubernetes-engine-samples/streaming/kafka-confluent/manifests/05-replicator/replicator.yaml':
    { objects: 2, related: 0, skipped: 2, errors: 1, workloads: [] },
  'NVIDIA__nim-deploy/kserve/nim-models/llama-3.1-70b-instruct_2xgpu_1.1.0.yaml': {
    objects: 1,
    related: 0,
    skipped: 0,
    errors: 0,
    workloads: [['default/InferenceService/llama-3-1-70b-instruct-2xgpu', 2, 'knative', 'stay-on-cluster']],
  },
  'NVIDIA__nim-deploy/kserve/runtimes/llama-3.1-70b-instruct-1.1.0.yaml': {
    objects: 1,
    related: 1,
    skipped: 0,
    errors: 0,
    workloads: [],
  },
  'awslabs__ai-on-eks/blueprints/inference/gpu/nvidia-nim-operator-llama3-8b/nim-service-llama3-8b-instruct.yaml':
    {
      objects: 1,
      related: 0,
      skipped: 0,
      errors: 0,
      workloads: [['nim-service/NIMService/meta-llama3-8b-instruct', 2, 'none', 'stay-on-cluster']],
    },
  'awslabs__ai-on-eks/blueprints/inference/vllm-rayserve-gpu/ray-service-vllm.yaml': {
    objects: 3,
    related: 2,
    skipped: 0,
    errors: 0,
    workloads: [['rayserve-vllm/RayService/vllm', 1, 'ray-serve', 'stay-on-cluster']],
  },
  'knative__docs/code-samples/community/serving/machinelearning-python-bentoml/service.yaml': {
    objects: 1,
    related: 0,
    skipped: 0,
    errors: 0,
    workloads: [['default/Service/iris-classifier', 0, 'knative', 'serverless-function']],
  },
  'knative__docs/docs/versioned/serving/autoscaling/autoscale-go/service.yaml': {
    objects: 1,
    related: 0,
    skipped: 0,
    errors: 0,
    workloads: [['default/Service/autoscale-go', 0, 'knative', 'serverless-function']],
  },
  'knative__serving/test/performance/benchmarks/dataplane-probe/dataplane-probe-setup.yaml': {
    objects: 4,
    related: 1,
    skipped: 0,
    errors: 0,
    workloads: [
      ['default/Service/activator', 0, 'knative', 'serverless-function'],
      ['default/Service/queue-proxy', 0, 'knative', 'serverless-function'],
      ['default/Deployment/deployment', 0, 'none', 'serverless-function'],
    ],
  },
  'kserve__kserve/docs/samples/graph/ensemble.yaml': {
    objects: 3,
    related: 1,
    skipped: 0,
    errors: 0,
    workloads: [
      ['default/InferenceService/sklearn-iris', 0, 'knative', 'serverless-function'],
      ['default/InferenceService/xgboost-iris', 0, 'knative', 'serverless-function'],
    ],
  },
  'kserve__kserve/docs/samples/llmisvc/single-node-gpu/llm-inference-service-qwen2-7b-gpu-no-scheduler.yaml':
    {
      objects: 1,
      related: 0,
      skipped: 0,
      errors: 0,
      workloads: [
        ['default/LLMInferenceService/qwen2-7b-instruct-single-no-scheduler', 1, 'none', 'container-service'],
      ],
    },
  'kserve__kserve/docs/samples/storage/hf/hf_isvc.yaml': {
    objects: 1,
    related: 0,
    skipped: 0,
    errors: 0,
    workloads: [['default/InferenceService/huggingface-llama2', 1, 'knative', 'container-service']],
  },
  'kserve__kserve/docs/samples/storage/oci-image-volume/inference_service.yaml': {
    objects: 1,
    related: 0,
    skipped: 0,
    errors: 0,
    workloads: [['kserve-test/InferenceService/sklearn-oci-native', 0, 'knative', 'serverless-function']],
  },
  'kserve__kserve/docs/samples/v1beta1/sklearn/v2/sklearn.yaml': {
    objects: 1,
    related: 0,
    skipped: 0,
    errors: 0,
    workloads: [['default/InferenceService/sklearn-irisv2', 0, 'knative', 'serverless-function']],
  },
  'kserve__kserve/docs/samples/v1beta1/torchserve/v1/bloom/pvc-pod.yml': {
    objects: 2,
    related: 1,
    skipped: 0,
    errors: 0,
    workloads: [['default/Pod/pv-pod', 0, 'none', 'stay-on-cluster']],
  },
  'kserve__kserve/docs/samples/v1beta1/transformer/collocation/collocation.yaml': {
    objects: 1,
    related: 0,
    skipped: 0,
    errors: 0,
    workloads: [
      ['default/InferenceService/custom-transformer-collocation', 0, 'knative', 'serverless-function'],
    ],
  },
  'kserve__kserve/docs/samples/v1beta1/triton/torchscript/torch_transformer.yaml': {
    objects: 1,
    related: 0,
    skipped: 0,
    errors: 0,
    workloads: [['default/InferenceService/torch-transformer', 0, 'knative', 'serverless-function']],
  },
  'kserve__kserve/test/benchmark/sklearn_hpa.yaml': {
    objects: 1,
    related: 0,
    skipped: 0,
    errors: 0,
    workloads: [['default/InferenceService/sklearn-iris-hpa', 0, 'hpa', 'serverless-function']],
  },
  'kserve__website/docs/model-serving/generative-inference/multi-node/download-model-to-pvc.yaml': {
    objects: 1,
    related: 0,
    skipped: 0,
    errors: 0,
    workloads: [['default/Pod/setup-llama3-8b-binary', 0, 'none', 'serverless-function']],
  },
  'kubeflow__manifests/applications/kserve/kserve/kserve-cluster-resources.yaml': {
    objects: 20,
    related: 11,
    skipped: 9,
    errors: 0,
    workloads: [],
  },
  'kubernetes__examples/AI/model-serving-tensorflow/deployment.yaml': {
    objects: 1,
    related: 0,
    skipped: 0,
    errors: 0,
    workloads: [['default/Deployment/tf-serving', 0, 'none', 'serverless-function']],
  },
  'kubernetes__examples/AI/model-serving-tensorflow/pvc.yaml': {
    objects: 1,
    related: 1,
    skipped: 0,
    errors: 0,
    workloads: [],
  },
  'kubernetes__examples/AI/vllm-deployment/hpa/horizontal-pod-autoscaler.yaml': {
    objects: 1,
    related: 1,
    skipped: 0,
    errors: 0,
    workloads: [],
  },
  'kubernetes__examples/AI/vllm-deployment/vllm-deployment.yaml': {
    objects: 1,
    related: 0,
    skipped: 0,
    errors: 0,
    workloads: [['default/Deployment/vllm-gemma-deployment', 1, 'none', 'container-service']],
  },
  'pytorch__serve/kubernetes/Helm/Chart.yaml': {
    objects: 1,
    related: 0,
    skipped: 1,
    errors: 0,
    workloads: [],
  },
  'pytorch__serve/kubernetes/Helm/templates/torchserve.yaml': {
    objects: 2,
    related: 0,
    skipped: 2,
    errors: 0,
    workloads: [],
  },
  'pytorch__serve/kubernetes/Helm/values.yaml': {
    objects: 1,
    related: 0,
    skipped: 1,
    errors: 0,
    workloads: [],
  },
  'pytorch__serve/kubernetes/hpa.yaml': { objects: 1, related: 1, skipped: 0, errors: 0, workloads: [] },
  'ray-project__kuberay/historyserver/config/raycluster-aliyunoss.yaml': {
    objects: 2,
    related: 1,
    skipped: 0,
    errors: 0,
    workloads: [['default/RayCluster/raycluster-historyserver-aliyunoss', 0, 'none', 'serverless-function']],
  },
  'ray-project__kuberay/ray-operator/config/samples/ray-service.llm-serve.yaml': {
    objects: 2,
    related: 1,
    skipped: 0,
    errors: 0,
    workloads: [['default/RayService/ray-serve-llm', 4, 'ray-serve', 'stay-on-cluster']],
  },
  'ray-project__kuberay/ray-operator/config/samples/ray-service.text-ml.yaml': {
    objects: 1,
    related: 0,
    skipped: 0,
    errors: 0,
    workloads: [['default/RayService/rayservice-sample', 0, 'none', 'serverless-function']],
  },
  'tensorflow__serving/tensorflow_serving/example/resnet_k8s.yaml': {
    objects: 2,
    related: 1,
    skipped: 0,
    errors: 0,
    workloads: [['default/Deployment/resnet-deployment', 0, 'none', 'serverless-function']],
  },
  'vllm-project__production-stack/operator/config/samples/production-stack_v1alpha1_vllmruntime_autoscaling.yaml':
    {
      objects: 3,
      related: 0,
      skipped: 0,
      errors: 0,
      workloads: [
        ['default/VLLMRuntime/vllmruntime-autoscaling-minimal', 1, 'keda', 'container-service'],
        ['default/VLLMRuntime/vllmruntime-autoscaling-scale-to-zero', 1, 'keda', 'container-service'],
        ['default/VLLMRuntime/vllmruntime-autoscaling-sample', 1, 'keda', 'container-service'],
      ],
    },
  'vllm-project__production-stack/src/gateway_inference_extension/configs/vllm/gpu-deployment.yaml': {
    objects: 2,
    related: 1,
    skipped: 0,
    errors: 0,
    workloads: [['default/Deployment/vllm-llama3-1b-instruct', 1, 'none', 'container-service']],
  },
  'vllm-project__production-stack/tutorials/assets/hpa-10.yaml': {
    objects: 1,
    related: 1,
    skipped: 0,
    errors: 0,
    workloads: [],
  },
  'vllm-project__production-stack/tutorials/assets/keda-scaled-object.yaml': {
    objects: 1,
    related: 1,
    skipped: 0,
    errors: 0,
    workloads: [],
  },
};

describe('the real-world corpus, file by file', () => {
  const files = readdirSync(corpusK8sDir, { recursive: true, encoding: 'utf8' })
    .filter((file) => /\.(ya?ml|json)$/.test(file))
    .sort();

  it('has an expectation for every manifest file in the corpus', () => {
    expect(files).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(files)('%s', async (file) => {
    const report = await analyzePaths([`${corpusK8sDir}${file}`], options);
    const expected = EXPECTED[file]!;
    expect(report.summary.objects).toBe(
      report.summary.workloads + report.summary.related + report.summary.skipped,
    );
    expect({
      objects: report.summary.objects,
      related: report.summary.related,
      skipped: report.summary.skipped,
      errors: report.summary.errors,
      workloads: report.workloads.map((workload) => [
        workload.id,
        workload.resources.gpu.count,
        workload.autoscaling.kind,
        workload.verdict,
      ]),
    }).toEqual(expected);
    expect(report.errors.every((error) => !/internal error/.test(error.message))).toBe(true);
  });
});

describe('the corpus read as directories: related objects attach', () => {
  it('the T5 HPA scales the TorchServe Deployment on a Managed Prometheus metric', async () => {
    const report = await analyzePaths(
      [`${corpusK8sDir}GoogleCloudPlatform__kubernetes-engine-samples/ai-ml/t5-model-serving`],
      options,
    );
    const t5 = report.workloads.find((workload) => workload.name === 't5-inference')!;
    expect(t5.autoscaling).toMatchObject({ kind: 'hpa', by: 'default/HorizontalPodAutoscaler/t5-inference' });
    expect(t5.autoscaling.metrics[0]!.name).toBe(
      'prometheus.googleapis.com|ts_queue_latency_microseconds|counter',
    );
    expect(t5.related).toContain('default/Service/t5-inference');
  });

  it('the vLLM HPA (Pods metric, scale-down behaviour) attaches to its Deployment', async () => {
    const report = await analyzePaths([`${corpusK8sDir}kubernetes__examples/AI/vllm-deployment`], options);
    const vllm = report.workloads[0]!;
    expect(vllm.autoscaling).toMatchObject({ kind: 'hpa', minReplicas: 1, maxReplicas: 5 });
    expect(vllm.autoscaling.metrics[0]).toMatchObject({ type: 'Pods', name: 'vllm_num_requests_running' });
    expect(vllm.autoscaling.behavior).toHaveProperty('scaleDown');
  });

  it('the TF Serving model PVC attaches and gives the model an upper-bound size', async () => {
    const report = await analyzePaths(
      [`${corpusK8sDir}kubernetes__examples/AI/model-serving-tensorflow`],
      options,
    );
    const tf = report.workloads[0]!;
    expect(tf.related).toEqual(['default/PersistentVolumeClaim/my-model-pvc']);
    expect(tf.ml.model).toMatchObject({ sizeBytes: 1024 ** 3, sizeEvidence: 'pvc' });
  });

  it('the whole corpus at once: nothing lost, one parse error (the duplicate key), no internal errors', async () => {
    const report = await analyzePaths([corpusK8sDir], options);
    const s = report.summary;
    expect(s.objects).toBe(s.workloads + s.related + s.skipped);
    expect(report.errors.map((error) => error.message.split(':')[0])).toEqual(['duplicate mapping key']);
    expect(s.workloads).toBeGreaterThan(30);
  });
});
