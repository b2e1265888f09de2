import type { Container, ModelArtifact, ModelServerId } from '../../../core/model/index.ts';

interface ServerSignature {
  id: ModelServerId;
  /** Matched against the image repository (without registry host and tag) and the command line. */
  image?: RegExp;
  command?: RegExp;
}

/**
 * How model servers show themselves in a container. Order matters: the first match wins, so specific
 * images (KServe runtimes, NIM) come before generic ones (a python image running `torchrun`).
 */
const SIGNATURES: ServerSignature[] = [
  { id: 'triton', image: /tritonserver|triton-inference-server/, command: /\btritonserver\b/ },
  {
    id: 'vllm',
    image: /(^|\/)vllm[-/]|vllm-openai|\/vllm$|lmcache\/vllm/,
    command: /\bvllm\b.*\bserve\b|vllm\.entrypoints/,
  },
  {
    id: 'tgi',
    image: /text-generation-inference|huggingface-text-generation/,
    command: /\btext-generation-launcher\b/,
  },
  { id: 'nim', image: /nvcr\.io\/nim\/|(^|\/)nim\// },
  { id: 'torchserve', image: /torchserve|pytorch\/serve/, command: /\btorchserve\b/ },
  { id: 'tf-serving', image: /tensorflow\/serving|tensorflow-serving/, command: /tensorflow_model_server/ },
  { id: 'kserve-sklearn', image: /kserve\/sklearnserver|sklearnserver/ },
  { id: 'kserve-xgboost', image: /kserve\/xgbserver|xgbserver/ },
  { id: 'kserve-lightgbm', image: /kserve\/lgbserver|lgbserver/ },
  { id: 'kserve-huggingface', image: /kserve\/huggingfaceserver|huggingfaceserver/ },
  { id: 'kserve-pmml', image: /kserve\/pmmlserver|pmmlserver/ },
  { id: 'kserve-paddle', image: /kserve\/paddleserver|paddleserver/ },
  { id: 'mlserver', image: /seldonio\/mlserver|(^|\/)mlserver/, command: /\bmlserver\s+start\b/ },
  // Seldon Core v1 prepackaged servers, when a componentSpec names their image explicitly.
  { id: 'seldon', image: /seldonio\/(sklearnserver|xgboostserver|mlflowserver|tfserving-proxy)/ },
  { id: 'ollama', image: /(^|\/)ollama\/ollama|(^|\/)ollama(:|$)/, command: /\bollama\s+serve\b/ },
  { id: 'bentoml', image: /bentoml|bento/, command: /\bbentoml\s+serve\b/ },
  { id: 'ray-serve', command: /\bserve\s+(run|deploy)\b/ },
  { id: 'torchrun', command: /\btorchrun\b|torch\.distributed\.run/ },
];

export function repositoryOf(image: string): string {
  const withoutDigest = image.split('@')[0] ?? image;
  const lastSlash = withoutDigest.lastIndexOf('/');
  const lastColon = withoutDigest.lastIndexOf(':');
  return lastColon > lastSlash ? withoutDigest.slice(0, lastColon) : withoutDigest;
}

/** The first container that looks like a model server, and what gave it away. */
export function detectModelServer(
  containers: Container[],
): { server: ModelServerId; evidence: string } | null {
  for (const signature of SIGNATURES) {
    for (const container of containers) {
      if (container.role === 'init') continue;
      const repository = container.image ? repositoryOf(container.image) : '';
      if (signature.image?.test(repository)) {
        return { server: signature.id, evidence: `image ${container.image} (container ${container.name})` };
      }
      const commandLine = [...container.command, ...container.args].join(' ');
      if (signature.command?.test(commandLine)) {
        return {
          server: signature.id,
          evidence: `command \`${truncate(commandLine)}\` (container ${container.name})`,
        };
      }
    }
  }
  return null;
}

/** Env vars and flags that name the model a server loads. */
const MODEL_ENV = [
  'MODEL_ID',
  'MODEL_NAME',
  'MODEL_PATH',
  'MODEL_URI',
  'STORAGE_URI',
  'HF_MODEL_ID',
  'MODEL',
  'MODEL_REPOSITORY',
];
const MODEL_FLAGS = [
  '--model',
  '--model-id',
  '--model_name',
  '--model-repository',
  '--model_base_path',
  '--model-store',
  '--model_path',
];

/** The model a container names in its env or flags, as the user wrote it (placeholders included). */
export function modelFromContainers(containers: Container[]): ModelArtifact | null {
  for (const container of containers) {
    for (const name of MODEL_ENV) {
      const env = container.env.find((entry) => entry.name === name && entry.value);
      if (env?.value) return artifact(env.value, container);
    }
    const words = [...container.command, ...container.args].flatMap((word) => word.split(/\s+/));
    for (let index = 0; index < words.length; index++) {
      const word = words[index]!;
      for (const flag of MODEL_FLAGS) {
        if (word === flag && words[index + 1]) return artifact(words[index + 1]!, container);
        if (word.startsWith(`${flag}=`)) return artifact(word.slice(flag.length + 1), container);
      }
    }
  }
  return null;
}

function artifact(uri: string, container: Container): ModelArtifact {
  return {
    uri,
    format: null,
    sizeBytes: null,
    sizeSource: null,
    sizeEvidence: null,
    source: container.source,
  };
}

function truncate(value: string): string {
  return value.length > 80 ? `${value.slice(0, 77)}...` : value;
}

/** Images of Kubernetes platform components (Knative, KServe, KEDA, Ray operators): never model servers. */
const PLATFORM_IMAGES =
  /knative-releases|knative\.dev\/|kserve\/kserve-controller|kserve\/agent|kserve\/router|kserve\/storage-initializer|kedacore\/|kuberay\/operator|seldonio\/seldon-core-operator|nvidia\/gpu-operator|k8s-device-plugin|istio\/|kube-rbac-proxy|cert-manager|llm-d-routing-sidecar|k8s-nim-operator|aks\/kaito\/workspace|lws\/lws|seldon-core-executor/;

export function isPlatformComponent(containers: Container[]): boolean {
  const images = containers
    .filter((container) => container.role !== 'init')
    .map((container) => container.image ?? '');
  return images.length > 0 && images.every((image) => PLATFORM_IMAGES.test(image));
}
