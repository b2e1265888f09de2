import { describe, expect, it } from 'vitest';
import { accounting, analyseFile, analyseText, workloadById } from './common/testing.ts';

const corpus = (path: string) => new URL(`../../../shared/corpus/k8s/${path}`, import.meta.url);
const notes = (workload: { notes: { message: string }[] }) =>
  workload.notes.map((note) => note.message).join('\n');

describe('inferenceservice', () => {
  it('serverless predictor: minReplicas 0 is scale to zero; scaleTarget, concurrency and timeout are read', () => {
    const analysed = analyseText(`
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata: { name: flowers, namespace: ml }
spec:
  predictor:
    minReplicas: 0
    maxReplicas: 4
    scaleMetric: concurrency
    scaleTarget: 2
    containerConcurrency: 3
    timeout: 60
    tensorflow:
      storageUri: s3://bucket/flowers
      resources: { requests: { cpu: 500m, memory: 1Gi } }
  explainer:
    alibi: { type: AnchorImages, storageUri: s3://bucket/explainer }
`);
    const workload = workloadById(analysed, 'ml/InferenceService/flowers');
    expect(workload.ml).toMatchObject({
      isModelServer: true,
      server: 'tf-serving',
      model: { uri: 's3://bucket/flowers', format: 'tensorflow' },
    });
    expect(workload.autoscaling).toMatchObject({ kind: 'knative', minReplicas: 0, maxReplicas: 4 });
    expect(workload.autoscaling.metrics).toMatchObject([
      { type: 'concurrency', target: { value: 2 }, source: { line: 10 } },
    ]);
    expect(workload.serving).toMatchObject({
      scaleToZero: true,
      containerConcurrency: 3,
      timeoutSeconds: 60,
    });
    expect(workload.replicas).toBe(0);
    expect(workload.resources).toMatchObject({ cpuMillis: 500, memoryBytes: 2 ** 30 });
    expect(workload.components.map((component) => [component.name, component.role])).toEqual([
      ['explainer', 'kserve-explainer'],
    ]);
    expect(workload.pod.labels).toMatchObject({
      'serving.kserve.io/inferenceservice': 'flowers',
      component: 'predictor',
    });
  });

  it('RawDeployment: KServe HPA floor 1, max not below min; KEDA and external classes', () => {
    const isvc = (name: string, annotations: string, predictor: string) => `
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: ${name}
  annotations: { serving.kserve.io/deploymentMode: RawDeployment${annotations} }
spec:
  predictor:
${predictor}
    sklearn: { storageUri: "pvc://models/iris" }
---
`;
    const analysed = analyseText(
      isvc('hpa', '', '    minReplicas: 0\n    maxReplicas: 6\n    scaleTarget: 50') +
        isvc('keda', ', serving.kserve.io/autoscalerClass: keda', '    minReplicas: 0\n    maxReplicas: 3') +
        isvc('external', ', serving.kserve.io/autoscalerClass: external', '    minReplicas: 2'),
    );
    expect(workloadById(analysed, 'default/InferenceService/hpa').autoscaling).toMatchObject({
      kind: 'hpa',
      minReplicas: 1,
      maxReplicas: 6,
      metrics: [{ type: 'Resource', name: 'cpu', target: { type: 'Utilization', value: 50 } }],
    });
    const keda = workloadById(analysed, 'default/InferenceService/keda');
    expect(keda.autoscaling).toMatchObject({ kind: 'keda', minReplicas: 0, maxReplicas: 3 });
    expect(keda.serving.scaleToZero).toBe(true);
    const external = workloadById(analysed, 'default/InferenceService/external');
    expect(external.autoscaling).toMatchObject({ kind: 'none', minReplicas: 2, maxReplicas: 2 });
    expect(notes(external)).toContain('autoscalerClass external: KServe creates no autoscaler');
    // A pvc:// model is mounted, so the claim's size becomes the model's.
    expect(external.pod.volumes).toMatchObject([
      { source: { type: 'pvc', claimName: 'models', readOnly: true } },
    ]);
  });

  it('links a pvc:// model to its claim, which gives the model size', () => {
    const analysed = analyseText(`
apiVersion: v1
kind: PersistentVolumeClaim
metadata: { name: models }
spec: { accessModes: [ReadOnlyMany], resources: { requests: { storage: 20Gi } } }
---
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata: { name: big }
spec:
  predictor:
    model: { modelFormat: { name: pytorch }, storageUri: pvc://models/big }
`);
    const workload = workloadById(analysed, 'default/InferenceService/big');
    expect(workload.ml.model).toMatchObject({
      uri: 'pvc://models/big',
      format: 'pytorch',
      sizeBytes: 20 * 2 ** 30,
      sizeEvidence: 'pvc',
    });
    expect(workload.ml.server).toBe('torchserve');
    expect(workload.related).toEqual(['default/PersistentVolumeClaim/models']);
  });

  it('legacy v1alpha2: spec.default.predictor, custom container and a canary', () => {
    const analysed = analyseText(`
apiVersion: serving.kserve.io/v1alpha2
kind: InferenceService
metadata: { name: legacy }
spec:
  canaryTrafficPercent: 10
  default:
    predictor:
      minReplicas: 2
      custom:
        container:
          image: example/custom:1
          env: [{ name: STORAGE_URI, value: gs://bucket/model }]
          resources: { limits: { nvidia.com/gpu: 1 } }
  canary:
    predictor:
      sklearn: { storageUri: gs://bucket/v2 }
`);
    const workload = workloadById(analysed, 'default/InferenceService/legacy');
    expect(workload.ml).toMatchObject({ server: 'custom', model: { uri: 'gs://bucket/model' } });
    expect(workload.resources.gpu.count).toBe(1);
    expect(workload.autoscaling.minReplicas).toBe(2);
    expect(workload.components.map((component) => component.role)).toEqual(['kserve-canary']);
    expect(notes(workload)).toContain('canary rollout: 10%');
  });

  it('reports a bad GPU quantity with its line and field and still reads the InferenceService', () => {
    const analysed = analyseText(`
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata: { name: bad }
spec:
  predictor:
    model:
      modelFormat: { name: huggingface }
      resources: { limits: { nvidia.com/gpu: "1.5" } }
`);
    expect(analysed.errors).toEqual([
      {
        file: 'inline.yaml',
        line: 9,
        message: expect.stringContaining(
          'spec.predictor.model.resources.limits.nvidia.com/gpu: invalid quantity "1.5"',
        ),
      },
    ]);
    expect(workloadById(analysed, 'default/InferenceService/bad').ml.server).toBe('kserve-huggingface');
  });

  it('corpus sklearn/v2/sklearn.yaml: sklearn from gs://, serverless defaults, CPU only', () => {
    const analysed = analyseFile(corpus('kserve__kserve/docs/samples/v1beta1/sklearn/v2/sklearn.yaml'));
    expect(accounting(analysed)).toEqual({
      workloads: ['default/InferenceService/sklearn-irisv2'],
      related: [],
      skipped: [],
      lost: 0,
    });
    const workload = workloadById(analysed, 'default/InferenceService/sklearn-irisv2');
    expect(workload.ml).toMatchObject({
      server: 'kserve-sklearn',
      model: { uri: 'gs://seldon-models/sklearn/iris', format: 'sklearn', source: { line: 9 } },
    });
    expect(workload.autoscaling).toMatchObject({ kind: 'knative', minReplicas: 1, maxReplicas: null });
    expect(workload.resources.gpu.count).toBe(0);
    expect(notes(workload)).toContain(
      "KServe's storage-initializer init container downloads the model from gs://seldon-models/sklearn/iris",
    );
  });

  it('corpus sklearn_hpa.yaml: RawDeployment with an HPA on 80 % CPU that cannot scale out', () => {
    const analysed = analyseFile(corpus('kserve__kserve/test/benchmark/sklearn_hpa.yaml'));
    expect(accounting(analysed)).toEqual({
      workloads: ['default/InferenceService/sklearn-iris-hpa'],
      related: [],
      skipped: [],
      lost: 0,
    });
    const workload = workloadById(analysed, 'default/InferenceService/sklearn-iris-hpa');
    expect(workload.autoscaling).toMatchObject({ kind: 'hpa', minReplicas: 1, maxReplicas: 1 });
    expect(workload.autoscaling.metrics).toMatchObject([
      { type: 'Resource', name: 'cpu', target: { type: 'Utilization', value: 80 }, source: { line: 9 } },
    ]);
    expect(workload.serving.scaleToZero).toBe(false);
    expect(notes(workload)).toContain("KServe sets the HPA's maximum to its minimum (1)");
  });

  it('corpus collocation.yaml: TorchServe custom container with a transformer sidecar, model from STORAGE_URI', () => {
    const analysed = analyseFile(
      corpus('kserve__kserve/docs/samples/v1beta1/transformer/collocation/collocation.yaml'),
    );
    expect(accounting(analysed)).toEqual({
      workloads: ['default/InferenceService/custom-transformer-collocation'],
      related: [],
      skipped: [],
      lost: 0,
    });
    const workload = workloadById(analysed, 'default/InferenceService/custom-transformer-collocation');
    expect(workload.ml).toMatchObject({
      server: 'torchserve',
      model: { uri: 'gs://kfserving-examples/models/torchserve/image_classifier/v1' },
    });
    expect(workload.pod.containers.map((container) => [container.name, container.role])).toEqual([
      ['kserve-container', 'main'],
      ['transformer-container', 'sidecar'],
    ]);
    expect(workload.resources).toMatchObject({
      cpuMillis: 200,
      memoryBytes: 512 * 2 ** 20,
      gpu: { count: 0 },
    });
    expect(notes(workload)).toContain('storage-initializer');
  });

  it('corpus hf_isvc.yaml: Hugging Face Llama-2 on 1 GPU from hf://', () => {
    const analysed = analyseFile(corpus('kserve__kserve/docs/samples/storage/hf/hf_isvc.yaml'));
    expect(accounting(analysed)).toEqual({
      workloads: ['default/InferenceService/huggingface-llama2'],
      related: [],
      skipped: [],
      lost: 0,
    });
    const workload = workloadById(analysed, 'default/InferenceService/huggingface-llama2');
    expect(workload.resources).toMatchObject({ cpuMillis: 6000, memoryBytes: 24 * 2 ** 30 });
    expect(workload.resources.gpu).toMatchObject({
      count: 1,
      resource: 'nvidia.com/gpu',
      evidence: ['resources'],
      source: { line: 20 },
    });
    expect(workload.ml).toMatchObject({
      server: 'kserve-huggingface',
      model: { uri: 'hf://meta-llama/Llama-2-7b-chat-hf', format: 'huggingface' },
    });
    expect(workload.pod.serviceAccountName).toBe('hfserviceacc');
    expect(workload.pod.containers[0]?.args).toEqual([
      '--model_name=llama2',
      '--model_dir=/mnt/models',
      '--backend=huggingface',
    ]);
  });

  it('corpus ensemble.yaml: sklearn and xgboost InferenceServices, CPU only', () => {
    const analysed = analyseFile(corpus('kserve__kserve/docs/samples/graph/ensemble.yaml'));
    expect(accounting(analysed).workloads).toEqual([
      'default/InferenceService/sklearn-iris',
      'default/InferenceService/xgboost-iris',
    ]);
    expect(workloadById(analysed, 'default/InferenceService/sklearn-iris').ml.server).toBe('kserve-sklearn');
    expect(workloadById(analysed, 'default/InferenceService/xgboost-iris').ml).toMatchObject({
      server: 'kserve-xgboost',
      model: { uri: 'gs://kfserving-examples/models/xgboost/iris' },
    });
  });

  it('corpus oci-image-volume/inference_service.yaml: comment-only document vanishes; model is an image volume', () => {
    const analysed = analyseFile(
      corpus('kserve__kserve/docs/samples/storage/oci-image-volume/inference_service.yaml'),
    );
    expect(accounting(analysed)).toEqual({
      workloads: ['kserve-test/InferenceService/sklearn-oci-native'],
      related: [],
      skipped: [],
      lost: 0,
    });
    const workload = workloadById(analysed, 'kserve-test/InferenceService/sklearn-oci-native');
    expect(workload.resources).toMatchObject({
      cpuMillis: 100,
      memoryBytes: 256 * 2 ** 20,
      gpu: { count: 0 },
    });
    expect(workload.pod.volumes).toMatchObject([
      { source: { type: 'image', reference: 'ghcr.io/my-org/my-sklearn-model:v1' } },
    ]);
    expect(notes(workload)).not.toContain('storage-initializer');
  });

  it('corpus torch_transformer.yaml: Triton predictor with a custom transformer component', () => {
    const analysed = analyseFile(
      corpus('kserve__kserve/docs/samples/v1beta1/triton/torchscript/torch_transformer.yaml'),
    );
    expect(accounting(analysed)).toEqual({
      workloads: ['default/InferenceService/torch-transformer'],
      related: [],
      skipped: [],
      lost: 0,
    });
    const workload = workloadById(analysed, 'default/InferenceService/torch-transformer');
    expect(workload.ml).toMatchObject({
      server: 'triton',
      model: { uri: 'gs://kfserving-examples/models/torchscript', format: 'triton' },
    });
    expect(workload.pod.containers[0]).toMatchObject({
      name: 'kserve-container',
      args: ['--log-verbose=1'],
      env: [{ name: 'OMP_NUM_THREADS', value: '1' }],
    });
    expect(workload.components).toMatchObject([
      { name: 'transformer', role: 'kserve-transformer', minReplicas: 1, resources: { gpu: { count: 0 } } },
    ]);
    expect(workload.resources.gpu.count).toBe(0);
  });

  it('corpus NIM llama-3.1-70b InferenceService: 2 GPUs, NIM runtime, pvc:// model, Knative target 10', () => {
    const analysed = analyseFile(
      corpus('NVIDIA__nim-deploy/kserve/nim-models/llama-3.1-70b-instruct_2xgpu_1.1.0.yaml'),
    );
    expect(accounting(analysed)).toEqual({
      workloads: ['default/InferenceService/llama-3-1-70b-instruct-2xgpu'],
      related: [],
      skipped: [],
      lost: 0,
    });
    const workload = workloadById(analysed, 'default/InferenceService/llama-3-1-70b-instruct-2xgpu');
    expect(workload.resources.gpu).toMatchObject({
      count: 2,
      resource: 'nvidia.com/gpu',
      source: { line: 15 },
    });
    expect(workload.ml).toMatchObject({
      server: 'nim',
      runtime: 'nvidia-nim-llama-3.1-70b-instruct-1.1.0',
      model: { uri: 'pvc://nvidia-nim-pvc/', format: 'nvidia-nim-llama-3.1-70b-instruct' },
    });
    expect(workload.autoscaling).toMatchObject({ kind: 'knative', minReplicas: 1, maxReplicas: null });
    expect(workload.autoscaling.metrics).toMatchObject([
      { type: 'concurrency', target: { value: 10 }, source: { line: 5 } },
    ]);
    expect(workload.pod.volumes).toMatchObject([
      { source: { type: 'pvc', claimName: 'nvidia-nim-pvc', readOnly: true } },
    ]);
  });
});
