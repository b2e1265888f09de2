import type { ModelServerId, PodTemplate, SourceRef, Workload } from '../../../core/model/index.ts';
import type { ManifestObject } from '../../sources/index.ts';
import type { ReadContext } from '../types.ts';
import { integer, record, text } from './fields.ts';
import { readContainer, readPodSpec } from './pod-template.ts';
import { getPath, podResources } from './resources.ts';

type Path = readonly (string | number)[];

/** Keys of a predictor that each hold one model container spec (v1beta1 and legacy v1alpha2). */
export const PREDICTOR_FRAMEWORKS = [
  'model',
  'sklearn',
  'xgboost',
  'lightgbm',
  'tensorflow',
  'pytorch',
  'triton',
  'onnx',
  'huggingface',
  'pmml',
  'paddle',
  'tensorrt',
] as const;
export const EXPLAINER_FRAMEWORKS = ['alibi', 'art', 'aix'] as const;

/** Runtime names of the stock (Cluster)ServingRuntimes, and what runs inside them. */
const RUNTIME_SERVERS: [RegExp, ModelServerId][] = [
  [/triton/, 'triton'],
  [/torchserve/, 'torchserve'],
  [/mlserver/, 'mlserver'],
  [/sklearnserver/, 'kserve-sklearn'],
  [/xgbserver/, 'kserve-xgboost'],
  [/lgbserver/, 'kserve-lightgbm'],
  [/huggingfaceserver/, 'kserve-huggingface'],
  [/pmmlserver/, 'kserve-pmml'],
  [/paddleserver/, 'kserve-paddle'],
  [/tensorflow-serving|tfserving/, 'tf-serving'],
  [/(^|-)nim(-|$)/, 'nim'],
  [/vllm/, 'vllm'],
];

/**
 * The runtime KServe auto-selects for a model format, as in KServe's stock ClusterServingRuntimes
 * (kubeflow/manifests kserve-cluster-resources.yaml, in the corpus). Formats several runtimes serve
 * (tensorflow: TF Serving and Triton) take the dedicated server.
 */
const FORMAT_SERVERS: Record<string, ModelServerId> = {
  sklearn: 'kserve-sklearn',
  xgboost: 'kserve-xgboost',
  lightgbm: 'kserve-lightgbm',
  huggingface: 'kserve-huggingface',
  pmml: 'kserve-pmml',
  paddle: 'kserve-paddle',
  pytorch: 'torchserve',
  tensorflow: 'tf-serving',
  triton: 'triton',
  onnx: 'triton',
  tensorrt: 'triton',
  mlflow: 'mlserver',
};

export function serverForKserve(
  format: string | null,
  runtime: string | null,
): { server: ModelServerId; evidence: string } {
  if (runtime) {
    const match = RUNTIME_SERVERS.find(([pattern]) => pattern.test(runtime.toLowerCase()));
    if (match) return { server: match[1], evidence: `InferenceService runtime ${runtime}` };
  }
  const key = (format ?? '').toLowerCase();
  if (key.startsWith('nvidia-nim'))
    return { server: 'nim', evidence: `InferenceService model format ${format}` };
  const server = FORMAT_SERVERS[key];
  if (server)
    return { server, evidence: `InferenceService model format ${format} (KServe's stock runtime for it)` };
  return {
    server: 'kserve-runtime',
    evidence: `InferenceService model format ${format ?? 'unknown'}; the ServingRuntime decides the server`,
  };
}

/**
 * A KServe component (predictor, transformer, explainer) is a PodSpec plus, optionally, one framework key
 * holding the model container. The runtime supplies that container's image, so it has none here; any
 * user containers beside it are sidecars.
 */
export function readComponentPod(
  object: ManifestObject,
  path: Path,
  context: ReadContext,
  frameworks: readonly string[],
): { pod: PodTemplate; framework: string | null } {
  const pod = readPodSpec(object, path, null, context);
  const body = record(getPath(object.obj, path));
  const framework = frameworks.find((key) => body[key] !== undefined && body[key] !== null) ?? null;
  // Legacy v1alpha2 custom predictors nest the container one level down.
  const custom = record(body.custom).container !== undefined ? [...path, 'custom', 'container'] : null;
  const modelPath = framework ? [...path, framework] : custom;
  if (modelPath) {
    const container = readContainer(object, modelPath, 'main', context);
    container.name = text(record(getPath(object.obj, modelPath)).name) ?? 'kserve-container';
    const others = pod.containers.map((entry) =>
      entry.role === 'main' ? { ...entry, role: 'sidecar' as const } : entry,
    );
    pod.containers = [container, ...others];
  }
  return { pod, framework: framework ?? (custom ? 'custom' : null) };
}

export function componentOf(
  object: ManifestObject,
  path: Path,
  context: ReadContext,
  role: string,
  frameworks: readonly string[],
): Workload['components'][number] | null {
  const body = getPath(object.obj, path);
  if (body === undefined || body === null) return null;
  const spec = record(body);
  const { pod } = readComponentPod(object, path, context, frameworks);
  // KServe's DefaultMinReplicas is 1; a max of 0 means no limit.
  const min = integer(spec.minReplicas) ?? 1;
  const maxReplicas = integer(spec.maxReplicas);
  const max = maxReplicas !== null && maxReplicas > 0 ? maxReplicas : null;
  return {
    name: String(path[path.length - 1]),
    role,
    replicas: min,
    minReplicas: min,
    maxReplicas: max,
    pod,
    resources: podResources(pod, object.locate([...path, 'nodeSelector'])),
  };
}

/**
 * What KServe does with a storage URI before the server starts, which decides cold-start cost: a PVC or an
 * image volume is mounted, anything else is downloaded by the storage-initializer init container.
 */
export function applyStorageUri(workload: Workload, uri: string, source: SourceRef): void {
  const pvc = /^pvc:\/\/([^/]+)/.exec(uri);
  if (pvc) {
    // KServe mounts the claim read-only; listing it as a volume lets the claim's size become the model's.
    workload.pod.volumes.push({
      name: 'kserve-pvc-source',
      source: { type: 'pvc', claimName: pvc[1]!, readOnly: true },
      sourceRef: source,
    });
    workload.notes.push({
      message: `model is read from PVC ${pvc[1]} (storageUri ${uri}), mounted read-only by KServe`,
      source,
    });
    return;
  }
  const native = /^oci\+native:\/\/(.+)$/.exec(uri);
  if (native) {
    workload.pod.volumes.push({
      name: 'kserve-model-image',
      source: { type: 'image', reference: native[1]! },
      sourceRef: source,
    });
    workload.notes.push({
      message: `model image ${native[1]} is mounted as a Kubernetes image volume (no download, but the image is pulled on a new node)`,
      source,
    });
    return;
  }
  if (uri.startsWith('oci://')) {
    workload.notes.push({
      message: `model image ${uri} runs as a modelcar sidecar: it is pulled with the pod`,
      source,
    });
    return;
  }
  workload.notes.push({
    message: `KServe's storage-initializer init container downloads the model from ${uri} before the server starts: the download is part of every cold start`,
    source,
  });
}
