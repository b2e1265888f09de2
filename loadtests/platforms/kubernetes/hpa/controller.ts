/**
 * The HPA controller loop for one HorizontalPodAutoscaler: reconcileAutoscaler and
 * computeReplicasForMetrics from kubernetes/kubernetes pkg/controller/podautoscaler/horizontal.go
 * (omerap12/kubernetes@c8aa266c), composed from ./replica-calculator.ts and ./behavior.ts. Checked by the
 * `reconcile` cases of ../shared/vectors/hpa-behavior.json. Platform facts: sections a.2 and a.3.
 *
 * The controller keeps its own recommendation history and scale events across calls, like the
 * kube-controller-manager does per HPA key.
 */

import {
  convertDesiredReplicasWithBehaviorRate,
  convertDesiredReplicasWithRules,
  type ResolvedBehavior,
  resolveBehavior,
  type ScaleEvent,
  stabilizeRecommendation,
  stabilizeRecommendationWithBehaviors,
  storeScaleEvent,
  type TimestampedRecommendation,
} from './behavior.ts';
import type {
  CreateHpaController,
  HpaController,
  HpaControllerOptions,
  HpaDecision,
  HpaMetricSpec,
  HpaObservation,
  HpaSpec,
} from './controller-types.ts';
import { evaluateMetric, type MetricContext } from './metric-evaluation.ts';
import type { Tolerances } from './replica-calculator.ts';

/**
 * Production kube-controller-manager flag defaults (platform-facts a.3, kubernetes.io HPA task page):
 * sync 15 s, tolerance 0.1, downscale stabilisation 5 min, CPU initialisation 5 min, readiness delay 30 s.
 */
export const DEFAULT_HPA_CONTROLLER_OPTIONS: Readonly<Required<HpaControllerOptions>> = Object.freeze({
  syncPeriodSeconds: 15,
  tolerance: 0.1,
  downscaleStabilizationSeconds: 300,
  cpuInitializationPeriodSeconds: 300,
  delayOfInitialReadinessStatusSeconds: 30,
  // metrics-server --metric-resolution as set by its published manifests [unconfirmed: not in platform-facts].
  metricWindowSeconds: 15,
});

/** SetDefaults_HorizontalPodAutoscaler: no metrics → CPU at autoscaling.DefaultCPUUtilization (80, platform-facts a.3). */
export const DEFAULT_CPU_UTILIZATION_PERCENT = 80;

/** SetDefaults_HorizontalPodAutoscaler: minReplicas 1 when unset. */
const DEFAULT_MIN_REPLICAS = 1;

interface ControllerState {
  recommendations: TimestampedRecommendation[];
  scaleUpEvents: ScaleEvent[];
  scaleDownEvents: ScaleEvent[];
}

interface Normalized {
  replicas: number;
  limitingCondition: string | null;
}

/** tolerancesForHpa with HPAConfigurableTolerance on: a direction's own tolerance wins over the flag. */
export function tolerancesForHpa(behavior: ResolvedBehavior | null, defaultTolerance: number): Tolerances {
  return {
    scaleDown: behavior?.scaleDown.tolerance ?? defaultTolerance,
    scaleUp: behavior?.scaleUp.tolerance ?? defaultTolerance,
  };
}

/** What the decision reports: a rate/range limit beats stabilisation, which beats nothing. */
function limitingCondition(raw: number, stabilized: number, stabilizedReason: string, limited: Normalized) {
  if (limited.replicas !== stabilized) return limited.limitingCondition;
  return stabilized !== raw ? stabilizedReason : null;
}

export interface MetricsProposal {
  /** The largest valid proposal; null when every metric failed. */
  proposal: number | null;
  /** The first failure's condition reason when the HPA must not act on the proposal. */
  failure: string | null;
}

/**
 * computeReplicasForMetrics: the largest proposal wins; failures block the decision when all metrics
 * failed or when the valid ones would scale down (so an HPA can still scale up on partial metrics).
 */
export function computeReplicasForMetrics(
  metrics: readonly HpaMetricSpec[],
  context: MetricContext,
): MetricsProposal {
  let replicas = 0;
  let anyValid = false;
  let invalidCount = 0;
  let firstFailure: string | null = null;
  for (const metric of metrics) {
    const outcome = evaluateMetric(metric, context);
    if (!outcome.ok) {
      invalidCount++;
      firstFailure ??= outcome.reason;
      continue;
    }
    anyValid = true;
    if (replicas === 0 || outcome.replicas > replicas) replicas = outcome.replicas;
  }
  const proposal = anyValid ? replicas : null;
  const blocked = invalidCount >= metrics.length || (invalidCount > 0 && replicas < context.specReplicas);
  return { proposal, failure: blocked ? (firstFailure ?? 'FailedGetMetrics') : null };
}

function defaultStatusReplicas(observation: HpaObservation): number {
  const active = observation.pods.filter(
    (pod) => !pod.deleting && pod.phase !== 'Failed' && pod.phase !== 'Succeeded',
  );
  return active.length;
}

class Controller implements HpaController {
  readonly options: Readonly<Required<HpaControllerOptions>>;
  private readonly behavior: ResolvedBehavior | null;
  private readonly metrics: readonly HpaMetricSpec[];
  private state: ControllerState = { recommendations: [], scaleUpEvents: [], scaleDownEvents: [] };

  constructor(
    private readonly spec: HpaSpec,
    options: Partial<HpaControllerOptions>,
  ) {
    this.options = { ...DEFAULT_HPA_CONTROLLER_OPTIONS, ...withoutUndefined(options) };
    this.behavior =
      spec.behavior === null
        ? null
        : resolveBehavior(spec.behavior, this.options.downscaleStabilizationSeconds);
    this.metrics =
      spec.metrics.length > 0
        ? spec.metrics
        : [
            {
              type: 'Resource',
              name: 'cpu',
              target: { type: 'Utilization', averageUtilization: DEFAULT_CPU_UTILIZATION_PERCENT },
            },
          ];
  }

  reconcile(observation: HpaObservation): HpaDecision {
    const current = observation.currentReplicas;
    const nowSeconds = observation.nowSeconds;
    // recordInitialRecommendation: the first pass is stabilised against the current size.
    if (this.state.recommendations.length === 0) {
      this.state.recommendations = [{ replicas: current, timestampSeconds: nowSeconds }];
    }
    const minReplicas = this.spec.minReplicas ?? DEFAULT_MIN_REPLICAS;
    // A target scaled to zero by hand (with minReplicas > 0) turns the HPA off.
    if (current === 0 && minReplicas !== 0) {
      return { desiredReplicas: current, limitingCondition: 'ScalingDisabled', proposal: null };
    }
    // Outside [min, max] the controller jumps straight back in, without metrics or rate limits.
    if (current > this.spec.maxReplicas)
      return this.rescale(observation, this.spec.maxReplicas, 'TooManyReplicas', null);
    if (current < minReplicas) return this.rescale(observation, minReplicas, 'TooFewReplicas', null);

    const { proposal, failure } = computeReplicasForMetrics(this.metrics, this.metricContext(observation));
    if (failure !== null || proposal === null) {
      return { desiredReplicas: current, limitingCondition: failure, proposal };
    }
    const normalized =
      this.behavior === null
        ? this.normalizeLegacy(current, proposal, minReplicas, nowSeconds)
        : this.normalizeWithBehavior(this.behavior, current, proposal, minReplicas, nowSeconds);
    return this.rescale(observation, normalized.replicas, normalized.limitingCondition, proposal);
  }

  private metricContext(observation: HpaObservation): MetricContext {
    return {
      specReplicas: observation.currentReplicas,
      statusReplicas: observation.statusReplicas ?? defaultStatusReplicas(observation),
      tolerances: tolerancesForHpa(this.behavior, this.options.tolerance),
      observation,
      metricWindowSeconds: this.options.metricWindowSeconds,
      timing: {
        nowSeconds: observation.nowSeconds,
        cpuInitializationPeriodSeconds: this.options.cpuInitializationPeriodSeconds,
        delayOfInitialReadinessStatusSeconds: this.options.delayOfInitialReadinessStatusSeconds,
      },
    };
  }

  /** normalizeDesiredReplicas: max over the downscale window, then the 2×/+4 cap and [min, max]. */
  private normalizeLegacy(current: number, raw: number, minReplicas: number, nowSeconds: number): Normalized {
    const stabilized = stabilizeRecommendation(
      this.state.recommendations,
      nowSeconds,
      this.options.downscaleStabilizationSeconds,
      raw,
    );
    this.state.recommendations = stabilized.recommendations;
    const limited = convertDesiredReplicasWithRules(
      current,
      stabilized.replicas,
      minReplicas,
      this.spec.maxReplicas,
    );
    const normalized = { replicas: limited.replicas, limitingCondition: limited.reason };
    return {
      replicas: limited.replicas,
      limitingCondition: limitingCondition(raw, stabilized.replicas, 'ScaleDownStabilized', normalized),
    };
  }

  /** normalizeDesiredReplicasWithBehaviors: stabilisation windows, then the policies' rate limits. */
  private normalizeWithBehavior(
    behavior: ResolvedBehavior,
    current: number,
    raw: number,
    minReplicas: number,
    nowSeconds: number,
  ): Normalized {
    const stabilized = stabilizeRecommendationWithBehaviors({
      recommendations: this.state.recommendations,
      nowSeconds,
      currentReplicas: current,
      desiredReplicas: raw,
      scaleUpWindowSeconds: behavior.scaleUp.stabilizationWindowSeconds,
      scaleDownWindowSeconds: behavior.scaleDown.stabilizationWindowSeconds,
    });
    this.state.recommendations = stabilized.recommendations;
    const limited = convertDesiredReplicasWithBehaviorRate({
      currentReplicas: current,
      desiredReplicas: stabilized.replicas,
      minReplicas,
      maxReplicas: this.spec.maxReplicas,
      scaleUp: behavior.scaleUp,
      scaleDown: behavior.scaleDown,
      scaleUpEvents: this.state.scaleUpEvents,
      scaleDownEvents: this.state.scaleDownEvents,
      nowSeconds,
    });
    const normalized = { replicas: limited.replicas, limitingCondition: limited.reason };
    return {
      replicas: limited.replicas,
      limitingCondition: limitingCondition(raw, stabilized.replicas, stabilized.reason, normalized),
    };
  }

  /** A rescale is recorded as a scale event (behavior path only) once it has been applied. */
  private rescale(
    observation: HpaObservation,
    desired: number,
    condition: string | null,
    proposal: number | null,
  ): HpaDecision {
    const current = observation.currentReplicas;
    if (desired !== current && this.behavior !== null) {
      const up = desired > current;
      const events = up ? this.state.scaleUpEvents : this.state.scaleDownEvents;
      const rules = up ? this.behavior.scaleUp : this.behavior.scaleDown;
      const stored = storeScaleEvent(events, rules, Math.abs(desired - current), observation.nowSeconds);
      if (up) this.state.scaleUpEvents = stored;
      else this.state.scaleDownEvents = stored;
    }
    return { desiredReplicas: desired, limitingCondition: condition, proposal };
  }
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** The stateful HPA of one workload; call `reconcile` every `options.syncPeriodSeconds` (15 s by default). */
export const createHpaController: CreateHpaController = (spec, options = {}) => new Controller(spec, options);
