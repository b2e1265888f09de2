import type { Autoscaling, MlProfile, PodTemplate, ScalingMetric, Workload } from '../../core/model/index.ts';
import type { ManifestObject } from '../sources/index.ts';
import { integer, list, metadataOf, record, stringMap, text } from './common/fields.ts';
import { type Found, KNATIVE_DEFAULTS, knativeAutoscaling } from './common/knative.ts';
import {
  applyStorageUri,
  componentOf,
  EXPLAINER_FRAMEWORKS,
  PREDICTOR_FRAMEWORKS,
  readComponentPod,
  serverForKserve,
} from './common/kserve.ts';
import { detectModelServer, isPlatformComponent } from './common/model-server.ts';
import { metricValue } from './common/quantity-field.ts';
import { getPath } from './common/resources.ts';
import { buildWorkload } from './common/workload.ts';
import { apiGroupAndVersion, type KindReader, type ReadContext } from './types.ts';

type Path = readonly (string | number)[];

const MODE_ANNOTATION = 'serving.kserve.io/deploymentMode';
const CLASS_ANNOTATION = 'serving.kserve.io/autoscalerClass';
/** Raw-mode scaling annotations of older KServe releases, still found in samples (sklearn_hpa.yaml). */
const METRIC_ANNOTATION = 'serving.kserve.io/metric';
const TARGET_ANNOTATION = 'serving.kserve.io/targetUtilizationPercentage';

/** KServe pkg/constants: DefaultMinReplicas 1, DefaultCPUUtilization 80 (used by the raw-mode HPA reconciler). */
const KSERVE_DEFAULTS = { minReplicas: 1, cpuUtilization: 80 } as const;

interface Layout {
  predictor: Path;
  transformer: Path;
  explainer: Path;
  canary: Path | null;
}
const V1BETA1: Layout = {
  predictor: ['spec', 'predictor'],
  transformer: ['spec', 'transformer'],
  explainer: ['spec', 'explainer'],
  canary: null,
};
/** Legacy v1alpha2 nests components under `default`, with an optional `canary` set beside it. */
const V1ALPHA2: Layout = {
  predictor: ['spec', 'default', 'predictor'],
  transformer: ['spec', 'default', 'transformer'],
  explainer: ['spec', 'default', 'explainer'],
  canary: ['spec', 'canary', 'predictor'],
};

export const inferenceservice: KindReader = {
  id: 'inferenceservice',
  title: 'KServe InferenceService (serving.kserve.io/v1beta1, legacy v1alpha2)',
  matches: [
    { group: 'serving.kserve.io', versions: ['v1beta1', 'v1alpha2'], kind: 'InferenceService' },
    { group: 'serving.kubeflow.org', versions: ['v1beta1', 'v1alpha2'], kind: 'InferenceService' },
  ],
  read(object, context) {
    const { version } = apiGroupAndVersion(text(object.obj.apiVersion) ?? '');
    return {
      type: 'workload',
      workload: readInferenceService(object, context, version === 'v1alpha2' ? V1ALPHA2 : V1BETA1),
    };
  },
};

function readInferenceService(object: ManifestObject, context: ReadContext, layout: Layout): Workload {
  const predictor = record(getPath(object.obj, layout.predictor));
  const { pod, framework } = readComponentPod(object, layout.predictor, context, PREDICTOR_FRAMEWORKS);
  const metadata = metadataOf(object.obj);
  // KServe copies the InferenceService's labels to its pods and adds its own, which Services select on.
  pod.labels = {
    ...metadata.labels,
    ...stringMap(predictor.labels),
    'serving.kserve.io/inferenceservice': metadata.name ?? '',
    component: 'predictor',
  };
  const workload = buildWorkload(object, context, { pod, replicas: null, podPath: layout.predictor });
  if (Object.keys(predictor).length === 0)
    workload.notes.push({ message: 'no predictor: nothing to serve', source: object.locate(['spec']) });
  workload.ml = predictorMl(object, layout.predictor, framework, pod, workload.ml);
  const model = workload.ml.model;
  if (model?.uri && model.source) applyStorageUri(workload, model.uri, model.source);

  const components: [Path | null, string, readonly string[]][] = [
    [layout.transformer, 'kserve-transformer', []],
    [layout.explainer, 'kserve-explainer', EXPLAINER_FRAMEWORKS],
    [layout.canary, 'kserve-canary', PREDICTOR_FRAMEWORKS],
    [[...layout.predictor, 'workerSpec'], 'kserve-worker', []],
  ];
  for (const [path, role, frameworks] of components) {
    const component = path ? componentOf(object, path, context, role, frameworks) : null;
    if (component) workload.components.push(component);
  }
  readMultiNode(object, layout.predictor, workload);

  const scaling = autoscalingFor(object, context, layout.predictor, workload);
  workload.autoscaling = scaling.autoscaling;
  workload.replicas = scaling.autoscaling.minReplicas;
  workload.serving.scaleToZero = scaling.autoscaling.minReplicas === 0;
  workload.notes.push(...scaling.notes);
  readServing(object, layout.predictor, scaling.serverless, workload);
  const canary =
    integer(predictor.canaryTrafficPercent) ?? integer(record(object.obj.spec).canaryTrafficPercent);
  if (canary !== null) {
    workload.notes.push({
      message: `canary rollout: ${canary}% of traffic goes to the latest revision, so two revisions run at once`,
      source: object.locate([...layout.predictor, 'canaryTrafficPercent']),
    });
  }
  return workload;
}

function predictorMl(
  object: ManifestObject,
  path: Path,
  framework: string | null,
  pod: PodTemplate,
  fromPod: MlProfile,
): MlProfile {
  const predictor = record(getPath(object.obj, path));
  const modelKey = framework && framework !== 'custom' ? framework : null;
  const body = modelKey ? record(predictor[modelKey]) : {};
  const format = text(record(body.modelFormat).name) ?? (modelKey && modelKey !== 'model' ? modelKey : null);
  const runtime = text(body.runtime);
  let server: { server: MlProfile['server']; evidence: string };
  if (modelKey) {
    server = serverForKserve(format, runtime);
  } else {
    // Custom containers: the image says what serves; KServe itself is the evidence otherwise.
    const detected = isPlatformComponent(pod.containers) ? null : detectModelServer(pod.containers);
    server = detected ?? { server: 'custom', evidence: 'InferenceService custom predictor containers' };
  }
  const uriField = text(body.storageUri);
  const envUri = pod.containers
    .filter((container) => container.role !== 'init')
    .flatMap((container) =>
      container.env
        .filter((env) => env.name === 'STORAGE_URI' && env.value)
        .map((env) => ({ uri: env.value!, source: container.source })),
    )[0];
  const uri = uriField ?? envUri?.uri ?? null;
  const source = uriField ? object.locate([...path, modelKey ?? '', 'storageUri']) : (envUri?.source ?? null);
  return {
    ...fromPod,
    isModelServer: true,
    server: server.server,
    serverEvidence: server.evidence,
    model:
      uri || format
        ? {
            uri,
            format,
            sizeBytes: null,
            sizeSource: null,
            sizeEvidence: null,
            source: source ?? object.locate(path),
          }
        : fromPod.model,
    runtime,
  };
}

/** KServe multi-node serving: a head predictor plus workerSpec pods running one model across hosts. */
function readMultiNode(object: ManifestObject, predictorPath: Path, workload: Workload): void {
  const worker = record(record(getPath(object.obj, predictorPath)).workerSpec);
  if (Object.keys(worker).length === 0) return;
  const pipeline = integer(worker.pipelineParallelSize) ?? 1;
  const component = workload.components.find((entry) => entry.role === 'kserve-worker');
  // One node is the head predictor; the others are worker pods.
  if (component)
    component.replicas = component.minReplicas = component.maxReplicas = Math.max(pipeline - 1, 0);
  workload.ml.multiHost = true;
  workload.ml.tensorParallel = integer(worker.tensorParallelSize) ?? workload.ml.tensorParallel;
}

function readServing(object: ManifestObject, path: Path, serverless: boolean, workload: Workload): void {
  const predictor = record(getPath(object.obj, path));
  const concurrency = integer(predictor.containerConcurrency);
  if (concurrency !== null && concurrency > 0) workload.serving.containerConcurrency = concurrency;
  const timeout = integer(predictor.timeout);
  if (timeout !== null) {
    workload.serving.timeoutSeconds = timeout;
  } else if (serverless) {
    workload.serving.timeoutSeconds = KNATIVE_DEFAULTS.revisionTimeoutSeconds;
    workload.notes.push({
      message: `no predictor timeout: Knative's default revision-timeout-seconds ${KNATIVE_DEFAULTS.revisionTimeoutSeconds} s applies (platform-facts.md d)`,
      source: null,
    });
  }
  if (concurrency !== null || timeout !== null)
    workload.serving.source ??= object.locate([
      ...path,
      timeout !== null ? 'timeout' : 'containerConcurrency',
    ]);
}

function foundInteger(object: ManifestObject, path: Path, field: string): Found<number> | null {
  const value = integer(record(getPath(object.obj, path))[field]);
  return value === null ? null : { value, source: object.locate([...path, field]) };
}

interface Scaling {
  autoscaling: Autoscaling;
  serverless: boolean;
  notes: Workload['notes'];
}

/**
 * Serverless mode scales with Knative (annotations and the predictor's own fields); RawDeployment
 * ("Standard" since KServe 0.15) creates an HPA, or hands scaling to KEDA or to nobody.
 */
function autoscalingFor(
  object: ManifestObject,
  context: ReadContext,
  path: Path,
  workload: Workload,
): Scaling {
  const predictor = record(getPath(object.obj, path));
  const annotations = { ...metadataOf(object.obj).annotations, ...stringMap(predictor.annotations) };
  const mode = annotations[MODE_ANNOTATION] ?? null;
  const modeSource = object.locate(['metadata', 'annotations', MODE_ANNOTATION]);
  const min = foundInteger(object, path, 'minReplicas');
  const max = foundInteger(object, path, 'maxReplicas');
  const notes: Workload['notes'] = [];
  if (mode === 'RawDeployment' || mode === 'Standard') {
    return {
      autoscaling: rawAutoscaling(object, context, path, annotations, workload.id, notes),
      serverless: false,
      notes,
    };
  }
  if (mode === null) {
    notes.push({
      message: `no ${MODE_ANNOTATION} annotation: assumed Serverless (Knative), KServe's long-standing default; the cluster's inferenceservice-config may choose another`,
      source: null,
    });
  } else if (mode !== 'Serverless' && mode !== 'Knative') {
    notes.push({
      message: `deployment mode ${mode} is not modelled; read as Serverless`,
      source: modeSource,
    });
  }
  const metric = text(predictor.scaleMetric);
  const autoscaling = knativeAutoscaling(object, context, {
    annotationPaths: [
      ['metadata', 'annotations'],
      [...path, 'annotations'],
    ],
    by: workload.id,
    containerConcurrency: integer(predictor.containerConcurrency),
    overrides: {
      min,
      max,
      target: foundInteger(object, path, 'scaleTarget'),
      metric: metric ? { value: metric, source: object.locate([...path, 'scaleMetric']) } : null,
    },
    defaultMin: { value: KSERVE_DEFAULTS.minReplicas, why: 'KServe minReplicas default' },
    source: object.locate(path),
  });
  return { autoscaling, serverless: true, notes };
}

function rawAutoscaling(
  object: ManifestObject,
  context: ReadContext,
  path: Path,
  annotations: Record<string, string>,
  by: string,
  notes: Workload['notes'],
): Autoscaling {
  const predictor = record(getPath(object.obj, path));
  const scalerClass = annotations[CLASS_ANNOTATION] ?? 'hpa';
  const requestedMin = integer(predictor.minReplicas);
  const requestedMax = integer(predictor.maxReplicas) ?? 0;
  const base = { by, behavior: null, source: object.locate(path) };
  if (scalerClass === 'external' || scalerClass === 'none') {
    notes.push({
      message: `autoscalerClass ${scalerClass}: KServe creates no autoscaler for this predictor`,
      source: object.locate(['metadata', 'annotations', CLASS_ANNOTATION]),
    });
    const fixed = requestedMin ?? KSERVE_DEFAULTS.minReplicas;
    return {
      ...base,
      kind: 'none',
      minReplicas: fixed,
      maxReplicas: fixed,
      metrics: [],
      settings: { autoscalerClass: scalerClass },
    };
  }
  const metrics = autoScalingMetrics(object, [...path, 'autoScaling', 'metrics'], context);
  if (scalerClass === 'keda') {
    const min = requestedMin ?? KSERVE_DEFAULTS.minReplicas;
    return {
      ...base,
      kind: 'keda',
      minReplicas: min,
      maxReplicas: Math.max(requestedMax, min),
      metrics,
      settings: { autoscalerClass: 'keda' },
    };
  }
  // The raw-mode HPA reconciler: min at least 1, max at least min (so an unset max means a fixed size).
  const min = Math.max(requestedMin ?? KSERVE_DEFAULTS.minReplicas, KSERVE_DEFAULTS.minReplicas);
  const max = Math.max(requestedMax, min);
  if (max === min) {
    notes.push({
      message: `maxReplicas ${requestedMax === 0 ? 'unset' : requestedMax}: KServe sets the HPA's maximum to its minimum (${min}), so it never scales out`,
      source: object.locate(path),
    });
  }
  return {
    ...base,
    kind: 'hpa',
    minReplicas: min,
    maxReplicas: max,
    metrics: metrics.length > 0 ? metrics : [legacyMetric(object, context, path, annotations)],
    settings: { autoscalerClass: 'hpa' },
  };
}

/** scaleMetric/scaleTarget (or the older annotations) as the single HPA metric; CPU 80 % by default. */
function legacyMetric(
  object: ManifestObject,
  context: ReadContext,
  path: Path,
  annotations: Record<string, string>,
): ScalingMetric {
  const predictor = record(getPath(object.obj, path));
  const fromField = text(predictor.scaleMetric) !== null;
  const metric = text(predictor.scaleMetric) ?? annotations[METRIC_ANNOTATION] ?? 'cpu';
  const targetPath =
    predictor.scaleTarget !== undefined
      ? [...path, 'scaleTarget']
      : ['metadata', 'annotations', TARGET_ANNOTATION];
  const raw = predictor.scaleTarget ?? annotations[TARGET_ANNOTATION];
  const value =
    metricValue(raw, object, targetPath, context) ??
    (metric === 'cpu' ? KSERVE_DEFAULTS.cpuUtilization : null);
  const source = object.locate(raw !== undefined ? targetPath : fromField ? [...path, 'scaleMetric'] : path);
  return {
    type: 'Resource',
    name: metric,
    target: value === null ? null : { type: 'Utilization', value },
    source,
  };
}

/** KServe's AutoScalingSpec metrics: Resource, External and PodMetric sources with an HPA-style target. */
function autoScalingMetrics(object: ManifestObject, path: Path, context: ReadContext): ScalingMetric[] {
  return list(getPath(object.obj, path)).map((entry, index) => {
    const metric = record(entry);
    const key =
      ['resource', 'external', 'podmetric', 'podMetric'].find((name) => metric[name] !== undefined) ??
      'resource';
    const body = record(metric[key]);
    const inner = record(body.metric);
    const target = record(body.target);
    const field = ['averageUtilization', 'averageValue', 'value'].find((name) => target[name] !== undefined);
    const value = field
      ? metricValue(target[field], object, [...path, index, key, 'target', field], context)
      : null;
    const targetType =
      text(target.type) ??
      (field === 'averageUtilization' ? 'Utilization' : field === 'value' ? 'Value' : 'AverageValue');
    return {
      type: text(metric.type) ?? key,
      name: text(body.name) ?? text(inner.metricName) ?? text(inner.query) ?? '',
      target: value === null ? null : { type: targetType, value },
      source: object.locate([...path, index]),
    };
  });
}
