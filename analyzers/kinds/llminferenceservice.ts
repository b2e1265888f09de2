import type { Autoscaling, MlProfile, Workload } from '../../core/model/index.ts';
import type { ManifestObject } from '../sources/index.ts';
import { integer, metadataOf, record, stringMap, text } from './common/fields.ts';
import { applyStorageUri } from './common/kserve.ts';
import { emptyPod, readPodSpec } from './common/pod-template.ts';
import { getPath, podResources } from './common/resources.ts';
import { buildWorkload, noAutoscaling } from './common/workload.ts';
import { KEDA_DEFAULTS, kedaTriggers } from './keda-scaledobject.ts';
import type { KindReader, ReadContext } from './types.ts';

type Path = readonly (string | number)[];

/** LLMInferenceService `scaling.minReplicas` defaults to 1 (kubebuilder default in llm_inference_service_types.go). */
const SCALING_MIN_DEFAULT = 1;

/**
 * KServe's LLMInferenceService runs vLLM (through llm-d) from a template its LLMInferenceServiceConfig
 * supplies; the manifest usually gives only the model, replicas and resources. `serving.kserve.io/v1alpha2`
 * is also the legacy InferenceService version, so this reader is keyed on the kind as well.
 */
export const llminferenceservice: KindReader = {
  id: 'llminferenceservice',
  title: 'KServe LLMInferenceService (serving.kserve.io/v1alpha1, v1alpha2)',
  matches: [{ group: 'serving.kserve.io', versions: ['v1alpha1', 'v1alpha2'], kind: 'LLMInferenceService' }],
  read(object, context) {
    const spec = record(object.obj.spec);
    const templatePath = ['spec', 'template'];
    const pod = spec.template ? readPodSpec(object, templatePath, null, context) : emptyPod();
    const metadata = metadataOf(object.obj);
    pod.labels = { ...metadata.labels, ...stringMap(spec.labels) };
    const workload = buildWorkload(object, context, {
      pod,
      replicas: integer(spec.replicas) ?? 1,
      podPath: templatePath,
    });
    if (!spec.template)
      workload.notes.push({
        message: 'no template: the pod comes from the LLMInferenceServiceConfig (baseRefs or the default)',
        source: object.locate(['spec']),
      });
    workload.ml = llmMl(object, workload.ml);
    const model = workload.ml.model;
    if (model?.uri && model.source) applyStorageUri(workload, model.uri, model.source);
    addWorkers(object, ['spec'], 'worker', context, workload);
    addPrefill(object, context, workload);
    if (spec.scaling) {
      workload.autoscaling = llmScaling(object, ['spec', 'scaling'], workload.id, context);
      workload.replicas = workload.autoscaling.minReplicas;
    }
    return { type: 'workload', workload };
  },
};

function llmMl(object: ManifestObject, fromPod: MlProfile): MlProfile {
  const spec = record(object.obj.spec);
  const model = record(spec.model);
  const uri = text(model.uri);
  const parallelism = record(spec.parallelism);
  const detected = fromPod.isModelServer
    ? { server: fromPod.server, evidence: fromPod.serverEvidence }
    : null;
  const runtime = text(spec.runtime);
  return {
    ...fromPod,
    isModelServer: true,
    server: detected?.server ?? 'vllm',
    serverEvidence:
      detected?.evidence ??
      'LLMInferenceService: KServe runs vLLM from its default LLMInferenceServiceConfig template',
    model: uri
      ? {
          uri,
          format: null,
          sizeBytes: null,
          sizeSource: null,
          sizeEvidence: null,
          source: object.locate(['spec', 'model', 'uri']),
        }
      : fromPod.model,
    tensorParallel: integer(parallelism.tensor) ?? fromPod.tensorParallel,
    runtime,
  };
}

/** A `worker` pod spec makes a multi-node group: one head (the template) plus workers. */
function addWorkers(
  object: ManifestObject,
  base: Path,
  name: string,
  context: ReadContext,
  workload: Workload,
): void {
  const body = record(getPath(object.obj, base));
  if (!body.worker) return;
  const pod = readPodSpec(object, [...base, 'worker'], null, context);
  const parallelism = record(body.parallelism);
  // Pipeline stages beyond the head's run on workers; without a size, assume one worker per group.
  const perGroup = Math.max((integer(parallelism.pipeline) ?? 2) - 1, 1);
  const groups = integer(body.replicas) ?? 1;
  workload.components.push({
    name,
    role: 'llm-worker',
    replicas: groups * perGroup,
    minReplicas: null,
    maxReplicas: null,
    pod,
    resources: podResources(pod, object.locate([...base, 'worker', 'nodeSelector'])),
  });
  workload.ml.multiHost = true;
}

/** Disaggregated serving: prefill pods scale apart from the decode pods the workload describes. */
function addPrefill(object: ManifestObject, context: ReadContext, workload: Workload): void {
  const prefill = record(record(object.obj.spec).prefill);
  if (Object.keys(prefill).length === 0) return;
  const pod = prefill.template
    ? readPodSpec(object, ['spec', 'prefill', 'template'], null, context)
    : emptyPod();
  const replicas = integer(prefill.replicas) ?? 1;
  workload.components.push({
    name: 'prefill',
    role: 'llm-prefill',
    replicas,
    minReplicas: null,
    maxReplicas: null,
    pod,
    resources: podResources(pod, object.locate(['spec', 'prefill', 'template', 'nodeSelector'])),
  });
  addWorkers(object, ['spec', 'prefill'], 'prefill-worker', context, workload);
  if (!prefill.template) {
    workload.notes.push({
      message: 'prefill pods come from the LLMInferenceServiceConfig template',
      source: object.locate(['spec', 'prefill']),
    });
  }
}

/** `scaling` creates a KEDA ScaledObject (keda) or an HPA (the deprecated wva.hpa). */
function llmScaling(object: ManifestObject, path: Path, by: string, context: ReadContext): Autoscaling {
  const scaling = record(getPath(object.obj, path));
  const keda = record(scaling.keda ?? record(scaling.wva).keda);
  const useKeda = Object.keys(keda).length > 0;
  const kedaPath = scaling.keda ? [...path, 'keda'] : [...path, 'wva', 'keda'];
  const settings: Autoscaling['settings'] = {};
  if (scaling.minReplicas === undefined)
    settings.defaulted = `minReplicas ${SCALING_MIN_DEFAULT} (LLMInferenceService default)`;
  if (useKeda) {
    settings.pollingIntervalSeconds = integer(keda.pollingInterval) ?? KEDA_DEFAULTS.pollingIntervalSeconds;
    settings.cooldownPeriodSeconds = integer(keda.cooldownPeriod) ?? KEDA_DEFAULTS.cooldownPeriodSeconds;
    if (integer(keda.idleReplicaCount) !== null) settings.idleReplicaCount = integer(keda.idleReplicaCount)!;
  }
  return {
    ...noAutoscaling(),
    kind: useKeda ? 'keda' : 'hpa',
    by,
    minReplicas: integer(scaling.minReplicas) ?? SCALING_MIN_DEFAULT,
    maxReplicas: integer(scaling.maxReplicas),
    metrics: useKeda ? kedaTriggers(object, [...kedaPath, 'triggers'], context).metrics : [],
    behavior:
      record(record(keda.advanced).horizontalPodAutoscalerConfig).behavior ??
      record(record(scaling.wva).hpa).behavior ??
      null,
    settings,
    source: object.locate(path),
  };
}
