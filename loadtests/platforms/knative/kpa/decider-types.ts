/**
 * The contract between the replay engine's knative model and the KPA implementation, which follows
 * knative/serving pkg/autoscaler (scaling/autoscaler.go, aggregation windows, config defaults) and is
 * checked against ../shared/vectors/knative-kpa.json.
 */

export interface KpaSpec {
  scalingMetric: 'concurrency' | 'rps';
  /** Per-pod target after utilisation (e.g. 100 × 0.7 = 70). */
  targetValue: number;
  /** Per-pod capacity used for excess burst capacity (containerConcurrency, or the default). */
  totalValue: number;
  targetBurstCapacity: number;
  /** panic-threshold-percentage / 100 (default 2.0). */
  panicThreshold: number;
  maxScaleUpRate: number;
  maxScaleDownRate: number;
  activatorCapacity: number;
  stableWindowSeconds: number;
  /** panic-window-percentage of the stable window (default 10 % → 6 s). */
  panicWindowSeconds: number;
  scaleDownDelaySeconds: number;
  /** min-scale / max-scale annotations (0 = unbounded max). */
  minScale: number;
  maxScale: number;
  initialScale: number;
  activationScale: number;
  enableScaleToZero: boolean;
  /** scale-to-zero-grace-period (default 30 s). */
  scaleToZeroGraceSeconds: number;
  /** Decider tick, 2 s upstream. */
  tickSeconds: number;
  /**
   * The revision receives traffic from a route (DeciderSpec.Reachable). Unreachable revisions may drop to
   * any size in one tick and ignore min-scale and the scale-down delay. Default true.
   */
  reachable?: boolean;
}

export interface KpaDecision {
  desiredPodCount: number;
  excessBurstCapacity: number;
  scaleValid: boolean;
  inPanicMode: boolean;
  /** The decider's own count before min/max-scale, initial scale and the scale-to-zero grace period. */
  deciderPodCount?: number;
  /** The window averages the decision used (revision totals, not per pod). */
  observedStableValue?: number;
  observedPanicValue?: number;
}

export interface KpaDecider {
  /**
   * Records one metric sample at a time: the revision total (in-flight requests summed over pods plus those
   * buffered in the activator, or requests in the last second), once per second like the collector's scrape
   * tick. Samples in the same 1 s bucket are summed, not averaged.
   */
  record(nowSeconds: number, value: number): void;
  /**
   * One decider tick (every tickSeconds): desired pods = ceil(window average of the recorded totals / the
   * per-pod target), rate-limited relative to the ready pods. scaleValid false (no samples in the last stable
   * window): keep the current scale.
   */
  scale(nowSeconds: number, readyPods: number): KpaDecision;
}

/** Implemented in ./decider.ts; `defaultKpaSpec` fills the ConfigMap defaults (platform-facts.md d). */
export type CreateKpaDecider = (spec: KpaSpec) => KpaDecider;
