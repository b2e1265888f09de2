import type { Autoscaling, MlProfile, Workload } from '../../core/model/index.ts';
import type { ManifestObject } from '../sources/index.ts';
import { bool, integer, list, metadataOf, record, text } from './common/fields.ts';
import { hpaMetric } from './common/hpa-metric.ts';
import { detectModelServer, isPlatformComponent } from './common/model-server.ts';
import { emptyPod, readPodSpec } from './common/pod-template.ts';
import { getPath, podResources } from './common/resources.ts';
import { buildWorkload } from './common/workload.ts';
import { kedaAutoscaling } from './keda-scaledobject.ts';
import type { KindReader, ReadContext } from './types.ts';

type Path = readonly (string | number)[];

/** Seldon Core v1 prepackaged servers: the operator injects their image, so only the graph names them. */
const PREPACKAGED_FORMATS: Record<string, string> = {
  SKLEARN_SERVER: 'sklearn',
  XGBOOST_SERVER: 'xgboost',
  TENSORFLOW_SERVER: 'tensorflow',
  MLFLOW_SERVER: 'mlflow',
  TRITON_SERVER: 'triton',
  HUGGINGFACE_SERVER: 'huggingface',
  TEMPO_SERVER: 'tempo',
};

/**
 * A Seldon Core v1 SeldonDeployment. Each predictor is a Deployment (per componentSpec) running an
 * inference graph. The primary predictor (the first that is not a shadow) is the workload's pod; the
 * other predictors and extra componentSpecs are components.
 */
export const seldondeployment: KindReader = {
  id: 'seldondeployment',
  title: 'Seldon Core SeldonDeployment (machinelearning.seldon.io/v1, v1alpha2, v1alpha3)',
  matches: [
    {
      group: 'machinelearning.seldon.io',
      versions: ['v1', 'v1alpha2', 'v1alpha3'],
      kind: 'SeldonDeployment',
    },
  ],
  read(object, context) {
    const predictors = list(record(object.obj.spec).predictors).map(record);
    const primaryIndex = Math.max(
      predictors.findIndex((predictor) => !bool(predictor.shadow)),
      0,
    );
    const base: Path = ['spec', 'predictors', primaryIndex];
    const primary = predictors[primaryIndex] ?? {};
    const specs = list(primary.componentSpecs);
    const podPath = [...base, 'componentSpecs', 0, 'spec'];
    const pod =
      specs.length > 0
        ? readPodSpec(object, podPath, [...base, 'componentSpecs', 0, 'metadata', 'labels'], context)
        : emptyPod();
    // Seldon labels predictor pods with the deployment's name.
    pod.labels = { ...pod.labels, 'seldon-deployment-id': metadataOf(object.obj).name ?? '' };
    const replicas = integer(primary.replicas) ?? integer(record(object.obj.spec).replicas) ?? 1;
    const workload = buildWorkload(object, context, { pod, replicas, podPath });
    if (predictors.length === 0)
      workload.notes.push({ message: 'no predictors: nothing to serve', source: object.locate(['spec']) });
    workload.ml = seldonMl(object, base, workload.ml, pod.containers);
    addComponents(object, context, predictors, primaryIndex, workload);
    const scaling = seldonAutoscaling(object, [...base, 'componentSpecs', 0], workload.id, context);
    if (scaling) {
      workload.autoscaling = scaling;
      workload.serving.scaleToZero = scaling.minReplicas === 0;
    }
    const traffic = integer(primary.traffic);
    if (predictors.length > 1) {
      workload.notes.push({
        message: `${predictors.length} predictors${traffic !== null ? `; the primary takes ${traffic}% of traffic` : ''}: the others are listed as components`,
        source: object.locate(['spec', 'predictors']),
      });
    }
    return { type: 'workload', workload };
  },
};

function seldonMl(
  object: ManifestObject,
  base: Path,
  fromPod: MlProfile,
  containers: Workload['pod']['containers'],
): MlProfile {
  const graph = record(record(getPath(object.obj, base)).graph);
  const implementation = text(graph.implementation);
  const modelUri = text(graph.modelUri);
  const detected = isPlatformComponent(containers) ? null : detectModelServer(containers);
  const format = implementation ? (PREPACKAGED_FORMATS[implementation] ?? null) : null;
  const evidence =
    detected?.evidence ??
    (implementation
      ? `SeldonDeployment graph implementation ${implementation}`
      : `SeldonDeployment graph node ${text(graph.name) ?? ''}`);
  return {
    ...fromPod,
    isModelServer: true,
    server: detected?.server ?? 'seldon',
    serverEvidence: evidence,
    model:
      modelUri || format
        ? {
            uri: modelUri,
            format,
            sizeBytes: null,
            sizeSource: null,
            sizeEvidence: null,
            source: object.locate([...base, 'graph', modelUri ? 'modelUri' : 'implementation']),
          }
        : fromPod.model,
  };
}

function addComponents(
  object: ManifestObject,
  context: ReadContext,
  predictors: Record<string, unknown>[],
  primaryIndex: number,
  workload: Workload,
): void {
  predictors.forEach((predictor, index) => {
    list(predictor.componentSpecs).forEach((_, specIndex) => {
      if (index === primaryIndex && specIndex === 0) return;
      const path = ['spec', 'predictors', index, 'componentSpecs', specIndex];
      const pod = readPodSpec(object, [...path, 'spec'], [...path, 'metadata', 'labels'], context);
      const hpa = record(record(getPath(object.obj, path)).hpaSpec);
      workload.components.push({
        name: `${text(predictor.name) ?? `predictor-${index}`}/${specIndex}`,
        role:
          index === primaryIndex
            ? 'seldon-component'
            : bool(predictor.shadow)
              ? 'seldon-shadow'
              : 'seldon-predictor',
        replicas: integer(record(getPath(object.obj, path)).replicas) ?? integer(predictor.replicas) ?? 1,
        minReplicas: integer(hpa.minReplicas),
        maxReplicas: integer(hpa.maxReplicas),
        pod,
        resources: podResources(pod, object.locate([...path, 'spec', 'nodeSelector'])),
      });
    });
  });
}

/** componentSpecs carry an hpaSpec (Seldon creates an HPA) or a kedaSpec (Seldon creates a ScaledObject). */
function seldonAutoscaling(
  object: ManifestObject,
  specPath: Path,
  by: string,
  context: ReadContext,
): Autoscaling | null {
  const spec = record(getPath(object.obj, specPath));
  if (spec.kedaSpec) return kedaAutoscaling(object, [...specPath, 'kedaSpec'], by, context).autoscaling;
  if (!spec.hpaSpec) return null;
  const hpa = record(spec.hpaSpec);
  const metricsKey = hpa.metricsv2 ? 'metricsv2' : 'metrics';
  const metrics = list(hpa[metricsKey]).map((_, index) =>
    hpaMetric(object, [...specPath, 'hpaSpec', metricsKey, index], context),
  );
  return {
    kind: 'hpa',
    by,
    minReplicas: integer(hpa.minReplicas) ?? 1,
    maxReplicas: integer(hpa.maxReplicas),
    metrics,
    behavior: null,
    settings: {},
    source: object.locate([...specPath, 'hpaSpec']),
  };
}
