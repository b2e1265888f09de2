/**
 * What the KPA reconciler does with the decider's count before it patches the Deployment: min/max-scale
 * and initial-scale bounds, and the scale-to-zero grace period. A simplified model of knative/serving
 * pkg/reconciler/autoscaling/kpa/scaler.go (applyBounds, handleScaleToZero) and kpa.go
 * (computeActiveCondition). Platform facts: section d.
 *
 * Simplifications: the activator probe succeeds at once (the SKS is in proxy mode as soon as the PA is
 * marked inactive), scale-to-zero-pod-retention-period is 0, and a revision that never becomes ready is
 * held instead of being scaled to zero after the activation timeout.
 */

import type { KpaSpec } from './decider-types.ts';

export interface ReconcilerState {
  /** The revision has reached initial scale once (ScaleTargetInitialized). */
  initialized: boolean;
  /** Active=True since; null while activating or inactive. */
  activeSinceSeconds: number | null;
  /** Marked inactive, i.e. the activator is in the path, since; null while active or activating. */
  inactiveSinceSeconds: number | null;
  /** Scaled to zero and not wanted since. */
  atZero: boolean;
  /** The last count handed to the engine: what "keep the current scale" means. */
  lastDesired: number | null;
}

export const newReconcilerState = (): ReconcilerState => ({
  initialized: false,
  activeSinceSeconds: null,
  inactiveSinceSeconds: null,
  atZero: false,
  lastDesired: null,
});

/**
 * applyBounds with initial scale: until the revision first reaches initial scale, that is the floor;
 * min-scale applies only to revisions that receive traffic (PodAutoscaler.ScaleBounds); max 0 = unbounded.
 */
export function applyBounds(spec: KpaSpec, state: ReconcilerState, desired: number): number {
  let min = (spec.reachable ?? true) ? spec.minScale : 0;
  if (spec.initialScale > 1 && !state.initialized) min = Math.max(spec.initialScale, min);
  if (desired < min) return min;
  return spec.maxScale !== 0 && desired > spec.maxScale ? spec.maxScale : desired;
}

/**
 * computeActiveCondition: without ready pods a wanted revision is activating; ready pods make it active
 * unless it was marked inactive and nothing wants pods.
 */
function updateActivity(state: ReconcilerState, want: number, readyPods: number, nowSeconds: number): void {
  if (readyPods === 0 && want > 0) {
    state.activeSinceSeconds = null;
    state.inactiveSinceSeconds = null;
  } else if (
    readyPods > 0 &&
    state.activeSinceSeconds === null &&
    (want > 0 || state.inactiveSinceSeconds === null)
  ) {
    state.activeSinceSeconds = nowSeconds;
    state.inactiveSinceSeconds = null;
  }
}

/**
 * handleScaleToZero: zero needs enable-scale-to-zero, the revision active for a stable window (it is then
 * marked inactive and the activator takes over), and the activator in the path for the grace period.
 * Until then an active revision keeps 1 pod and an inactive one keeps its current scale.
 */
function scaleToZeroGate(spec: KpaSpec, state: ReconcilerState, desired: number, nowSeconds: number): number {
  if (desired !== 0) {
    state.atZero = false;
    return desired;
  }
  if (!spec.enableScaleToZero) return 1;
  if (state.atZero) return 0;
  const current = state.lastDesired ?? spec.initialScale;
  if (state.activeSinceSeconds !== null) {
    if (nowSeconds - state.activeSinceSeconds < spec.stableWindowSeconds) return 1;
    state.activeSinceSeconds = null;
    state.inactiveSinceSeconds = nowSeconds;
    return current;
  }
  if (state.inactiveSinceSeconds === null) {
    // Still activating (pods not ready yet): hold, unless there is nothing to activate (initial scale 0).
    if (spec.initialScale > 0) return current;
    state.inactiveSinceSeconds = nowSeconds;
  }
  if (nowSeconds - state.inactiveSinceSeconds < spec.scaleToZeroGraceSeconds) return current;
  state.atZero = true;
  return 0;
}

export interface ReconcileInput {
  deciderPodCount: number;
  nowSeconds: number;
  readyPods: number;
}

/** The replica count the KPA would write to the Deployment for this tick. Updates `state`. */
export function reconcileScale(spec: KpaSpec, state: ReconcilerState, input: ReconcileInput): number {
  const { nowSeconds, readyPods } = input;
  if (readyPods > 0 && readyPods >= spec.initialScale) state.initialized = true;
  const bounded = applyBounds(spec, state, input.deciderPodCount);
  updateActivity(state, bounded, readyPods, nowSeconds);
  const desired = scaleToZeroGate(spec, state, bounded, nowSeconds);
  state.lastDesired = desired;
  return desired;
}
