import type { Autoscaling, ScalingMetric } from '../../core/model/index.ts';
import type { ManifestObject } from '../sources/index.ts';
import { clusterScopedIdentity } from './common/cluster-scoped.ts';
import { integer, list, metadataOf, record, stringMap, text } from './common/fields.ts';
import { metricValue } from './common/quantity-field.ts';
import { relatedIdentity } from './common/related.ts';
import { getPath } from './common/resources.ts';
import type { KindReader, ReadContext, ReadResult } from './types.ts';

type Path = readonly (string | number)[];

/** KEDA ScaledObject defaults (keda.sh ScaledObject specification; platform-facts.md a.5). */
export const KEDA_DEFAULTS = {
  pollingIntervalSeconds: 30,
  cooldownPeriodSeconds: 300,
  minReplicaCount: 0,
  maxReplicaCount: 100,
  scaleTargetKind: 'Deployment',
} as const;
const DEFAULTS_SOURCE = 'KEDA ScaledObject defaults (platform-facts.md a.5)';

/** Trigger metadata keys that hold the per-replica target, by scaler family. */
const TARGET_KEYS = [
  'threshold',
  'value',
  'targetValue',
  'lagThreshold',
  'queueLength',
  'listLength',
  'streamLength',
  'messageCount',
  'targetPendingRequests',
  'desiredReplicas',
];
/** Trigger metadata keys that say what is measured, most specific first. */
const NAME_KEYS = [
  'metricName',
  'query',
  'subscriptionName',
  'topicName',
  'queueName',
  'queueURL',
  'topic',
  'listName',
  'stream',
  'podSelector',
];

export interface KedaTriggers {
  metrics: ScalingMetric[];
  authenticationRefs: { kind: string; name: string }[];
}

/** A ScaledObject's (or a SeldonDeployment kedaSpec's) triggers as scaling metrics. */
export function kedaTriggers(object: ManifestObject, path: Path, context: ReadContext): KedaTriggers {
  const result: KedaTriggers = { metrics: [], authenticationRefs: [] };
  list(getPath(object.obj, path)).forEach((entry, index) => {
    const trigger = record(entry);
    const metadata = stringMap(trigger.metadata);
    const type = text(trigger.type) ?? 'unknown';
    const targetKey = TARGET_KEYS.find((key) => metadata[key] !== undefined);
    const nameKey = NAME_KEYS.find((key) => metadata[key] !== undefined);
    const value = targetKey
      ? metricValue(metadata[targetKey], object, [...path, index, 'metadata', targetKey], context)
      : null;
    // Resource triggers (cpu, memory) say Utilization or AverageValue; external scalers default to AverageValue.
    const targetType =
      text(trigger.metricType) ?? (type === 'cpu' || type === 'memory' ? 'Utilization' : 'AverageValue');
    result.metrics.push({
      type,
      name: text(trigger.name) ?? (nameKey ? metadata[nameKey]! : type),
      target: value === null ? null : { type: targetType, value },
      source: object.locate([...path, index]),
    });
    const auth = record(trigger.authenticationRef);
    const authName = text(auth.name);
    if (authName)
      result.authenticationRefs.push({ kind: text(auth.kind) ?? 'TriggerAuthentication', name: authName });
  });
  return result;
}

/** Settings and bounds shared by a ScaledObject and a SeldonDeployment kedaSpec (same field names). */
export function kedaAutoscaling(
  object: ManifestObject,
  specPath: Path,
  by: string,
  context: ReadContext,
): { autoscaling: Autoscaling; authenticationRefs: KedaTriggers['authenticationRefs'] } {
  const spec = record(getPath(object.obj, specPath));
  const defaulted: string[] = [];
  const pick = (field: string, fallback: number) => {
    const value = integer(spec[field]);
    if (value === null) defaulted.push(`${field} ${fallback}`);
    return value ?? fallback;
  };
  const settings: Autoscaling['settings'] = {
    pollingIntervalSeconds: pick('pollingInterval', KEDA_DEFAULTS.pollingIntervalSeconds),
    cooldownPeriodSeconds: pick('cooldownPeriod', KEDA_DEFAULTS.cooldownPeriodSeconds),
  };
  const minReplicas = pick('minReplicaCount', KEDA_DEFAULTS.minReplicaCount);
  const maxReplicas = pick('maxReplicaCount', KEDA_DEFAULTS.maxReplicaCount);
  const optional: [string, string][] = [
    ['idleReplicaCount', 'idleReplicaCount'],
    ['initialCooldownPeriod', 'initialCooldownPeriodSeconds'],
  ];
  for (const [field, name] of optional) {
    const value = integer(spec[field]);
    if (value !== null) settings[name] = value;
  }
  const fallback = record(spec.fallback);
  if (integer(fallback.replicas) !== null) settings.fallbackReplicas = integer(fallback.replicas)!;
  if (integer(fallback.failureThreshold) !== null)
    settings.fallbackFailureThreshold = integer(fallback.failureThreshold)!;
  const advanced = record(spec.advanced);
  const formula = text(record(advanced.scalingModifiers).formula);
  if (formula) settings.scalingModifiersFormula = formula;
  if (defaulted.length > 0) settings.defaulted = `${defaulted.join('; ')} — ${DEFAULTS_SOURCE}`;
  const triggers = kedaTriggers(object, [...specPath, 'triggers'], context);
  return {
    autoscaling: {
      kind: 'keda',
      by,
      minReplicas,
      maxReplicas,
      metrics: triggers.metrics,
      behavior: record(advanced.horizontalPodAutoscalerConfig).behavior ?? null,
      settings,
      source: object.locate(specPath),
    },
    authenticationRefs: triggers.authenticationRefs,
  };
}

/**
 * A KEDA ScaledObject is an autoscaler (KEDA creates and drives an HPA) attached to its scale target.
 * The trigger authentications it names are read here too, as the credentials of those triggers; their
 * values are never read.
 */
export const kedaScaledobject: KindReader = {
  id: 'keda-scaledobject',
  title: 'KEDA ScaledObject, TriggerAuthentication, ClusterTriggerAuthentication (keda.sh/v1alpha1)',
  matches: [
    { group: 'keda.sh', versions: ['v1alpha1'], kind: 'ScaledObject' },
    { group: 'keda.sh', versions: ['v1alpha1'], kind: 'TriggerAuthentication' },
    { group: 'keda.sh', versions: ['v1alpha1'], kind: 'ClusterTriggerAuthentication' },
  ],
  read(object, context) {
    const kind = text(object.obj.kind);
    if (kind === 'ClusterTriggerAuthentication') {
      return {
        type: 'related',
        related: clusterScopedIdentity(object, context, 'auth'),
        link: { authentication: { cluster: true } },
      };
    }
    if (kind === 'TriggerAuthentication') {
      return {
        type: 'related',
        related: relatedIdentity(object, context, 'auth'),
        link: { authentication: { cluster: false } },
      };
    }
    return readScaledObject(object, context);
  },
};

function readScaledObject(object: ManifestObject, context: ReadContext): ReadResult {
  const related = relatedIdentity(object, context, 'autoscaler');
  const target = record(record(object.obj.spec).scaleTargetRef);
  const kind = text(target.kind) ?? KEDA_DEFAULTS.scaleTargetKind;
  const { autoscaling, authenticationRefs } = kedaAutoscaling(object, ['spec'], related.id, context);
  const paused = metadataOf(object.obj).annotations['autoscaling.keda.sh/paused-replicas'];
  if (paused !== undefined) autoscaling.settings.pausedReplicas = paused;
  return {
    type: 'related',
    related,
    link: {
      scaleTarget: {
        kind,
        name: text(target.name) ?? '',
        apiVersion: text(target.apiVersion) ?? (kind === 'Deployment' ? 'apps/v1' : null),
        autoscaling,
        authenticationRefs,
      },
    },
  };
}
