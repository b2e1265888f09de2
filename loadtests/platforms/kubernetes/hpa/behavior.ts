/**
 * HPA normalisation: stabilisation windows, scaling policies, scale events, and the legacy (no
 * `spec.behavior`) path. Transcribed from kubernetes/kubernetes pkg/controller/podautoscaler/horizontal.go
 * (omerap12/kubernetes@c8aa266c) and pkg/apis/autoscaling/v2/defaults.go; checked against
 * ../shared/vectors/hpa-behavior.json. Platform facts: sections a.2 and a.3.
 *
 * Every function is pure: history (recommendations, scale events) goes in and a new copy comes out, with
 * `nowSeconds` standing in for Go's time.Now().
 */

import type { HpaPolicy, HpaScalingRules, HpaSpec } from './controller-types.ts';

/** Legacy path: scale up at most to max(2 × current, 4) per reconcile (horizontal.go scaleUpLimitFactor). */
export const SCALE_UP_LIMIT_FACTOR = 2.0;
/** Legacy path: horizontal.go scaleUpLimitMinimum. */
export const SCALE_UP_LIMIT_MINIMUM = 4.0;

/** A policy set with every field filled, as the controller uses it. */
export interface ResolvedScalingRules {
  selectPolicy: HpaScalingRules['selectPolicy'];
  stabilizationWindowSeconds: number;
  policies: HpaPolicy[];
  /** null → the controller's --horizontal-pod-autoscaler-tolerance. */
  tolerance: number | null;
}

export interface ResolvedBehavior {
  scaleUp: ResolvedScalingRules;
  scaleDown: ResolvedScalingRules;
}

/** defaults.go: scale up by max(4 pods, 100 %) per 15 s with no stabilisation (platform-facts a.3). */
export const DEFAULT_SCALE_UP_RULES: Readonly<HpaScalingRules> = Object.freeze<HpaScalingRules>({
  selectPolicy: 'Max',
  stabilizationWindowSeconds: 0,
  policies: [
    { type: 'Pods', value: 4, periodSeconds: 15 },
    { type: 'Percent', value: 100, periodSeconds: 15 },
  ],
});

/** defaults.go: scale down by up to 100 % per 15 s; the window stays nil for the controller to fill (300 s). */
export const DEFAULT_SCALE_DOWN_RULES: Readonly<HpaScalingRules> = Object.freeze<HpaScalingRules>({
  selectPolicy: 'Max',
  stabilizationWindowSeconds: null,
  policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
});

function resolveRules(
  rules: Partial<HpaScalingRules> | undefined,
  defaults: Readonly<HpaScalingRules>,
  nilWindowSeconds: number,
): ResolvedScalingRules {
  const window = rules?.stabilizationWindowSeconds ?? defaults.stabilizationWindowSeconds;
  return {
    selectPolicy: rules?.selectPolicy ?? defaults.selectPolicy,
    stabilizationWindowSeconds: window ?? nilWindowSeconds,
    policies: [...(rules?.policies ?? defaults.policies)],
    tolerance: rules?.tolerance ?? null,
  };
}

/**
 * API defaulting of a present `spec.behavior` plus maybeInitScaleDownStabilizationWindow: unset fields
 * come from the defaults above, a nil scale-down window from the controller flag.
 */
export function resolveBehavior(
  behavior: NonNullable<HpaSpec['behavior']>,
  downscaleStabilizationSeconds: number,
): ResolvedBehavior {
  return {
    scaleUp: resolveRules(behavior.scaleUp, DEFAULT_SCALE_UP_RULES, 0),
    scaleDown: resolveRules(behavior.scaleDown, DEFAULT_SCALE_DOWN_RULES, downscaleStabilizationSeconds),
  };
}

export interface TimestampedRecommendation {
  replicas: number;
  timestampSeconds: number;
}

export interface ScaleEvent {
  /** Pods added (scale-up list) or removed (scale-down list), always positive. */
  replicaChange: number;
  timestampSeconds: number;
  /** Older than the longest policy period at the last store: the slot may be reused. */
  outdated: boolean;
}

/** Go's `t.After(now - window)`: inside a window only when strictly younger than it. */
const isInside = (timestampSeconds: number, nowSeconds: number, windowSeconds: number): boolean =>
  timestampSeconds > nowSeconds - windowSeconds;
/** Go's `t.Before(now - window)`. */
const isOlder = (timestampSeconds: number, nowSeconds: number, windowSeconds: number): boolean =>
  timestampSeconds < nowSeconds - windowSeconds;

/** getReplicasChangePerPeriod. */
export function getReplicasChangePerPeriod(
  periodSeconds: number,
  events: readonly ScaleEvent[],
  nowSeconds: number,
): number {
  let replicas = 0;
  for (const event of events) {
    if (isInside(event.timestampSeconds, nowSeconds, periodSeconds)) replicas += event.replicaChange;
  }
  return replicas;
}

export interface ScaleLimitInput {
  currentReplicas: number;
  scaleUpEvents: readonly ScaleEvent[];
  scaleDownEvents: readonly ScaleEvent[];
  rules: ResolvedScalingRules | HpaScalingRules;
  nowSeconds: number;
}

/** The replica count at the start of a policy's period: undo the changes made inside it. */
function periodStartReplicas(input: ScaleLimitInput, periodSeconds: number): number {
  const added = getReplicasChangePerPeriod(periodSeconds, input.scaleUpEvents, input.nowSeconds);
  const deleted = getReplicasChangePerPeriod(periodSeconds, input.scaleDownEvents, input.nowSeconds);
  return input.currentReplicas - added + deleted;
}

/** calculateScaleUpLimitWithScalingRules: Max picks the policy allowing the biggest change. */
export function calculateScaleUpLimitWithScalingRules(input: ScaleLimitInput): number {
  const { selectPolicy, policies } = input.rules;
  if (selectPolicy === 'Disabled') return input.currentReplicas;
  const pick = selectPolicy === 'Min' ? Math.min : Math.max;
  let result = selectPolicy === 'Min' ? 2_147_483_647 : -2_147_483_648;
  for (const policy of policies) {
    const start = periodStartReplicas(input, policy.periodSeconds);
    // Percent rounds up so that a small percentage can still add a pod.
    const proposed =
      policy.type === 'Pods' ? start + policy.value : Math.ceil(start * (1 + policy.value / 100));
    result = pick(result, proposed);
  }
  return result;
}

/** calculateScaleDownLimitWithBehaviors: for scale-down the biggest change is the lowest floor. */
export function calculateScaleDownLimitWithBehaviors(input: ScaleLimitInput): number {
  const { selectPolicy, policies } = input.rules;
  if (selectPolicy === 'Disabled') return input.currentReplicas;
  const pick = selectPolicy === 'Min' ? Math.max : Math.min;
  let result = selectPolicy === 'Min' ? -2_147_483_648 : 2_147_483_647;
  for (const policy of policies) {
    const start = periodStartReplicas(input, policy.periodSeconds);
    // Percent truncates toward zero (Go int32(float64)), unlike scale-up.
    const proposed =
      policy.type === 'Pods' ? start - policy.value : Math.trunc(start * (1 - policy.value / 100));
    result = pick(result, proposed);
  }
  return result;
}

export interface NormalizationInput {
  currentReplicas: number;
  desiredReplicas: number;
  minReplicas: number;
  maxReplicas: number;
  scaleUp: ResolvedScalingRules | HpaScalingRules;
  scaleDown: ResolvedScalingRules | HpaScalingRules;
  scaleUpEvents: readonly ScaleEvent[];
  scaleDownEvents: readonly ScaleEvent[];
  nowSeconds: number;
}

export interface LimitedReplicas {
  replicas: number;
  /** ScaleUpLimit, TooManyReplicas, ScaleDownLimit, TooFewReplicas or DesiredWithinRange. */
  reason: string;
}

/**
 * convertDesiredReplicasWithBehaviorRate. When desired == current nothing is clamped, not even to
 * [min, max]: the controller only clamps outside the range before computing metrics.
 */
export function convertDesiredReplicasWithBehaviorRate(input: NormalizationInput): LimitedReplicas {
  const { currentReplicas, desiredReplicas } = input;
  const events = { scaleUpEvents: input.scaleUpEvents, scaleDownEvents: input.scaleDownEvents };
  if (desiredReplicas > currentReplicas) {
    const limitInput = { ...events, currentReplicas, rules: input.scaleUp, nowSeconds: input.nowSeconds };
    // Recent scale-ups may push the limit below current: hold, never shrink, until they age out.
    const scaleUpLimit = Math.max(calculateScaleUpLimitWithScalingRules(limitInput), currentReplicas);
    const policyIsTighter = input.maxReplicas > scaleUpLimit;
    const cap = policyIsTighter ? scaleUpLimit : input.maxReplicas;
    if (desiredReplicas > cap)
      return { replicas: cap, reason: policyIsTighter ? 'ScaleUpLimit' : 'TooManyReplicas' };
  } else if (desiredReplicas < currentReplicas) {
    const limitInput = { ...events, currentReplicas, rules: input.scaleDown, nowSeconds: input.nowSeconds };
    const scaleDownLimit = Math.min(calculateScaleDownLimitWithBehaviors(limitInput), currentReplicas);
    const policyIsTighter = input.minReplicas < scaleDownLimit;
    const floor = policyIsTighter ? scaleDownLimit : input.minReplicas;
    if (desiredReplicas < floor) {
      return { replicas: floor, reason: policyIsTighter ? 'ScaleDownLimit' : 'TooFewReplicas' };
    }
  }
  return { replicas: desiredReplicas, reason: 'DesiredWithinRange' };
}

export interface StabilizationInput {
  recommendations: readonly TimestampedRecommendation[];
  nowSeconds: number;
  currentReplicas: number;
  desiredReplicas: number;
  scaleUpWindowSeconds: number;
  scaleDownWindowSeconds: number;
}

export interface Stabilized {
  replicas: number;
  /** ScaleUpStabilized / ScaleDownStabilized when `replicas` differs from the raw desired value. */
  reason: 'ScaleUpStabilized' | 'ScaleDownStabilized' | 'ReadyForNewScale';
  /** The history with the raw desired value recorded (reusing the last slot older than both windows). */
  recommendations: TimestampedRecommendation[];
}

/**
 * stabilizeRecommendationWithBehaviors: the result never goes below the lowest recommendation of the
 * scale-up window nor above the highest of the scale-down window, starting from the current size.
 */
export function stabilizeRecommendationWithBehaviors(input: StabilizationInput): Stabilized {
  const { nowSeconds, desiredReplicas } = input;
  let upRecommendation = desiredReplicas;
  let downRecommendation = desiredReplicas;
  let oldSampleIndex = -1;
  input.recommendations.forEach((rec, index) => {
    if (isInside(rec.timestampSeconds, nowSeconds, input.scaleUpWindowSeconds)) {
      upRecommendation = Math.min(rec.replicas, upRecommendation);
    }
    if (isInside(rec.timestampSeconds, nowSeconds, input.scaleDownWindowSeconds)) {
      downRecommendation = Math.max(rec.replicas, downRecommendation);
    }
    const olderThanBoth =
      isOlder(rec.timestampSeconds, nowSeconds, input.scaleUpWindowSeconds) &&
      isOlder(rec.timestampSeconds, nowSeconds, input.scaleDownWindowSeconds);
    if (olderThanBoth) oldSampleIndex = index;
  });
  const replicas = Math.min(Math.max(input.currentReplicas, upRecommendation), downRecommendation);
  const recommendations = recordRecommendation(input.recommendations, oldSampleIndex, {
    replicas: desiredReplicas,
    timestampSeconds: nowSeconds,
  });
  const direction = desiredReplicas >= input.currentReplicas ? 'ScaleUpStabilized' : 'ScaleDownStabilized';
  return { replicas, reason: replicas === desiredReplicas ? 'ReadyForNewScale' : direction, recommendations };
}

function recordRecommendation(
  recommendations: readonly TimestampedRecommendation[],
  reusableIndex: number,
  entry: TimestampedRecommendation,
): TimestampedRecommendation[] {
  const next = [...recommendations];
  if (reusableIndex >= 0) next[reusableIndex] = entry;
  else next.push(entry);
  return next;
}

/** Legacy stabilizeRecommendation: the highest recommendation of the downscale window (default 300 s). */
export function stabilizeRecommendation(
  recommendations: readonly TimestampedRecommendation[],
  nowSeconds: number,
  downscaleStabilizationSeconds: number,
  desiredReplicas: number,
): { replicas: number; recommendations: TimestampedRecommendation[] } {
  let replicas = desiredReplicas;
  let oldSampleIndex = -1;
  recommendations.forEach((rec, index) => {
    if (isOlder(rec.timestampSeconds, nowSeconds, downscaleStabilizationSeconds)) oldSampleIndex = index;
    else if (rec.replicas > replicas) replicas = rec.replicas;
  });
  const entry = { replicas: desiredReplicas, timestampSeconds: nowSeconds };
  return { replicas, recommendations: recordRecommendation(recommendations, oldSampleIndex, entry) };
}

/** Legacy calculateScaleUpLimit: int32(max(2 × current, 4)). */
export function calculateScaleUpLimit(
  currentReplicas: number,
  factor = SCALE_UP_LIMIT_FACTOR,
  minimum = SCALE_UP_LIMIT_MINIMUM,
): number {
  return Math.trunc(Math.max(factor * currentReplicas, minimum));
}

/** Legacy convertDesiredReplicasWithRules: clamp to [min, min(max, scale-up limit)]. */
export function convertDesiredReplicasWithRules(
  currentReplicas: number,
  desiredReplicas: number,
  minReplicas: number,
  maxReplicas: number,
  limits: { factor?: number; minimum?: number } = {},
): LimitedReplicas {
  const scaleUpLimit = calculateScaleUpLimit(currentReplicas, limits.factor, limits.minimum);
  const limitIsTighter = maxReplicas > scaleUpLimit;
  const maximumAllowed = limitIsTighter ? scaleUpLimit : maxReplicas;
  if (desiredReplicas < minReplicas) return { replicas: minReplicas, reason: 'TooFewReplicas' };
  if (desiredReplicas > maximumAllowed) {
    return { replicas: maximumAllowed, reason: limitIsTighter ? 'ScaleUpLimit' : 'TooManyReplicas' };
  }
  return { replicas: desiredReplicas, reason: 'DesiredWithinRange' };
}

/** getLongestPolicyPeriod. */
export function getLongestPolicyPeriod(rules: Pick<HpaScalingRules, 'policies'>): number {
  return rules.policies.reduce((longest, policy) => Math.max(longest, policy.periodSeconds), 0);
}

/**
 * storeScaleEvent for one direction. Without behavior (rules null) nothing is stored: the legacy path
 * never reads events. Events older than the longest period are marked outdated (and stay marked); the
 * new event overwrites the last outdated one or is appended.
 */
export function storeScaleEvent(
  events: readonly ScaleEvent[],
  rules: Pick<HpaScalingRules, 'policies'> | null,
  replicaChange: number,
  nowSeconds: number,
): ScaleEvent[] {
  if (rules === null) return [...events];
  const longestPeriodSeconds = getLongestPolicyPeriod(rules);
  const next = events.map((event) =>
    isOlder(event.timestampSeconds, nowSeconds, longestPeriodSeconds) ? { ...event, outdated: true } : event,
  );
  let reusableIndex = -1;
  next.forEach((event, index) => {
    if (event.outdated) reusableIndex = index;
  });
  const entry: ScaleEvent = { replicaChange, timestampSeconds: nowSeconds, outdated: false };
  if (reusableIndex >= 0) next[reusableIndex] = entry;
  else next.push(entry);
  return next;
}
