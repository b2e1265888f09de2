import type { Autoscaling, ScalingMetric, SourceRef } from '../../../core/model/index.ts';
import type { ManifestObject } from '../../sources/index.ts';
import type { ReadContext } from '../types.ts';
import { stringMap } from './fields.ts';
import { metricValue } from './quantity-field.ts';
import { getPath } from './resources.ts';

type Path = readonly (string | number)[];

/** A value and the manifest line it came from. */
export interface Found<T> {
  value: T;
  source: SourceRef;
}

/**
 * Knative Serving defaults, from `config/core/configmaps/autoscaler.yaml` and `defaults.yaml`
 * (platform-facts.md section d). A cluster can change them in its ConfigMaps; we cannot see that.
 */
export const KNATIVE_DEFAULTS = {
  containerConcurrencyTarget: 100,
  rpsTarget: 200,
  targetUtilizationPercentage: 70,
  targetBurstCapacity: 200,
  stableWindowSeconds: 60,
  panicWindowPercentage: 10,
  panicThresholdPercentage: 200,
  revisionTimeoutSeconds: 300,
  minScale: 0,
  initialScale: 1,
} as const;

const DEFAULTS_SOURCE = 'Knative config-autoscaler defaults (platform-facts.md d)';
const PREFIX = 'autoscaling.knative.dev/';
export const KPA_CLASS = 'kpa.autoscaling.knative.dev';
export const HPA_CLASS = 'hpa.autoscaling.knative.dev';

/** Knative accepts both the kebab-case keys and the older camelCase ones. */
const KEYS = {
  minScale: ['minScale', 'min-scale'],
  maxScale: ['maxScale', 'max-scale'],
  initialScale: ['initialScale', 'initial-scale'],
  target: ['target'],
  metric: ['metric'],
  class: ['class'],
  targetUtilizationPercentage: ['targetUtilizationPercentage', 'target-utilization-percentage'],
  targetBurstCapacity: ['targetBurstCapacity', 'target-burst-capacity'],
  window: ['window'],
  panicWindowPercentage: ['panicWindowPercentage', 'panic-window-percentage'],
  panicThresholdPercentage: ['panicThresholdPercentage', 'panic-threshold-percentage'],
  scaleDownDelay: ['scale-down-delay', 'scaleDownDelay'],
  activationScale: ['activation-scale', 'activationScale'],
} as const;

type Key = keyof typeof KEYS;

/** The annotation from the last map that sets it: later maps (a component's own) override earlier ones. */
function findAnnotation(
  object: ManifestObject,
  mapPaths: readonly Path[],
  key: Key,
): { raw: string; path: Path } | null {
  let found: { raw: string; path: Path } | null = null;
  for (const mapPath of mapPaths) {
    const map = stringMap(getPath(object.obj, mapPath));
    for (const name of KEYS[key]) {
      const raw = map[PREFIX + name];
      if (raw !== undefined) found = { raw, path: [...mapPath, PREFIX + name] };
    }
  }
  return found;
}

export function knativeNumber(
  object: ManifestObject,
  context: ReadContext,
  mapPaths: readonly Path[],
  key: Key,
  whole: boolean,
): Found<number> | null {
  const found = findAnnotation(object, mapPaths, key);
  if (!found) return null;
  const value = metricValue(found.raw, object, found.path, context);
  if (value === null) return null;
  if (whole && !Number.isInteger(value)) {
    context.reportError(
      object.locate(found.path),
      `${found.path.join('.')}: expected a whole number, got ${JSON.stringify(found.raw)}`,
    );
    return null;
  }
  return { value, source: object.locate(found.path) };
}

function knativeText(object: ManifestObject, mapPaths: readonly Path[], key: Key): Found<string> | null {
  const found = findAnnotation(object, mapPaths, key);
  return found ? { value: found.raw.trim(), source: object.locate(found.path) } : null;
}

const DURATION_UNIT_SECONDS: Record<string, number> = {
  h: 3600,
  m: 60,
  s: 1,
  ms: 0.001,
  us: 0.000001,
  µs: 0.000001,
  ns: 1e-9,
};

/** A Go duration (`60s`, `1m30s`, `500ms`) in seconds, or null when it is not one. */
export function parseDurationSeconds(raw: string): number | null {
  const text = raw.trim();
  if (!/^(\d+(\.\d+)?(h|ms|m|s|us|µs|ns))+$/.test(text)) return null;
  let total = 0;
  for (const match of text.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns)/g)) {
    total += Number(match[1]) * (DURATION_UNIT_SECONDS[match[2]!] ?? 0);
  }
  return total;
}

function knativeDuration(
  object: ManifestObject,
  context: ReadContext,
  mapPaths: readonly Path[],
  key: Key,
): Found<number> | null {
  const found = knativeText(object, mapPaths, key);
  if (!found) return null;
  const seconds = parseDurationSeconds(found.value);
  if (seconds === null) {
    context.reportError(
      found.source,
      `${found.source.field ?? key}: invalid duration ${JSON.stringify(found.value)} (expected e.g. 60s, 1m30s)`,
    );
    return null;
  }
  return { value: seconds, source: found.source };
}

export interface KnativeScalingInput {
  /** Annotation maps, lowest precedence first. */
  annotationPaths: readonly Path[];
  /** Id of the object that configures the autoscaler (the workload itself). */
  by: string;
  /** The revision's containerConcurrency; 0 or null is unlimited. */
  containerConcurrency: number | null;
  /** Values the CRD states in its own fields (KServe minReplicas, scaleTarget…): they win over annotations. */
  overrides?: {
    min?: Found<number> | null;
    max?: Found<number> | null;
    target?: Found<number> | null;
    metric?: Found<string> | null;
  };
  /** Floor when nothing sets one: 0 for a Knative Service, 1 for KServe (it writes min-scale itself). */
  defaultMin: { value: number; why: string };
  source: SourceRef;
}

/** The autoscaling a Knative revision gets from its annotations, with every default named. */
export function knativeAutoscaling(
  object: ManifestObject,
  context: ReadContext,
  input: KnativeScalingInput,
): Autoscaling {
  const paths = input.annotationPaths;
  const defaulted: string[] = [];
  const overrides = input.overrides ?? {};
  const scalerClass = knativeText(object, paths, 'class')?.value ?? KPA_CLASS;
  const hpaClass = scalerClass === HPA_CLASS;
  const min = overrides.min ?? knativeNumber(object, context, paths, 'minScale', true);
  const max = overrides.max ?? knativeNumber(object, context, paths, 'maxScale', true);
  const metricFound = overrides.metric ?? knativeText(object, paths, 'metric');
  const metric = (metricFound?.value ?? (hpaClass ? 'cpu' : 'concurrency')).toLowerCase();
  if (!metricFound) defaulted.push(`metric ${metric}`);
  if (!min) defaulted.push(`min-scale ${input.defaultMin.value} (${input.defaultMin.why})`);

  const settings: Autoscaling['settings'] = { class: scalerClass };
  const setting = (name: string, key: Key, fallback: number, duration = false) => {
    const found = duration
      ? knativeDuration(object, context, paths, key)
      : knativeNumber(object, context, paths, key, false);
    settings[name] = found?.value ?? fallback;
    if (!found) defaulted.push(`${name} ${fallback}`);
  };
  if (!hpaClass) {
    setting(
      'targetUtilizationPercentage',
      'targetUtilizationPercentage',
      KNATIVE_DEFAULTS.targetUtilizationPercentage,
    );
    setting('targetBurstCapacity', 'targetBurstCapacity', KNATIVE_DEFAULTS.targetBurstCapacity);
    setting('stableWindowSeconds', 'window', KNATIVE_DEFAULTS.stableWindowSeconds, true);
    setting('panicWindowPercentage', 'panicWindowPercentage', KNATIVE_DEFAULTS.panicWindowPercentage);
    setting(
      'panicThresholdPercentage',
      'panicThresholdPercentage',
      KNATIVE_DEFAULTS.panicThresholdPercentage,
    );
  }
  setting('initialScale', 'initialScale', KNATIVE_DEFAULTS.initialScale);
  const delay = knativeDuration(object, context, paths, 'scaleDownDelay');
  if (delay) settings.scaleDownDelaySeconds = delay.value;
  const activation = knativeNumber(object, context, paths, 'activationScale', true);
  if (activation) settings.activationScale = activation.value;
  if (max && max.value === 0) settings.maxScale = 'unbounded (0)';

  const target = metricTarget(
    metric,
    overrides.target ?? knativeNumber(object, context, paths, 'target', false),
    input.containerConcurrency,
  );
  if (target.defaulted) defaulted.push(target.defaulted);
  if (defaulted.length > 0) settings.defaulted = `${defaulted.join('; ')} — ${DEFAULTS_SOURCE}`;
  const metrics: ScalingMetric[] = [
    {
      type: metric,
      name: metric,
      target:
        target.value === null
          ? null
          : {
              type: metric === 'cpu' || metric === 'memory' ? 'Utilization' : 'AverageValue',
              value: target.value,
            },
      source: target.source ?? metricFound?.source ?? input.source,
    },
  ];
  return {
    kind: hpaClass ? 'hpa' : 'knative',
    by: input.by,
    minReplicas: min?.value ?? input.defaultMin.value,
    maxReplicas: max && max.value > 0 ? max.value : null,
    metrics,
    behavior: null,
    settings,
    source: input.source,
  };
}

/**
 * Per-pod target before the utilization percentage, as knative/serving's ResolveMetricTarget
 * (pkg/reconciler/autoscaling/kpa/resources) computes it: a concurrency target never exceeds a non-zero
 * containerConcurrency, which is also the target when no annotation sets one; rps defaults to 200.
 */
function metricTarget(
  metric: string,
  annotated: Found<number> | null,
  containerConcurrency: number | null,
): { value: number | null; source: SourceRef | null; defaulted: string | null } {
  const limit = containerConcurrency && containerConcurrency > 0 ? containerConcurrency : null;
  if (metric === 'concurrency') {
    if (annotated)
      return {
        value: limit ? Math.min(annotated.value, limit) : annotated.value,
        source: annotated.source,
        defaulted: null,
      };
    if (limit) return { value: limit, source: null, defaulted: `target ${limit} (containerConcurrency)` };
    return {
      value: KNATIVE_DEFAULTS.containerConcurrencyTarget,
      source: null,
      defaulted: `target ${KNATIVE_DEFAULTS.containerConcurrencyTarget} concurrent requests`,
    };
  }
  if (metric === 'rps' && !annotated) {
    return {
      value: KNATIVE_DEFAULTS.rpsTarget,
      source: null,
      defaulted: `target ${KNATIVE_DEFAULTS.rpsTarget} requests/s`,
    };
  }
  return {
    value: annotated?.value ?? null,
    source: annotated?.source ?? null,
    defaulted: annotated ? null : `no ${metric} target set`,
  };
}
