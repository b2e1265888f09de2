/**
 * The Knative Pod Autoscaler for one revision.
 *
 * - `scaleOnce` is Scale() of knative/serving pkg/autoscaler/scaling/autoscaler.go: rate limits, panic
 *   mode, activation scale, scale-down delay and excess burst capacity, given the window averages. It is
 *   checked against the `scaleSequence` / `construction` cases of ../shared/vectors/knative-kpa.json.
 * - `createKpaDecider` adds what surrounds it upstream: the metric collector's bucketed stable and panic
 *   windows (pkg/autoscaler/metrics/collector.go, ./windows.ts) and the KPA reconciler's min/max-scale,
 *   initial scale and scale-to-zero grace period (pkg/reconciler/autoscaling/kpa/scaler.go, kpa.go).
 * Platform facts: section d.
 */

import {
  BUCKET_SIZE_SECONDS,
  DEFAULT_KNATIVE_AUTOSCALER_CONFIG,
  kpaSpecFromConfig,
  panicWindowSeconds,
  TICK_INTERVAL_SECONDS,
} from './config.ts';
import type { CreateKpaDecider, KpaDecider, KpaDecision, KpaSpec } from './decider-types.ts';
import { newReconcilerState, type ReconcilerState, reconcileScale } from './reconciler.ts';
import { MaxTimeWindow, TimedBuckets } from './windows.ts';

/**
 * The decider spec of a revision under the default `config-autoscaler` (platform-facts d): concurrency
 * target 100 × 0.7 = 70, stable window 60 s, panic window 6 s, panic at 200 %, scale up ×1000 and down ÷2
 * per tick. Overriding stableWindowSeconds alone rescales the panic window (10 % of it).
 */
export function defaultKpaSpec(overrides: Partial<KpaSpec> = {}): KpaSpec {
  const spec = { ...kpaSpecFromConfig(DEFAULT_KNATIVE_AUTOSCALER_CONFIG), ...overrides };
  if (overrides.stableWindowSeconds !== undefined && overrides.panicWindowSeconds === undefined) {
    spec.panicWindowSeconds = panicWindowSeconds(
      overrides.stableWindowSeconds,
      DEFAULT_KNATIVE_AUTOSCALER_CONFIG.panicWindowPercentage,
    );
  }
  return spec;
}

/** The autoscaler struct's mutable state. */
export interface DeciderState {
  /** When panic mode was entered or last extended; null = not panicking. */
  panicStartSeconds: number | null;
  /** The highest count decided during this panic: panic mode never scales down. */
  maxPanicPods: number;
  /** Sliding max of decisions over the scale-down delay, in 2 s tick buckets; null without a delay. */
  delayWindow: MaxTimeWindow | null;
}

/**
 * newAutoscaler: a decider created while more than one pod is ready starts in panic mode, so a restarted
 * autoscaler holds the current scale until metrics accumulate. A pod-count error counts as 0.
 */
export function newDeciderState(spec: KpaSpec, readyPods: number, nowSeconds: number): DeciderState {
  return {
    panicStartSeconds: readyPods > 1 ? nowSeconds : null,
    maxPanicPods: readyPods,
    delayWindow:
      spec.scaleDownDelaySeconds > 0
        ? new MaxTimeWindow(spec.scaleDownDelaySeconds, TICK_INTERVAL_SECONDS)
        : null,
  };
}

export interface DeciderObservation {
  nowSeconds: number;
  /** Ready pods of the revision; null = the pod count failed with an error other than NotFound. */
  readyPods: number | null;
  /** Window averages of the revision-wide metric (total concurrency, or total requests per second). */
  observedStable: number;
  observedPanic: number;
}

const invalidDecision = (state: DeciderState): KpaDecision => ({
  desiredPodCount: 0,
  excessBurstCapacity: 0,
  scaleValid: false,
  inPanicMode: state.panicStartSeconds !== null,
});

/** Enter, extend or leave panic mode. The threshold uses the unclamped panic pod count. */
function updatePanic(
  spec: KpaSpec,
  state: DeciderState,
  nowSeconds: number,
  isOverPanicThreshold: boolean,
): void {
  if (isOverPanicThreshold) {
    state.panicStartSeconds = nowSeconds;
  } else if (
    state.panicStartSeconds !== null &&
    state.panicStartSeconds + spec.stableWindowSeconds < nowSeconds
  ) {
    // The surge has made its way into the stable window.
    state.panicStartSeconds = null;
    state.maxPanicPods = 0;
  }
}

/** Excess burst capacity: spare capacity beyond the burst target; negative keeps the activator in the path. */
export function excessBurstCapacity(spec: KpaSpec, readyPods: number, observedPanic: number): number {
  if (spec.targetBurstCapacity === 0) return 0;
  if (spec.targetBurstCapacity < 0) return -1;
  return Math.trunc(Math.floor(readyPods * spec.totalValue - spec.targetBurstCapacity - observedPanic));
}

/** One decider tick (autoscaler.go Scale). Updates `state` in place, like the upstream struct. */
export function scaleOnce(spec: KpaSpec, state: DeciderState, observation: DeciderObservation): KpaDecision {
  if (observation.readyPods === null) return invalidDecision(state);
  const { nowSeconds, observedStable, observedPanic } = observation;
  const reachable = spec.reachable ?? true;
  const readyPods = Math.max(1, observation.readyPods);
  // ceil: even a conservative rate can always add one pod.
  const maxScaleUp = Math.ceil(spec.maxScaleUpRate * readyPods);
  const maxScaleDown = reachable ? Math.floor(readyPods / spec.maxScaleDownRate) : 0;
  const dspc = Math.ceil(observedStable / spec.targetValue);
  const dppc = Math.ceil(observedPanic / spec.targetValue);
  const clamp = (pods: number) => Math.trunc(Math.min(Math.max(pods, maxScaleDown), maxScaleUp));
  let desiredStable = clamp(dspc);
  let desiredPanic = clamp(dppc);
  // activation-scale is a floor for any non-zero count; zero stays zero.
  if (spec.activationScale > 1) {
    if (dspc > 0 && spec.activationScale > desiredStable) desiredStable = spec.activationScale;
    if (dppc > 0 && spec.activationScale > desiredPanic) desiredPanic = spec.activationScale;
  }
  updatePanic(spec, state, nowSeconds, dppc / readyPods >= spec.panicThreshold);

  let desired = desiredStable;
  if (state.panicStartSeconds !== null) {
    // Provision for the larger of the two, and only ever go up while panicking.
    state.maxPanicPods = Math.max(state.maxPanicPods, desiredStable, desiredPanic);
    desired = state.maxPanicPods;
  }
  if (reachable && state.delayWindow !== null) {
    state.delayWindow.record(nowSeconds, desired);
    desired = state.delayWindow.current();
  }
  return {
    desiredPodCount: desired,
    excessBurstCapacity: excessBurstCapacity(spec, observation.readyPods, observedPanic),
    scaleValid: true,
    inPanicMode: state.panicStartSeconds !== null,
  };
}

class Decider implements KpaDecider {
  private readonly stable: TimedBuckets;
  private readonly panic: TimedBuckets;
  private readonly state: DeciderState;
  private readonly reconciler: ReconcilerState = newReconcilerState();

  constructor(
    private readonly spec: KpaSpec,
    initial: { readyPods?: number; nowSeconds?: number },
  ) {
    this.stable = new TimedBuckets(spec.stableWindowSeconds, BUCKET_SIZE_SECONDS);
    this.panic = new TimedBuckets(spec.panicWindowSeconds, BUCKET_SIZE_SECONDS);
    this.state = newDeciderState(spec, initial.readyPods ?? 0, initial.nowSeconds ?? 0);
  }

  record(nowSeconds: number, value: number): void {
    this.stable.record(nowSeconds, value);
    this.panic.record(nowSeconds, value);
  }

  scale(nowSeconds: number, readyPods: number): KpaDecision {
    // The metric client has nothing for the last stable window: no decision (ErrNoData).
    if (this.stable.isEmpty(nowSeconds)) return invalidDecision(this.state);
    const observedStable = this.stable.windowAverage(nowSeconds);
    const observedPanic = this.panic.windowAverage(nowSeconds);
    const decision = scaleOnce(this.spec, this.state, {
      nowSeconds,
      readyPods,
      observedStable,
      observedPanic,
    });
    const desired = reconcileScale(this.spec, this.reconciler, {
      deciderPodCount: decision.desiredPodCount,
      nowSeconds,
      readyPods,
    });
    return {
      ...decision,
      desiredPodCount: desired,
      deciderPodCount: decision.desiredPodCount,
      observedStableValue: observedStable,
      observedPanicValue: observedPanic,
    };
  }
}

/**
 * The KPA of one revision. Call `record` once per second (the collector's scrape tick) and `scale` every
 * `spec.tickSeconds` (2 s). `initial` is what the decider sees when it is created (0 ready pods at t=0 by
 * default: a new revision's endpoints do not exist yet).
 */
export const createKpaDecider = ((spec: KpaSpec, initial: { readyPods?: number; nowSeconds?: number } = {}) =>
  new Decider(spec, initial)) satisfies CreateKpaDecider;
