import type { Autoscaling, EnvVar, ScalingMetric } from '../../core/model/index.ts';
import type { ManifestObject } from '../sources/index.ts';
import { bool, integer, list, record, text } from './common/fields.ts';
import {
  bytesAt,
  countAt,
  cpuAt,
  operatorContainer,
  operatorGpu,
  operatorPod,
} from './common/operator-pod.ts';
import { getPath } from './common/resources.ts';
import { buildWorkload } from './common/workload.ts';
import type { KindReader, ReadContext } from './types.ts';

type Path = readonly (string | number)[];
const DEPLOYMENT = ['spec', 'deploymentConfig'] as const;
const SCALING = ['spec', 'autoscalingConfig'] as const;

/**
 * VLLMRuntime defaults, from the kubebuilder markers of production-stack operator/api/v1alpha1/
 * vllmruntime_types.go (also spelled out in the corpus sample's comments).
 */
const VLLMRUNTIME_DEFAULTS = {
  replicas: 1,
  minReplicas: 1,
  pollingIntervalSeconds: 15,
  scaleUp: { stabilizationWindowSeconds: 0, podValue: 1, periodSeconds: 60 },
  scaleDown: { stabilizationWindowSeconds: 300, podValue: 1, periodSeconds: 60 },
  scaleToZeroDelaySeconds: 1800,
  requestsRunningThreshold: 5,
  generationTokensThreshold: 100,
  promptTokensThreshold: 100,
} as const;

/**
 * The vLLM production-stack operator's VLLMRuntime: one vLLM Deployment the operator builds from these
 * fields. GPUs are asked for as `deploymentConfig.resources.gpu`, an operator field; autoscaling makes the
 * operator create a KEDA ScaledObject that targets this resource.
 */
export const vllmruntime: KindReader = {
  id: 'vllmruntime',
  title: 'vLLM production-stack VLLMRuntime (production-stack.vllm.ai/v1alpha1)',
  matches: [{ group: 'production-stack.vllm.ai', versions: ['v1alpha1'], kind: 'VLLMRuntime' }],
  read(object, context) {
    const spec = record(object.obj.spec);
    const deployment = record(spec.deploymentConfig);
    const resources = [...DEPLOYMENT, 'resources'];
    const image = record(deployment.image);
    const imageName = text(image.name);
    const gpuPath = [...resources, 'gpu'];
    const gpuType = text(record(deployment.resources).gpuType) ?? 'nvidia.com/gpu';
    const container = operatorContainer({
      name: 'vllm',
      image: imageName ? [text(image.registry), imageName].filter(Boolean).join('/') : null,
      cpuMillis: cpuAt(object, [...resources, 'cpu'], context),
      memoryBytes: bytesAt(object, [...resources, 'memory'], context),
      gpu: operatorGpu(countAt(object, gpuPath, context), gpuType, 'operator-field', object.locate(gpuPath)),
      env: vllmEnv(object),
      source: object.locate([...DEPLOYMENT]),
    });
    const workload = buildWorkload(object, context, {
      pod: operatorPod(container),
      replicas: integer(deployment.replicas) ?? VLLMRUNTIME_DEFAULTS.replicas,
      podPath: [...DEPLOYMENT],
    });
    const model = record(spec.model);
    const modelUrl = text(model.modelURL);
    workload.ml = {
      ...workload.ml,
      isModelServer: true,
      server: 'vllm',
      serverEvidence: 'VLLMRuntime (vLLM production-stack operator)',
      model: modelUrl
        ? {
            uri: modelUrl,
            format: null,
            sizeBytes: null,
            sizeSource: null,
            sizeEvidence: null,
            source: object.locate(['spec', 'model', 'modelURL']),
          }
        : null,
      tensorParallel: integer(record(spec.vllmConfig).tensorParallelSize) ?? null,
    };
    const scaling = record(spec.autoscalingConfig);
    if (bool(scaling.enabled)) {
      workload.autoscaling = vllmAutoscaling(object, workload.id, context);
      workload.serving.scaleToZero = workload.autoscaling.minReplicas === 0;
    }
    if (bool(record(spec.storageConfig).enabled)) {
      workload.notes.push({
        message: 'storageConfig enabled: the operator mounts a PVC (ReadWriteMany by default) into the pod',
        source: object.locate(['spec', 'storageConfig']),
      });
    }
    return { type: 'workload', workload };
  },
};

/** The HF token is a secret reference; other env values are literal and kept. */
function vllmEnv(object: ManifestObject): EnvVar[] {
  const spec = record(object.obj.spec);
  const env: EnvVar[] = list(record(spec.vllmConfig).env).map((entry) => {
    const item = record(entry);
    const value = text(item.value);
    return value === null ? { name: text(item.name) ?? '' } : { name: text(item.name) ?? '', value };
  });
  const token = record(record(spec.model).hfTokenSecret);
  const secret = text(token.hfTokenSecretName);
  if (secret)
    env.push({ name: 'HF_TOKEN', secretRef: { name: secret, key: text(token.hfTokenKeyName) ?? 'token' } });
  return env;
}

function vllmAutoscaling(object: ManifestObject, by: string, context: ReadContext): Autoscaling {
  const scaling = record(getPath(object.obj, SCALING));
  const defaulted: string[] = [];
  const valueAt = (path: Path, fallback: number, label: string) => {
    const value = integer(getPath(object.obj, path));
    if (value === null) defaulted.push(`${label} ${fallback}`);
    return value ?? fallback;
  };
  const policy = (direction: 'scaleUp' | 'scaleDown') => {
    const base = [...SCALING, `${direction}Policy`];
    const defaults = VLLMRUNTIME_DEFAULTS[direction];
    return {
      stabilizationWindowSeconds: valueAt(
        [...base, 'stabilizationWindowSeconds'],
        defaults.stabilizationWindowSeconds,
        `${direction}.stabilizationWindowSeconds`,
      ),
      policies: [
        {
          type: 'Pods',
          value: valueAt([...base, 'podValue'], defaults.podValue, `${direction}.podValue`),
          periodSeconds: valueAt(
            [...base, 'periodSeconds'],
            defaults.periodSeconds,
            `${direction}.periodSeconds`,
          ),
        },
      ],
    };
  };
  const minReplicas = valueAt([...SCALING, 'minReplicas'], VLLMRUNTIME_DEFAULTS.minReplicas, 'minReplicas');
  const settings: Autoscaling['settings'] = {
    createdBy: 'production-stack operator (KEDA ScaledObject targeting the VLLMRuntime)',
    pollingIntervalSeconds: valueAt(
      [...SCALING, 'pollingInterval'],
      VLLMRUNTIME_DEFAULTS.pollingIntervalSeconds,
      'pollingInterval',
    ),
  };
  const behavior = { scaleUp: policy('scaleUp'), scaleDown: policy('scaleDown') };
  if (minReplicas === 0) {
    settings.scaleToZeroDelaySeconds = valueAt(
      [...SCALING, 'scaleDownPolicy', 'scaleToZeroDelaySeconds'],
      VLLMRUNTIME_DEFAULTS.scaleToZeroDelaySeconds,
      'scaleToZeroDelaySeconds',
    );
  }
  const metrics = vllmTriggers(object, valueAt);
  if (defaulted.length > 0)
    settings.defaulted = `${defaulted.join('; ')} — VLLMRuntime CRD defaults (vllmruntime_types.go)`;
  const max = integer(scaling.maxReplicas);
  if (max === null)
    context.reportError(
      object.locate([...SCALING]),
      `${SCALING.join('.')}.maxReplicas: required when autoscaling is enabled`,
    );
  return {
    kind: 'keda',
    by,
    minReplicas,
    maxReplicas: max,
    metrics,
    behavior,
    settings,
    source: object.locate([...SCALING]),
  };
}

/** Per-pod thresholds the operator turns into KEDA Prometheus triggers (KEDA divides by replicas). */
function vllmTriggers(
  object: ManifestObject,
  valueAt: (path: Path, fallback: number, label: string) => number,
): ScalingMetric[] {
  const base = [...SCALING, 'triggers'];
  const entries: [string, string, number][] = [
    [
      'requestsRunningThreshold',
      'vllm requests running per pod',
      VLLMRUNTIME_DEFAULTS.requestsRunningThreshold,
    ],
    [
      'generationTokensThreshold',
      'vllm generation tokens/s per pod',
      VLLMRUNTIME_DEFAULTS.generationTokensThreshold,
    ],
    ['promptTokensThreshold', 'vllm prompt tokens/s per pod', VLLMRUNTIME_DEFAULTS.promptTokensThreshold],
  ];
  return entries.map(([field, name, fallback]) => ({
    type: 'prometheus',
    name,
    target: { type: 'AverageValue', value: valueAt([...base, field], fallback, `triggers.${field}`) },
    source: object.locate([...base, field]),
  }));
}
