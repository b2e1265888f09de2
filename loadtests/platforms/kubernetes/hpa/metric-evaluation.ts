/**
 * computeReplicasForMetric from kubernetes/kubernetes pkg/controller/podautoscaler/horizontal.go
 * (omerap12/kubernetes@c8aa266c): routes one HPA metric to the right replica-calculator function, turning
 * the simulator's observation into what the metrics APIs would return. Platform facts: section a.1.
 */

import type { HpaMetricSpec, HpaObservation, HpaPodSample } from './controller-types.ts';
import {
  type CalcPod,
  getAverageValueMetricReplicas,
  getObjectMetricReplicas,
  getPlainMetricReplicas,
  getResourceReplicas,
  type PodMetricSample,
  type ReadinessTiming,
  type Result,
  type Tolerances,
} from './replica-calculator.ts';

export interface MetricContext {
  /** scale.spec.replicas. */
  specReplicas: number;
  /** scale.status.replicas. */
  statusReplicas: number;
  tolerances: Tolerances;
  observation: HpaObservation;
  metricWindowSeconds: number;
  timing: ReadinessTiming;
}

export type MetricOutcome = { ok: true; replicas: number } | { ok: false; reason: string; error: string };

/** The single container the simulator's pods are modelled with. */
const CONTAINER_NAME = 'main';

/**
 * resource.Quantity.MilliValue() rounds up. CPU samples and targets are already millicores; every other
 * value is in its own unit (bytes, requests, …) and is scaled to milli-units like the metrics APIs do.
 */
export function toMilli(metricName: string, value: number): number {
  if (metricName === 'cpu') return Math.ceil(value);
  // toFixed(6) drops float noise such as 0.1 * 1000 = 100.00000000000001 before rounding up.
  return Math.ceil(Number((value * 1000).toFixed(6)));
}

function podName(index: number): string {
  return `pod-${index}`;
}

function toCalcPod(sample: HpaPodSample, index: number, resource: string, nowSeconds: number): CalcPod {
  const request = sample.requests[resource];
  return {
    name: podName(index),
    phase: sample.phase,
    deleting: sample.deleting,
    startTimeSeconds: sample.startedSecondsAgo === null ? null : nowSeconds - sample.startedSecondsAgo,
    readyCondition:
      sample.readyTransitionSecondsAgo === null
        ? null
        : { ready: sample.ready, lastTransitionTimeSeconds: nowSeconds - sample.readyTransitionSecondsAgo },
    containers: [
      { name: CONTAINER_NAME, requestMilli: request === undefined ? null : toMilli(resource, request) },
    ],
    initContainers: [],
    podLevelRequestMilli: null,
  };
}

/** What the resource / custom metrics API returns for the selector's pods. */
function podMetrics(context: MetricContext, metricName: string): Map<string, PodMetricSample> {
  const { observation } = context;
  const samples = new Map<string, PodMetricSample>();
  observation.pods.forEach((pod, index) => {
    const value = pod.metrics[metricName];
    if (value === undefined) return;
    samples.set(podName(index), {
      valueMilli: toMilli(metricName, value),
      timestampSeconds: observation.nowSeconds - (pod.metricAgeSeconds ?? 0),
      windowSeconds: context.metricWindowSeconds,
    });
  });
  return samples;
}

function calcPods(context: MetricContext, resource: string): CalcPod[] {
  const now = context.observation.nowSeconds;
  return context.observation.pods.map((pod, index) => toCalcPod(pod, index, resource, now));
}

function fromResult(result: Result<{ replicas: number }>, reason: string): MetricOutcome {
  return result.ok
    ? { ok: true, replicas: result.value.replicas }
    : { ok: false, reason, error: result.error };
}

function evaluateResource(
  metric: Extract<HpaMetricSpec, { type: 'Resource' | 'Pods' }>,
  context: MetricContext,
): MetricOutcome {
  const reason = metric.type === 'Pods' ? 'FailedGetPodsMetric' : 'FailedGetResourceMetric';
  const metrics = podMetrics(context, metric.name);
  const target = metric.target;
  if (metric.type === 'Resource' && metrics.size === 0) {
    const error = `unable to get metrics for resource ${metric.name}: no metrics returned from resource metrics API`;
    return { ok: false, reason, error };
  }
  if (target.type === 'Utilization') {
    const result = getResourceReplicas({
      currentReplicas: context.specReplicas,
      targetUtilization: target.averageUtilization,
      resource: metric.name,
      container: null,
      tolerances: context.tolerances,
      pods: calcPods(context, metric.name),
      metrics,
      timing: context.timing,
    });
    return fromResult(result, reason);
  }
  const result = getPlainMetricReplicas({
    currentReplicas: context.specReplicas,
    targetAverageMilli: toMilli(metric.name, target.averageValue),
    // Resource metrics keep the CPU readiness rules; custom Pods metrics do not.
    resource: metric.type === 'Resource' ? metric.name : null,
    tolerances: context.tolerances,
    pods: calcPods(context, metric.name),
    metrics,
    timing: context.timing,
  });
  return fromResult(result, reason);
}

function evaluateWorkloadMetric(metric: WorkloadMetricSpec, context: MetricContext): MetricOutcome {
  const reason = metric.type === 'Object' ? 'FailedGetObjectMetric' : 'FailedGetExternalMetric';
  const value = context.observation.workloadMetrics[metric.name];
  if (value === undefined) return { ok: false, reason, error: `unable to get metric ${metric.name}` };
  const usageMilli = toMilli(metric.name, value);
  const target = metric.target;
  if (target.type === 'AverageValue') {
    const result = getAverageValueMetricReplicas({
      statusReplicas: context.statusReplicas,
      targetAverageMilli: toMilli(metric.name, target.averageValue),
      tolerances: context.tolerances,
      usageMilli,
    });
    return { ok: true, replicas: result.replicas };
  }
  const result = getObjectMetricReplicas({
    currentReplicas: context.specReplicas,
    targetMilli: toMilli(metric.name, target.value),
    tolerances: context.tolerances,
    pods: context.observation.pods,
    usageMilli,
  });
  return fromResult(result, reason);
}

type WorkloadMetricSpec = Extract<HpaMetricSpec, { type: 'Object' | 'External' }>;

const isWorkloadMetric = (metric: HpaMetricSpec): metric is WorkloadMetricSpec =>
  metric.type === 'Object' || metric.type === 'External';

export function evaluateMetric(metric: HpaMetricSpec, context: MetricContext): MetricOutcome {
  if (isWorkloadMetric(metric)) return evaluateWorkloadMetric(metric, context);
  return evaluateResource(metric as Exclude<HpaMetricSpec, WorkloadMetricSpec>, context);
}
