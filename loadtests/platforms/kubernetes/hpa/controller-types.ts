/**
 * The contract between the replay engine's kubernetes model and the HPA implementation.
 *
 * The implementation (replica calculator, behavior normalisation, legacy path, stabilisation, scale
 * events) follows kubernetes/kubernetes pkg/controller/podautoscaler exactly and is checked against
 * ../shared/vectors/hpa-*.json. The engine only sees this small, stateful controller: it calls
 * `reconcile` every sync period with what the metrics pipeline would report, and applies the result.
 */

export interface HpaPolicy {
  type: 'Pods' | 'Percent';
  value: number;
  periodSeconds: number;
}

export interface HpaScalingRules {
  selectPolicy: 'Max' | 'Min' | 'Disabled';
  /** null: the controller flag (300 s for scale-down, 0 for scale-up). */
  stabilizationWindowSeconds: number | null;
  policies: HpaPolicy[];
  /** Kubernetes 1.33+ per-direction tolerance (HPAConfigurableTolerance); null → controller default 0.1. */
  tolerance?: number | null;
}

/** One metric of the HPA, as the simulator measures it. */
export type HpaMetricSpec =
  /** Resource utilisation: mean usage of ready pods as a percentage of their request. */
  | { type: 'Resource'; name: 'cpu' | 'memory'; target: { type: 'Utilization'; averageUtilization: number } }
  /** Resource or Pods metric with an average value per pod (e.g. requests in flight per pod). */
  | { type: 'Resource' | 'Pods'; name: string; target: { type: 'AverageValue'; averageValue: number } }
  /** Object or External metric: one value for the whole workload (Value) or divided per pod (AverageValue). */
  | {
      type: 'Object' | 'External';
      name: string;
      target: { type: 'Value'; value: number } | { type: 'AverageValue'; averageValue: number };
    };

export interface HpaSpec {
  minReplicas: number;
  maxReplicas: number;
  metrics: HpaMetricSpec[];
  /** `spec.behavior` as written; null selects the legacy (pre-behavior) normalisation path. */
  behavior: { scaleUp?: Partial<HpaScalingRules>; scaleDown?: Partial<HpaScalingRules> } | null;
}

export interface HpaControllerOptions {
  /** --horizontal-pod-autoscaler-sync-period, default 15 s. */
  syncPeriodSeconds: number;
  /** --horizontal-pod-autoscaler-tolerance, default 0.1. */
  tolerance: number;
  /** --horizontal-pod-autoscaler-downscale-stabilization, default 300 s. */
  downscaleStabilizationSeconds: number;
  /** --horizontal-pod-autoscaler-cpu-initialization-period, default 300 s. */
  cpuInitializationPeriodSeconds: number;
  /** --horizontal-pod-autoscaler-initial-readiness-delay, default 30 s. */
  delayOfInitialReadinessStatusSeconds: number;
  /**
   * Window of each CPU sample as the resource metrics API reports it (metrics-server's --metric-resolution);
   * default 15 s. Only matters for pods inside the CPU initialisation period.
   */
  metricWindowSeconds?: number;
}

/** A pod as the HPA sees it at one reconcile. */
export interface HpaPodSample {
  phase: 'Pending' | 'Running' | 'Failed' | 'Succeeded';
  ready: boolean;
  deleting: boolean;
  /** Seconds since the pod started (null: no start time yet). */
  startedSecondsAgo: number | null;
  /** Seconds since the Ready condition last changed (null: no Ready condition). */
  readyTransitionSecondsAgo: number | null;
  /** Request of the resource a Resource metric scales on, summed over containers (millicores or bytes). */
  requests: Record<string, number>;
  /** This pod's current value of each per-pod metric, by metric name (`cpu` in millicores); absent = no sample. */
  metrics: Record<string, number>;
  /** Seconds since the end of the samples' window (metrics-server timestamp); default 0 (fresh). */
  metricAgeSeconds?: number;
}

export interface HpaObservation {
  nowSeconds: number;
  /** spec.replicas of the scale target now. */
  currentReplicas: number;
  pods: HpaPodSample[];
  /** Object / External metric values by name; absent = the metric could not be read. */
  workloadMetrics: Record<string, number>;
  /**
   * status.replicas of the scale target (pods that exist), used by Object/External AverageValue targets;
   * default: the pods that are neither being deleted nor Failed/Succeeded.
   */
  statusReplicas?: number;
}

export interface HpaDecision {
  desiredReplicas: number;
  /** Why it is not what the metrics alone asked for: `ScaleUpLimit`, `TooFewReplicas`, `TooManyReplicas`, `ScaleDownStabilized`, `ScalingDisabled`, … */
  limitingCondition: string | null;
  /** The largest per-metric proposal before normalisation (null when no metric could be computed). */
  proposal: number | null;
}

export interface HpaController {
  reconcile(observation: HpaObservation): HpaDecision;
  /** The options in force (defaults filled in), e.g. to schedule reconciles every `syncPeriodSeconds`. */
  readonly options?: Readonly<HpaControllerOptions>;
}

/** Implemented in ./controller.ts. */
export type CreateHpaController = (spec: HpaSpec, options?: Partial<HpaControllerOptions>) => HpaController;
