import type { ScalingMetric } from '../../core/model/index.ts';
import type { ManifestObject } from '../sources/index.ts';
import { integer, list, metadataOf, record, text } from './common/fields.ts';
import { metricValue } from './common/quantity-field.ts';
import { workloadId } from './common/workload.ts';
import type { KindReader, ReadContext } from './types.ts';

/** Kubernetes' default when an HPA names no metric: 80 % CPU (autoscaling/v2 defaults.go). */
const DEFAULT_CPU_UTILIZATION = 80;

export const horizontalpodautoscaler: KindReader = {
  id: 'horizontalpodautoscaler',
  title: 'HorizontalPodAutoscaler (autoscaling/v1, v2, v2beta2, v2beta1)',
  matches: [
    { group: 'autoscaling', versions: ['v1', 'v2', 'v2beta2', 'v2beta1'], kind: 'HorizontalPodAutoscaler' },
  ],
  read(object, context) {
    const spec = record(object.obj.spec);
    const target = record(spec.scaleTargetRef);
    const metadata = metadataOf(object.obj);
    const namespace = context.namespaceOf(object);
    const version = (text(object.obj.apiVersion) ?? '').split('/')[1] ?? '';
    const metrics =
      version === 'v1' ? v1Metrics(object, context) : v2Metrics(object, context, version === 'v2beta1');
    const name = metadata.name ?? '(unnamed)';
    const id = workloadId(namespace, 'HorizontalPodAutoscaler', name);
    return {
      type: 'related',
      related: {
        id,
        kind: 'HorizontalPodAutoscaler',
        apiVersion: text(object.obj.apiVersion) ?? '',
        namespace,
        name,
        source: { file: object.file, line: object.line },
        role: 'autoscaler',
      },
      link: {
        scaleTarget: {
          kind: text(target.kind) ?? '',
          name: text(target.name) ?? '',
          apiVersion: text(target.apiVersion),
          autoscaling: {
            kind: 'hpa',
            by: id,
            minReplicas: integer(spec.minReplicas) ?? 1,
            maxReplicas: integer(spec.maxReplicas),
            metrics,
            behavior: spec.behavior ?? null,
            settings: {},
            source: object.locate(['spec']),
          },
        },
      },
    };
  },
};

function v1Metrics(object: ManifestObject, context: ReadContext): ScalingMetric[] {
  const spec = record(object.obj.spec);
  const path = ['spec', 'targetCPUUtilizationPercentage'];
  const value =
    metricValue(spec.targetCPUUtilizationPercentage, object, path, context) ?? DEFAULT_CPU_UTILIZATION;
  return [
    { type: 'Resource', name: 'cpu', target: { type: 'Utilization', value }, source: object.locate(path) },
  ];
}

function v2Metrics(object: ManifestObject, context: ReadContext, beta1: boolean): ScalingMetric[] {
  const entries = list(record(object.obj.spec).metrics);
  if (entries.length === 0) {
    return [
      {
        type: 'Resource',
        name: 'cpu',
        target: { type: 'Utilization', value: DEFAULT_CPU_UTILIZATION },
        source: object.locate(['spec']),
      },
    ];
  }
  return entries.map((entry, index) => {
    const metric = record(entry);
    const type = text(metric.type) ?? 'Unknown';
    const key = type.charAt(0).toLowerCase() + type.slice(1);
    const body = record(metric[key]);
    const path = ['spec', 'metrics', index, key];
    const source = object.locate(['spec', 'metrics', index]);
    if (beta1) {
      const name = text(body.name) ?? text(body.metricName) ?? '';
      for (const field of ['targetAverageUtilization', 'targetAverageValue', 'targetValue']) {
        if (body[field] !== undefined) {
          const targetType =
            field === 'targetAverageUtilization'
              ? 'Utilization'
              : field === 'targetValue'
                ? 'Value'
                : 'AverageValue';
          const number = metricValue(body[field], object, [...path, field], context);
          return { type, name, target: number === null ? null : { type: targetType, value: number }, source };
        }
      }
      return { type, name, target: null, source };
    }
    const name = text(body.name) ?? text(record(body.metric).name) ?? '';
    const target = record(body.target);
    const targetType = text(target.type) ?? 'Unknown';
    const field =
      targetType === 'Utilization' ? 'averageUtilization' : targetType === 'Value' ? 'value' : 'averageValue';
    const number = metricValue(target[field], object, [...path, 'target', field], context);
    return { type, name, target: number === null ? null : { type: targetType, value: number }, source };
  });
}
