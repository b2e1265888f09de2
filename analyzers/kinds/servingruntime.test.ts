import { describe, expect, it } from 'vitest';
import {
  accounting,
  analyseFile,
  analyseText,
  readResults,
  readText,
  relatedById,
  workloadById,
} from './common/testing.ts';

const corpus = (path: string) => new URL(`../../../shared/corpus/k8s/${path}`, import.meta.url);
const NIM_RUNTIME = corpus('NVIDIA__nim-deploy/kserve/runtimes/llama-3.1-70b-instruct-1.1.0.yaml');
const NIM_ISVC = corpus('NVIDIA__nim-deploy/kserve/nim-models/llama-3.1-70b-instruct_2xgpu_1.1.0.yaml');
const CLUSTER_RESOURCES = corpus(
  'kubeflow__manifests/applications/kserve/kserve/kserve-cluster-resources.yaml',
);

describe('servingruntime', () => {
  it('a namespaced ServingRuntime links only InferenceServices of its namespace that name it or auto-select its format', () => {
    const analysed = analyseText(`
apiVersion: serving.kserve.io/v1alpha1
kind: ServingRuntime
metadata: { name: onnx-rt, namespace: a }
spec:
  supportedModelFormats: [{ name: onnx, autoSelect: true }, { name: pytorch }]
  containers: [{ name: kserve-container, image: example/onnx:1 }]
---
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata: { name: by-format, namespace: a }
spec: { predictor: { model: { modelFormat: { name: onnx } } } }
---
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata: { name: not-auto, namespace: a }
spec: { predictor: { model: { modelFormat: { name: pytorch } } } }
---
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata: { name: other-ns, namespace: b }
spec: { predictor: { model: { modelFormat: { name: onnx } } } }
`);
    expect(relatedById(analysed, 'a/ServingRuntime/onnx-rt')).toMatchObject({
      role: 'runtime',
      attachedTo: ['a/InferenceService/by-format'],
    });
  });

  it('corpus NIM ClusterServingRuntime alone: cluster-scoped, unattached with a reason', () => {
    const analysed = analyseFile(NIM_RUNTIME);
    expect(accounting(analysed)).toEqual({
      workloads: [],
      related: ['ClusterServingRuntime/nvidia-nim-llama-3.1-70b-instruct-1.1.0'],
      skipped: [],
      lost: 0,
    });
    expect(
      relatedById(analysed, 'ClusterServingRuntime/nvidia-nim-llama-3.1-70b-instruct-1.1.0'),
    ).toMatchObject({
      role: 'runtime',
      namespace: '',
      attachedTo: [],
      link: 'no InferenceService in the input uses it',
    });
    expect(readResults(readText(NIM_RUNTIME)).results[0]).toMatchObject({
      type: 'related',
      link: {
        runtime: {
          formats: ['nvidia-nim-llama-3.1-70b-instruct'],
          image: 'nvcr.io/nim/meta/llama-3.1-70b-instruct:1.1.0',
          cluster: true,
        },
      },
    });
  });

  it('corpus NIM runtime + InferenceService together: the InferenceService names the runtime', () => {
    const analysed = analyseText(`${readText(NIM_RUNTIME)}\n---\n${readText(NIM_ISVC)}`);
    expect(
      relatedById(analysed, 'ClusterServingRuntime/nvidia-nim-llama-3.1-70b-instruct-1.1.0'),
    ).toMatchObject({
      attachedTo: ['default/InferenceService/llama-3-1-70b-instruct-2xgpu'],
      link: 'runtime nvidia-nim-llama-3.1-70b-instruct-1.1.0',
    });
    expect(workloadById(analysed, 'default/InferenceService/llama-3-1-70b-instruct-2xgpu').related).toEqual([
      'ClusterServingRuntime/nvidia-nim-llama-3.1-70b-instruct-1.1.0',
    ]);
  });

  it('corpus kserve-cluster-resources.yaml: 11 ClusterServingRuntimes; storage container and LLM configs skipped by kind', () => {
    const analysed = analyseFile(CLUSTER_RESOURCES);
    const counted = accounting(analysed);
    expect(counted.workloads).toEqual([]);
    expect(counted.related).toEqual(
      [
        'huggingfaceserver',
        'huggingfaceserver-multinode',
        'lgbserver',
        'mlserver',
        'paddleserver',
        'pmmlserver',
        'sklearnserver',
        'tensorflow-serving',
        'torchserve',
        'tritonserver',
        'xgbserver',
      ].map((name) => `ClusterServingRuntime/kserve-${name}`),
    );
    expect(counted.skipped).toEqual([
      'ClusterStorageContainer: kind ClusterStorageContainer (serving.kserve.io/v1alpha1) is not one migrate reads',
      ...Array(8).fill(
        'LLMInferenceServiceConfig: kind LLMInferenceServiceConfig (serving.kserve.io/v1alpha1) is not one migrate reads',
      ),
    ]);
    expect(counted.lost).toBe(0);
    expect(analysed.errors).toEqual([]);
    const links = readResults(readText(CLUSTER_RESOURCES)).results.flatMap((result) =>
      result.type === 'related' && result.link?.runtime
        ? [[result.related.name, result.link.runtime.formats]]
        : [],
    );
    // Triton lists pytorch without autoSelect: KServe never picks it for pytorch on its own.
    expect(Object.fromEntries(links)).toMatchObject({
      'kserve-tritonserver': ['tensorrt', 'tensorflow', 'onnx', 'triton'],
      'kserve-mlserver': ['sklearn', 'xgboost', 'lightgbm', 'mlflow'],
      'kserve-huggingfaceserver': ['huggingface'],
    });
  });
});
