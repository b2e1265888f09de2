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
}

export interface KpaDecision {
  desiredPodCount: number;
  excessBurstCapacity: number;
  scaleValid: boolean;
  inPanicMode: boolean;
}

export interface KpaDecider {
  /** Records one metric sample (in-flight requests summed over pods, or requests in the last second) at a time. */
  record(nowSeconds: number, value: number): void;
  /** One decider tick: window averages of the recorded samples, per ready pod, against the target. */
  scale(nowSeconds: number, readyPods: number): KpaDecision;
}

/** Implemented in ./decider.ts; `defaultKpaSpec` fills the ConfigMap defaults (platform-facts.md d). */
export type CreateKpaDecider = (spec: KpaSpec) => KpaDecider;
