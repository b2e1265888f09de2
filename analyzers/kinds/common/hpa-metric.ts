import type { ScalingMetric } from '../../../core/model/index.ts';
import type { ManifestObject } from '../../sources/index.ts';
import type { ReadContext } from '../types.ts';
import { record, text } from './fields.ts';
import { metricValue } from './quantity-field.ts';
import { getPath } from './resources.ts';

type Path = readonly (string | number)[];

/**
 * One HPA metric embedded in a CRD (Seldon hpaSpec, NIMService scale.hpa), in either the
 * autoscaling/v2beta1 shape (targetAverageUtilization…) or the v2 shape (target.averageUtilization…).
 */
export function hpaMetric(object: ManifestObject, path: Path, context: ReadContext): ScalingMetric {
  const metric = record(getPath(object.obj, path));
  const type = text(metric.type) ?? 'Resource';
  const key = type.charAt(0).toLowerCase() + type.slice(1);
  const body = record(metric[key]);
  const target = record(body.target);
  const fields: [Record<string, unknown>, string, string, Path][] = [
    [body, 'targetAverageUtilization', 'Utilization', [...path, key]],
    [body, 'targetAverageValue', 'AverageValue', [...path, key]],
    [body, 'targetValue', 'Value', [...path, key]],
    [target, 'averageUtilization', 'Utilization', [...path, key, 'target']],
    [target, 'averageValue', 'AverageValue', [...path, key, 'target']],
    [target, 'value', 'Value', [...path, key, 'target']],
  ];
  const found = fields.find(([holder, field]) => holder[field] !== undefined);
  const value = found ? metricValue(found[0][found[1]], object, [...found[3], found[1]], context) : null;
  return {
    type,
    name: text(body.name) ?? text(body.metricName) ?? text(record(body.metric).name) ?? '',
    target: value === null || !found ? null : { type: found[2], value },
    source: object.locate(path),
  };
}
