import type { Autoscaling, ScalingMetric } from '../../core/model/index.ts';
import type { ManifestObject } from '../sources/index.ts';
import { integer, record, strings, text } from './common/fields.ts';
import { metricValue } from './common/quantity-field.ts';
import { relatedIdentity } from './common/related.ts';
import { KEDA_DEFAULTS } from './keda-scaledobject.ts';
import type { KindReader, ReadContext } from './types.ts';

/**
 * KEDA HTTP add-on defaults, from the HTTPScaledObject reference (kedacore/http-add-on
 * docs/ref/v0.8.0 and v0.13.0/http_scaled_object.md): targetPendingRequests, concurrency and
 * requestRate targets 100, scaledownPeriod 300 s. Replica bounds are not defaulted by the add-on: it
 * writes them into the ScaledObject it creates, so KEDA's own defaults apply.
 */
const HTTP_DEFAULTS = { target: 100, scaledownPeriodSeconds: 300 } as const;

/** An HTTPScaledObject: the add-on's interceptor counts in-flight requests and scales the target through KEDA. */
export const kedaHttpscaledobject: KindReader = {
  id: 'keda-httpscaledobject',
  title: 'KEDA HTTP add-on HTTPScaledObject (http.keda.sh/v1alpha1)',
  matches: [{ group: 'http.keda.sh', versions: ['v1alpha1'], kind: 'HTTPScaledObject' }],
  read(object, context) {
    const related = relatedIdentity(object, context, 'autoscaler');
    const spec = record(object.obj.spec);
    const target = record(spec.scaleTargetRef);
    // Before v0.9 the target was named by `deployment`.
    const name = text(target.name) ?? text(target.deployment) ?? '';
    const kind = text(target.kind) ?? KEDA_DEFAULTS.scaleTargetKind;
    const autoscaling = httpAutoscaling(object, related.id, context);
    return {
      type: 'related',
      related,
      link: {
        scaleTarget: {
          kind,
          name,
          apiVersion: text(target.apiVersion) ?? (kind === 'Deployment' ? 'apps/v1' : null),
          autoscaling,
        },
      },
    };
  },
};

function httpAutoscaling(object: ManifestObject, by: string, context: ReadContext): Autoscaling {
  const spec = record(object.obj.spec);
  const replicas = record(spec.replicas);
  const defaulted: string[] = [];
  const min = integer(replicas.min);
  const max = integer(replicas.max);
  if (min === null)
    defaulted.push(`min ${KEDA_DEFAULTS.minReplicaCount} (KEDA ScaledObject default, platform-facts.md a.5)`);
  if (max === null)
    defaulted.push(`max ${KEDA_DEFAULTS.maxReplicaCount} (KEDA ScaledObject default, platform-facts.md a.5)`);
  const scaledown = integer(spec.scaledownPeriod);
  if (scaledown === null)
    defaulted.push(`scaledownPeriod ${HTTP_DEFAULTS.scaledownPeriodSeconds} s (HTTP add-on default)`);
  const settings: Autoscaling['settings'] = {
    scaledownPeriodSeconds: scaledown ?? HTTP_DEFAULTS.scaledownPeriodSeconds,
  };
  const hosts = strings(spec.hosts).concat(text(spec.host) ?? []);
  if (hosts.length > 0) settings.hosts = hosts.join(',');
  const metric = httpMetric(object, context, settings, defaulted);
  if (defaulted.length > 0) settings.defaulted = defaulted.join('; ');
  return {
    kind: 'keda-http',
    by,
    minReplicas: min ?? KEDA_DEFAULTS.minReplicaCount,
    maxReplicas: max ?? KEDA_DEFAULTS.maxReplicaCount,
    metrics: [metric],
    behavior: null,
    settings,
    source: object.locate(['spec']),
  };
}

/** requestRate and concurrency are exclusive; before v0.8 only targetPendingRequests existed. */
function httpMetric(
  object: ManifestObject,
  context: ReadContext,
  settings: Autoscaling['settings'],
  defaulted: string[],
): ScalingMetric {
  const spec = record(object.obj.spec);
  const scalingMetric = record(spec.scalingMetric);
  const rate = record(scalingMetric.requestRate);
  if (scalingMetric.requestRate !== undefined) {
    const path = ['spec', 'scalingMetric', 'requestRate', 'targetValue'];
    const value = metricValue(rate.targetValue, object, path, context);
    if (value === null) defaulted.push(`requestRate.targetValue ${HTTP_DEFAULTS.target}`);
    settings.requestRateWindow = text(rate.window) ?? '1m';
    settings.requestRateGranularity = text(rate.granularity) ?? '1s';
    return {
      type: 'rps',
      name: 'requestRate',
      target: { type: 'AverageValue', value: value ?? HTTP_DEFAULTS.target },
      source: object.locate(path),
    };
  }
  const concurrencyPath = ['spec', 'scalingMetric', 'concurrency', 'targetValue'];
  const pendingPath = ['spec', 'targetPendingRequests'];
  const fromConcurrency = scalingMetric.concurrency !== undefined;
  const path = fromConcurrency ? concurrencyPath : pendingPath;
  const raw = fromConcurrency ? record(scalingMetric.concurrency).targetValue : spec.targetPendingRequests;
  const value = metricValue(raw, object, path, context);
  if (value === null)
    defaulted.push(
      `${fromConcurrency ? 'concurrency.targetValue' : 'targetPendingRequests'} ${HTTP_DEFAULTS.target}`,
    );
  return {
    type: 'concurrency',
    name: fromConcurrency ? 'concurrency' : 'targetPendingRequests',
    target: { type: 'AverageValue', value: value ?? HTTP_DEFAULTS.target },
    source: object.locate(path),
  };
}
