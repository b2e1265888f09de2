import type { Autoscaling, EnvVar, PodTemplate, Volume } from '../../core/model/index.ts';
import type { ManifestObject } from '../sources/index.ts';
import { bool, integer, list, record, stringMap, text } from './common/fields.ts';
import { hpaMetric } from './common/hpa-metric.ts';
import { operatorContainer, operatorPod } from './common/operator-pod.ts';
import { readContainerResources, withNodeHints } from './common/resources.ts';
import { buildWorkload } from './common/workload.ts';
import type { KindReader, ReadContext } from './types.ts';

/**
 * NVIDIA NIM Operator's NIMService: one NIM container the operator deploys, with its GPU count in the
 * CR's own `resources`, the model weights in a NIMCache or PVC, and an optional HPA under `scale`.
 */
export const nimservice: KindReader = {
  id: 'nimservice',
  title: 'NVIDIA NIM Operator NIMService (apps.nvidia.com/v1alpha1)',
  matches: [{ group: 'apps.nvidia.com', versions: ['v1alpha1'], kind: 'NIMService' }],
  read(object, context) {
    const spec = record(object.obj.spec);
    const pod = nimPod(object, context);
    const workload = buildWorkload(object, context, {
      pod,
      replicas: integer(spec.replicas) ?? 1,
      podPath: ['spec'],
    });
    const image = pod.containers[0]?.image ?? null;
    workload.ml = {
      ...workload.ml,
      isModelServer: true,
      server: 'nim',
      serverEvidence: `NIMService (NVIDIA NIM Operator)${image ? `, image ${image}` : ''}`,
      // A NIM image is built for one model: the image names the model, the cache only holds its weights.
      model: image
        ? {
            uri: image,
            format: 'nim',
            sizeBytes: null,
            sizeSource: null,
            sizeEvidence: null,
            source: object.locate(['spec', 'image']),
          }
        : null,
    };
    const cache = text(record(record(spec.storage).nimCache).name);
    if (cache) {
      workload.notes.push({
        message: `model weights come from NIMCache ${cache}, downloaded ahead of time to its PVC (warm start, no download per pod)`,
        source: object.locate(['spec', 'storage', 'nimCache']),
      });
    }
    const scale = record(spec.scale);
    if (bool(scale.enabled)) {
      workload.autoscaling = nimAutoscaling(object, workload.id, context);
      workload.serving.scaleToZero = workload.autoscaling.minReplicas === 0;
    }
    return { type: 'workload', workload };
  },
};

function nimPod(object: ManifestObject, context: ReadContext): PodTemplate {
  const spec = record(object.obj.spec);
  const image = record(spec.image);
  const repository = text(image.repository);
  const parsed = readContainerResources(object, ['spec', 'resources'], context);
  // The GPU count is the CR's field; the operator copies it into the pod it creates.
  const gpu = parsed.gpu.count > 0 ? { ...parsed.gpu, evidence: ['operator-field' as const] } : parsed.gpu;
  const authSecret = text(spec.authSecret);
  const container = operatorContainer({
    name: 'nim',
    image: repository ? `${repository}${text(image.tag) ? `:${text(image.tag)}` : ''}` : null,
    cpuMillis: parsed.requests.cpuMillis ?? parsed.limits.cpuMillis,
    memoryBytes: parsed.requests.memoryBytes ?? parsed.limits.memoryBytes,
    gpu,
    env: nimEnv(spec.env),
    envFrom: authSecret ? [{ secretRef: authSecret }] : [],
    args: [...list(spec.command), ...list(spec.args)].map((word) => text(word) ?? ''),
    source: object.locate(['spec']),
  });
  container.limits = parsed.limits;
  const pod = operatorPod(container, {
    nodeSelector: stringMap(spec.nodeSelector),
    tolerations: list(spec.tolerations).map((entry) => {
      const toleration = record(entry);
      return {
        key: text(toleration.key),
        operator: text(toleration.operator),
        value: text(toleration.value),
        effect: text(toleration.effect),
      };
    }),
    labels: {
      ...stringMap(spec.labels),
      'app.kubernetes.io/name': text(record(object.obj.metadata).name) ?? '',
    },
    volumes: nimVolumes(object),
  });
  container.gpu = withNodeHints(container.gpu, pod, object.locate(['spec', 'nodeSelector']));
  return pod;
}

function nimEnv(raw: unknown): EnvVar[] {
  return list(raw).map((entry) => {
    const env = record(entry);
    const name = text(env.name) ?? '';
    const secret = record(record(env.valueFrom).secretKeyRef);
    if (text(secret.name)) return { name, secretRef: { name: text(secret.name)!, key: text(secret.key) } };
    const value = text(env.value);
    return value === null ? { name } : { name, value };
  });
}

/** A PVC named in `storage.pvc` is mounted (read-only when `storage.readOnly`); a NIMCache brings its own PVC. */
function nimVolumes(object: ManifestObject): Volume[] {
  const storage = record(record(object.obj.spec).storage);
  const volumes: Volume[] = [];
  const claim = text(record(storage.pvc).name);
  if (claim)
    volumes.push({
      name: 'model-store',
      source: { type: 'pvc', claimName: claim, readOnly: bool(storage.readOnly) },
      sourceRef: object.locate(['spec', 'storage', 'pvc']),
    });
  const cache = text(record(storage.nimCache).name);
  if (cache)
    volumes.push({
      name: 'nim-cache',
      source: { type: 'other', kind: `NIMCache/${cache}` },
      sourceRef: object.locate(['spec', 'storage', 'nimCache']),
    });
  return volumes;
}

function nimAutoscaling(object: ManifestObject, by: string, context: ReadContext): Autoscaling {
  const hpa = record(record(record(object.obj.spec).scale).hpa);
  const base = ['spec', 'scale', 'hpa'];
  return {
    kind: 'hpa',
    by,
    // The operator creates an autoscaling/v2 HPA, whose minReplicas defaults to 1.
    minReplicas: integer(hpa.minReplicas) ?? 1,
    maxReplicas: integer(hpa.maxReplicas),
    metrics: list(hpa.metrics).map((_, index) => hpaMetric(object, [...base, 'metrics', index], context)),
    behavior: hpa.behavior ?? null,
    settings: { createdBy: 'NIM Operator (HorizontalPodAutoscaler)' },
    source: object.locate(base),
  };
}
