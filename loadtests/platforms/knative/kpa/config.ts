/**
 * The `config-autoscaler` ConfigMap of Knative Serving and how a revision's decider spec is derived from
 * it: pkg/autoscaler/config/config.go (defaults, NewConfigFromMap, validate), pkg/apis/autoscaling/register.go
 * (bounds), pkg/reconciler/autoscaling/resources/target.go (ResolveMetricTarget) and kpa/resources/decider.go
 * + metric.go (MakeDecider, the panic window). Checked by the `configFromMap` and `resolveMetricTarget` cases
 * of ../shared/vectors/knative-kpa.json. Platform facts: section d.
 */

import type { KpaSpec } from './decider-types.ts';

export interface KnativeAutoscalerConfig {
  enableScaleToZero: boolean;
  /** container-concurrency-target-percentage as a fraction (70 → 0.7). */
  containerConcurrencyTargetFraction: number;
  containerConcurrencyTargetDefault: number;
  /** Utilisation for the rps metric; no ConfigMap key. */
  targetUtilization: number;
  rpsTargetDefault: number;
  maxScaleUpRate: number;
  maxScaleDownRate: number;
  targetBurstCapacity: number;
  panicWindowPercentage: number;
  activatorCapacity: number;
  panicThresholdPercentage: number;
  stableWindowSeconds: number;
  scaleToZeroGracePeriodSeconds: number;
  scaleToZeroPodRetentionPeriodSeconds: number;
  scaleDownDelaySeconds: number;
  podAutoscalerClass: string;
  allowZeroInitialScale: boolean;
  initialScale: number;
  minScale: number;
  maxScale: number;
  maxScaleLimit: number;
}

/** autoscaling.TargetMin: the smallest per-pod target (register.go). */
export const TARGET_MIN = 0.01;
/** autoscaling.WindowMin / WindowMax: stable-window bounds (register.go). */
export const STABLE_WINDOW_MIN_SECONDS = 6;
export const STABLE_WINDOW_MAX_SECONDS = 3600;
/** autoscaling.PanicWindowPercentageMin / Max (register.go). */
export const PANIC_WINDOW_PERCENTAGE_MIN = 1;
export const PANIC_WINDOW_PERCENTAGE_MAX = 100;
/** config.BucketSize: metric buckets and the panic-window rounding are 1 s (config.go). */
export const BUCKET_SIZE_SECONDS = 1;
/** multiscaler.go tickInterval: the decider runs every 2 s; the tick-interval key is not read. */
export const TICK_INTERVAL_SECONDS = 2;

/**
 * defaultConfig() in config.go at knative/serving@98e5ef90, as listed in the vector file's
 * `defaults.configMapDefaults`. target-burst-capacity is 211 there; platform-facts d (read from an older
 * autoscaler.yaml) says 200 — the newer code value is used.
 */
export const DEFAULT_KNATIVE_AUTOSCALER_CONFIG: Readonly<KnativeAutoscalerConfig> = Object.freeze({
  enableScaleToZero: true,
  containerConcurrencyTargetFraction: 0.7,
  containerConcurrencyTargetDefault: 100,
  targetUtilization: 0.7,
  rpsTargetDefault: 200,
  maxScaleUpRate: 1000,
  maxScaleDownRate: 2,
  targetBurstCapacity: 211,
  panicWindowPercentage: 10,
  activatorCapacity: 100,
  panicThresholdPercentage: 200,
  stableWindowSeconds: 60,
  scaleToZeroGracePeriodSeconds: 30,
  scaleToZeroPodRetentionPeriodSeconds: 0,
  scaleDownDelaySeconds: 0,
  podAutoscalerClass: 'kpa.autoscaling.knative.dev',
  allowZeroInitialScale: false,
  initialScale: 1,
  minScale: 0,
  maxScale: 0,
  maxScaleLimit: 0,
});

type ValueKind = 'bool' | 'float' | 'int32' | 'duration' | 'string';

/** ConfigMap key → config field and how upstream parses it (cm.AsBool, cm.AsFloat64, …). */
export const CONFIG_MAP_KEYS: ReadonlyArray<{
  key: string;
  field: keyof KnativeAutoscalerConfig;
  kind: ValueKind;
}> = [
  { key: 'pod-autoscaler-class', field: 'podAutoscalerClass', kind: 'string' },
  { key: 'enable-scale-to-zero', field: 'enableScaleToZero', kind: 'bool' },
  { key: 'allow-zero-initial-scale', field: 'allowZeroInitialScale', kind: 'bool' },
  { key: 'max-scale-up-rate', field: 'maxScaleUpRate', kind: 'float' },
  { key: 'max-scale-down-rate', field: 'maxScaleDownRate', kind: 'float' },
  {
    key: 'container-concurrency-target-percentage',
    field: 'containerConcurrencyTargetFraction',
    kind: 'float',
  },
  { key: 'container-concurrency-target-default', field: 'containerConcurrencyTargetDefault', kind: 'float' },
  { key: 'requests-per-second-target-default', field: 'rpsTargetDefault', kind: 'float' },
  { key: 'target-burst-capacity', field: 'targetBurstCapacity', kind: 'float' },
  { key: 'panic-window-percentage', field: 'panicWindowPercentage', kind: 'float' },
  { key: 'activator-capacity', field: 'activatorCapacity', kind: 'float' },
  { key: 'panic-threshold-percentage', field: 'panicThresholdPercentage', kind: 'float' },
  { key: 'initial-scale', field: 'initialScale', kind: 'int32' },
  { key: 'min-scale', field: 'minScale', kind: 'int32' },
  { key: 'max-scale', field: 'maxScale', kind: 'int32' },
  { key: 'max-scale-limit', field: 'maxScaleLimit', kind: 'int32' },
  { key: 'stable-window', field: 'stableWindowSeconds', kind: 'duration' },
  { key: 'scale-down-delay', field: 'scaleDownDelaySeconds', kind: 'duration' },
  { key: 'scale-to-zero-grace-period', field: 'scaleToZeroGracePeriodSeconds', kind: 'duration' },
  {
    key: 'scale-to-zero-pod-retention-period',
    field: 'scaleToZeroPodRetentionPeriodSeconds',
    kind: 'duration',
  },
];

const DURATION_UNIT_NANOS: Record<string, number> = {
  ns: 1,
  us: 1e3,
  µs: 1e3,
  μs: 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

/** Go time.ParseDuration ("15m", "2m3s", "-1m23s", "1.5s"), in seconds; null when malformed. */
export function parseGoDurationSeconds(text: string): number | null {
  const match = /^([+-]?)(.*)$/su.exec(text);
  const body = match?.[2] ?? '';
  if (body === '0') return 0;
  const parts = [...body.matchAll(/(\d+\.?\d*|\.\d+)(ns|us|µs|μs|ms|s|m|h)/gu)];
  if (body === '' || parts.map((p) => p[0]).join('') !== body) return null;
  let nanos = 0;
  for (const [, amount, unit] of parts)
    nanos += Number(amount) * (DURATION_UNIT_NANOS[unit ?? ''] ?? Number.NaN);
  const seconds = Math.round(nanos) / 1e9;
  return match?.[1] === '-' ? -seconds : seconds;
}

function parseValue(kind: ValueKind, raw: string): string | number | boolean | null {
  switch (kind) {
    case 'string':
      return raw;
    case 'bool': {
      // strconv.ParseBool's spellings, case-insensitively (the vector semantics).
      const lower = raw.toLowerCase();
      if (lower === 'true' || lower === 't' || lower === '1') return true;
      if (lower === 'false' || lower === 'f' || lower === '0') return false;
      return null;
    }
    case 'float': {
      const ok = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$|^[+-]?(inf|infinity|nan)$/iu.test(raw);
      return ok ? Number(raw.replace(/inf(inity)?$/iu, 'Infinity').replace(/nan$/iu, 'NaN')) : null;
    }
    case 'int32': {
      const value = /^[+-]?\d+$/u.test(raw) ? Number(raw) : Number.NaN;
      return Number.isSafeInteger(value) && value >= -(2 ** 31) && value < 2 ** 31 ? value : null;
    }
    case 'duration':
      return parseGoDurationSeconds(raw);
  }
}

export type ConfigResult = { ok: true; config: KnativeAutoscalerConfig } | { ok: false; error: string };

/** NewConfigFromMap: defaults, then the keys present; unknown keys are ignored. */
export function configFromMap(data: Readonly<Record<string, string>>): ConfigResult {
  const config: Record<string, unknown> = { ...DEFAULT_KNATIVE_AUTOSCALER_CONFIG };
  for (const { key, field, kind } of CONFIG_MAP_KEYS) {
    const raw = data[key];
    if (raw === undefined) continue;
    const value = parseValue(kind, raw);
    if (value === null)
      return { ok: false, error: `failed to parse data: ${key}: invalid ${kind} ${JSON.stringify(raw)}` };
    config[field] = value;
  }
  const parsed = config as unknown as KnativeAutoscalerConfig;
  // Legacy: values above 1 are percentages, so the smallest percentage is just above 1 %.
  if (parsed.containerConcurrencyTargetFraction > 1.0) parsed.containerConcurrencyTargetFraction /= 100.0;
  const error = validate(parsed);
  return error === null ? { ok: true, config: parsed } : { ok: false, error };
}

/** validate() in config.go: the first violated rule, or null. */
export function validate(c: KnativeAutoscalerConfig): string | null {
  const wholeSeconds = (seconds: number) => Number.isInteger(seconds);
  const minMaxScale = c.maxScaleLimit > 0 ? 1 : 0;
  const rules: Array<[boolean, string]> = [
    [c.scaleToZeroGracePeriodSeconds <= 0, 'scale-to-zero-grace-period must be positive'],
    [c.scaleDownDelaySeconds < 0, 'scale-down-delay cannot be negative'],
    [
      !wholeSeconds(c.scaleDownDelaySeconds),
      'scale-down-delay must be specified with at most second precision',
    ],
    [c.scaleToZeroPodRetentionPeriodSeconds < 0, 'scale-to-zero-pod-retention-period cannot be negative'],
    [c.targetBurstCapacity < 0 && c.targetBurstCapacity !== -1, 'target-burst-capacity must be >= 0 or -1'],
    [
      c.containerConcurrencyTargetFraction <= 0 || c.containerConcurrencyTargetFraction > 1,
      'container-concurrency-target-percentage is outside of valid range of (0, 100]',
    ],
    [
      c.containerConcurrencyTargetFraction * c.containerConcurrencyTargetDefault < TARGET_MIN,
      `target concurrency can't be less than ${TARGET_MIN}`,
    ],
    [c.rpsTargetDefault < TARGET_MIN, `requests-per-second-target-default must be at least ${TARGET_MIN}`],
    [c.activatorCapacity < 1, 'activator-capacity must be at least 1'],
    [c.maxScaleUpRate <= 1.0, 'max-scale-up-rate must be greater than 1.0'],
    [c.maxScaleDownRate <= 1.0, 'max-scale-down-rate must be greater than 1.0'],
    [
      c.stableWindowSeconds < STABLE_WINDOW_MIN_SECONDS || c.stableWindowSeconds > STABLE_WINDOW_MAX_SECONDS,
      `stable-window must be in [${STABLE_WINDOW_MIN_SECONDS}s; ${STABLE_WINDOW_MAX_SECONDS}s] range`,
    ],
    [!wholeSeconds(c.stableWindowSeconds), 'stable-window must be specified with at most second precision'],
    [
      c.panicWindowPercentage < PANIC_WINDOW_PERCENTAGE_MIN ||
        c.panicWindowPercentage > PANIC_WINDOW_PERCENTAGE_MAX,
      `panic-window-percentage must be in [${PANIC_WINDOW_PERCENTAGE_MIN}, ${PANIC_WINDOW_PERCENTAGE_MAX}] interval`,
    ],
    [
      c.initialScale < 0 || (c.initialScale === 0 && !c.allowZeroInitialScale),
      'initial-scale must be at least 0 (or at least 1 when allow-zero-initial-scale is false)',
    ],
    [c.minScale < 0, 'min-scale must be at least 0'],
    [
      c.maxScale < minMaxScale || (c.maxScaleLimit > 0 && c.maxScale > c.maxScaleLimit),
      `max-scale must be in [${minMaxScale}, max-scale-limit(${c.maxScaleLimit})] range`,
    ],
    [c.maxScaleLimit < 0, 'max-scale-limit must be at least 0'],
    [c.maxScale > 0 && c.minScale > c.maxScale, 'min-scale must be less than or equal to max-scale'],
  ];
  return rules.find(([violated]) => violated)?.[1] ?? null;
}

/** The config back in ConfigMap terms (durations as "Ns"), for reports and comparisons. */
export function configToMap(config: KnativeAutoscalerConfig): Record<string, string | number | boolean> {
  const data: Record<string, string | number | boolean> = {};
  for (const { key, field, kind } of CONFIG_MAP_KEYS) {
    const value = config[field];
    data[key] = kind === 'duration' ? `${value}s` : value;
  }
  return data;
}

/** The autoscaling annotations and fields of one revision that change its targets and windows. */
export interface RevisionAutoscaling {
  metric?: 'concurrency' | 'rps';
  /** spec.containerConcurrency; 0 = unlimited. */
  containerConcurrency?: number;
  /** autoscaling.knative.dev/target. */
  targetAnnotation?: number;
  /** autoscaling.knative.dev/target-utilization-percentage (75 → 0.75). */
  targetUtilizationPercentageAnnotation?: number;
}

/**
 * ResolveMetricTarget: the per-pod target (after utilisation) and the per-pod total capacity. An annotated
 * target never exceeds a non-zero containerConcurrency, for safety.
 */
export function resolveMetricTarget(
  revision: RevisionAutoscaling,
  config: KnativeAutoscalerConfig,
): { targetValue: number; totalValue: number } {
  const rps = revision.metric === 'rps';
  const containerConcurrency = revision.containerConcurrency ?? 0;
  let total = rps
    ? config.rpsTargetDefault
    : containerConcurrency || config.containerConcurrencyTargetDefault;
  let utilization = rps ? config.targetUtilization : config.containerConcurrencyTargetFraction;
  if (revision.targetAnnotation !== undefined) {
    total =
      !rps && containerConcurrency !== 0
        ? Math.min(revision.targetAnnotation, containerConcurrency)
        : revision.targetAnnotation;
  }
  if (revision.targetUtilizationPercentageAnnotation !== undefined) {
    utilization = revision.targetUtilizationPercentageAnnotation / 100;
  }
  return { targetValue: Math.max(TARGET_MIN, total * utilization), totalValue: total };
}

/** metric.go: the panic window is a percentage of the stable window, rounded to the 1 s bucket, at least 1 s. */
export function panicWindowSeconds(stableWindowSeconds: number, panicWindowPercentage: number): number {
  const raw = (stableWindowSeconds * panicWindowPercentage) / 100;
  // time.Duration.Round rounds halves away from zero.
  const rounded = Math.sign(raw) * Math.round(Math.abs(raw) / BUCKET_SIZE_SECONDS) * BUCKET_SIZE_SECONDS;
  return Math.max(BUCKET_SIZE_SECONDS, rounded);
}

/** MakeDecider (kpa/resources/decider.go): the decider spec of a revision under a config. */
export function kpaSpecFromConfig(
  config: KnativeAutoscalerConfig,
  revision: RevisionAutoscaling = {},
): KpaSpec {
  const { targetValue, totalValue } = resolveMetricTarget(revision, config);
  return {
    scalingMetric: revision.metric ?? 'concurrency',
    targetValue,
    totalValue,
    targetBurstCapacity: config.targetBurstCapacity,
    panicThreshold: config.panicThresholdPercentage / 100,
    maxScaleUpRate: config.maxScaleUpRate,
    maxScaleDownRate: config.maxScaleDownRate,
    activatorCapacity: config.activatorCapacity,
    stableWindowSeconds: config.stableWindowSeconds,
    panicWindowSeconds: panicWindowSeconds(config.stableWindowSeconds, config.panicWindowPercentage),
    scaleDownDelaySeconds: config.scaleDownDelaySeconds,
    minScale: config.minScale,
    maxScale: config.maxScale,
    initialScale: config.initialScale,
    // autoscaling.knative.dev/activation-scale defaults to 1 (no effect).
    activationScale: 1,
    enableScaleToZero: config.enableScaleToZero,
    scaleToZeroGraceSeconds: config.scaleToZeroGracePeriodSeconds,
    tickSeconds: TICK_INTERVAL_SECONDS,
    reachable: true,
  };
}
