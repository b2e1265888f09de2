/**
 * The HPA replica calculator: one metric of one HPA → a proposed replica count (before min/max clamping,
 * rate limits and stabilisation, which live in ./behavior.ts).
 *
 * Transcribed from kubernetes/kubernetes pkg/controller/podautoscaler/replica_calculator.go and
 * pkg/controller/podautoscaler/metrics/utilization.go (read at omerap12/kubernetes@a769d588, a fork that
 * tracks master), checked against ../shared/vectors/hpa-replica-calculator.json. Platform facts: section a.1.
 *
 * Units: metric values are milli-values (`resource.Quantity.MilliValue()`: CPU in millicores, a custom
 * metric of 20 is 20000). Go int64 arithmetic is reproduced with Math.trunc; int64 saturation uses the
 * float64 value of MaxInt64 (2^63), which is what Go compares against too.
 */

import { fail, isWithinTolerance, ok, type PodPhase, type Result, type Tolerances } from './calc-common.ts';
import { calculateRequests, type RequestPod } from './requests.ts';

export * from './calc-common.ts';
export type { ContainerRequest, InitContainerRequest, RequestPod } from './requests.ts';
export { calculatePodRequest, calculateRequests } from './requests.ts';
export * from './workload-metrics.ts';

export interface CalcPod extends Partial<RequestPod> {
  name: string;
  phase: PodPhase;
  deleting: boolean;
  /** Absolute pod start time; null = no status.startTime yet. */
  startTimeSeconds: number | null;
  /** The Ready condition; null = the pod has none. */
  readyCondition: { ready: boolean; lastTransitionTimeSeconds: number } | null;
}

/** One pod's sample as the metrics API returns it: the value covers [timestamp - window, timestamp]. */
export interface PodMetricSample {
  valueMilli: number;
  timestampSeconds: number;
  windowSeconds: number;
}

export interface ReadinessTiming {
  nowSeconds: number;
  /** --horizontal-pod-autoscaler-cpu-initialization-period (5 min in production, 2 min in upstream tests). */
  cpuInitializationPeriodSeconds: number;
  /** --horizontal-pod-autoscaler-initial-readiness-delay (30 s in production, 10 s in upstream tests). */
  delayOfInitialReadinessStatusSeconds: number;
}

export interface PodGroups {
  readyPodCount: number;
  unreadyPods: Set<string>;
  missingPods: Set<string>;
  ignoredPods: Set<string>;
}

/**
 * CPU only: a sample is not trusted while the pod may still be burning start-up CPU. Inside the
 * initialisation period the pod counts only once one full metric window has passed since it became ready;
 * afterwards only pods that have never been ready are set aside.
 */
function isUnreadyForCpu(pod: CalcPod, sample: PodMetricSample, timing: ReadinessTiming): boolean {
  const condition = pod.readyCondition;
  if (condition === null || pod.startTimeSeconds === null) return true;
  if (pod.startTimeSeconds + timing.cpuInitializationPeriodSeconds > timing.nowSeconds) {
    const firstTrustedSampleSeconds = condition.lastTransitionTimeSeconds + sample.windowSeconds;
    return !condition.ready || sample.timestampSeconds < firstTrustedSampleSeconds;
  }
  return (
    !condition.ready &&
    pod.startTimeSeconds + timing.delayOfInitialReadinessStatusSeconds > condition.lastTransitionTimeSeconds
  );
}

/** groupPods: the order matters (ignored, then Pending, then missing, then the CPU readiness rules). */
export function groupPods(
  pods: readonly CalcPod[],
  metrics: ReadonlyMap<string, PodMetricSample>,
  resource: string | null,
  timing: ReadinessTiming,
): PodGroups {
  const groups: PodGroups = {
    readyPodCount: 0,
    unreadyPods: new Set(),
    missingPods: new Set(),
    ignoredPods: new Set(),
  };
  for (const pod of pods) {
    if (pod.deleting || pod.phase === 'Failed' || pod.phase === 'Succeeded') {
      groups.ignoredPods.add(pod.name);
      continue;
    }
    if (pod.phase === 'Pending') {
      groups.unreadyPods.add(pod.name);
      continue;
    }
    const sample = metrics.get(pod.name);
    if (sample === undefined) {
      groups.missingPods.add(pod.name);
      continue;
    }
    if (resource === 'cpu' && isUnreadyForCpu(pod, sample, timing)) {
      groups.unreadyPods.add(pod.name);
      continue;
    }
    groups.readyPodCount++;
  }
  return groups;
}

/** metricsclient.GetResourceUtilizationRatio: utilisation is a truncated integer percent. */
export function getResourceUtilizationRatio(
  metrics: ReadonlyMap<string, number>,
  requests: ReadonlyMap<string, number>,
  targetUtilization: number,
): Result<{ usageRatio: number; utilization: number; rawAverageMilli: number }> {
  let metricsTotal = 0;
  let requestsTotal = 0;
  let entities = 0;
  for (const [podName, value] of metrics) {
    const request = requests.get(podName);
    // Samples for pods we do not know are extraneous, not errors.
    if (request === undefined) continue;
    metricsTotal += value;
    requestsTotal += request;
    entities++;
  }
  if (requestsTotal === 0) return fail('no metrics returned matched known pods');
  const utilization = Math.trunc((metricsTotal * 100) / requestsTotal);
  return ok({
    usageRatio: utilization / targetUtilization,
    utilization,
    rawAverageMilli: Math.trunc(metricsTotal / entities),
  });
}

/** metricsclient.GetMetricUsageRatio: the average is an int64 division of milli-values. */
export function getMetricUsageRatio(
  metrics: ReadonlyMap<string, number>,
  targetMilli: number,
): { usageRatio: number; usageMilli: number } {
  let total = 0;
  for (const value of metrics.values()) total += value;
  const usageMilli = Math.trunc(total / metrics.size);
  return { usageRatio: usageMilli / targetMilli, usageMilli };
}

interface RebalanceInput {
  currentReplicas: number;
  readyPodCount: number;
  tolerances: Tolerances;
  usageRatio: number;
  metrics: Map<string, number>;
  groups: PodGroups;
  /** What a pod without a sample is assumed to use when scaling down. */
  scaleDownFillMilli: (podName: string) => number;
  recompute: (metrics: ReadonlyMap<string, number>) => Result<number>;
}

/**
 * The shared second half of GetResourceReplicas / calcPlainMetricReplicas: conservative fills for
 * missing and unready pods, and the guards that stop those fills from reversing the scale direction.
 */
function replicasWithFills(input: RebalanceInput): Result<number> {
  const { currentReplicas, usageRatio, metrics, groups, tolerances } = input;
  const scaleUpWithUnready = groups.unreadyPods.size > 0 && usageRatio > 1.0;
  if (!scaleUpWithUnready && groups.missingPods.size === 0) {
    if (isWithinTolerance(tolerances, usageRatio)) return ok(currentReplicas);
    return ok(Math.ceil(usageRatio * input.readyPodCount));
  }
  for (const podName of groups.missingPods) {
    if (usageRatio < 1.0) metrics.set(podName, input.scaleDownFillMilli(podName));
    else if (usageRatio > 1.0) metrics.set(podName, 0);
  }
  if (scaleUpWithUnready) for (const podName of groups.unreadyPods) metrics.set(podName, 0);

  const recomputed = input.recompute(metrics);
  if (!recomputed.ok) return recomputed;
  const newRatio = recomputed.value;
  const flipped = (usageRatio < 1.0 && newRatio > 1.0) || (usageRatio > 1.0 && newRatio < 1.0);
  if (isWithinTolerance(tolerances, newRatio) || flipped) return ok(currentReplicas);

  const newReplicas = Math.ceil(newRatio * metrics.size);
  const againstDirection =
    (newRatio < 1.0 && newReplicas > currentReplicas) || (newRatio > 1.0 && newReplicas < currentReplicas);
  return ok(againstDirection ? currentReplicas : newReplicas);
}

function withoutPods(metrics: ReadonlyMap<string, PodMetricSample>, groups: PodGroups): Map<string, number> {
  const kept = new Map<string, number>();
  for (const [podName, sample] of metrics) {
    if (groups.ignoredPods.has(podName) || groups.unreadyPods.has(podName)) continue;
    kept.set(podName, sample.valueMilli);
  }
  return kept;
}

export interface ResourceReplicasInput {
  currentReplicas: number;
  /** Target utilisation in percent of the request (averageUtilization). */
  targetUtilization: number;
  resource: string;
  /** ContainerResource metrics: only this container's request counts. */
  container: string | null;
  tolerances: Tolerances;
  pods: readonly CalcPod[];
  /** The resource metrics API's answer (metrics-server), by pod name. */
  metrics: ReadonlyMap<string, PodMetricSample>;
  timing: ReadinessTiming;
  podLevelResourcesEnabled?: boolean;
}

export interface ResourceReplicas {
  replicas: number;
  /** Reported in status: always the first-pass values, before fills. */
  utilization: number;
  rawAverageMilli: number;
}

/** GetResourceReplicas: Resource / ContainerResource metrics with an averageUtilization target. */
export function getResourceReplicas(input: ResourceReplicasInput): Result<ResourceReplicas> {
  const { resource, metrics: apiMetrics, pods } = input;
  if (apiMetrics.size === 0) {
    return fail(
      `unable to get metrics for resource ${resource}: no metrics returned from resource metrics API`,
    );
  }
  if (pods.length === 0) return fail('no pods returned by selector while calculating replica count');
  const groups = groupPods(pods, apiMetrics, resource, input.timing);
  const metrics = withoutPods(apiMetrics, groups);
  if (metrics.size === 0) return fail('did not receive metrics for targeted pods (pods might be unready)');

  const requestPods = pods.map(asRequestPod);
  const requests = calculateRequests(requestPods, input.container, resource, input.podLevelResourcesEnabled);
  if (!requests.ok) return requests;
  const first = getResourceUtilizationRatio(metrics, requests.value, input.targetUtilization);
  if (!first.ok) return first;
  const { usageRatio, utilization, rawAverageMilli } = first.value;

  // Scale-down fill: the pod is assumed busy (100 % of its request, or the target when that is higher).
  const fallbackPercent = Math.max(100, input.targetUtilization);
  const replicas = replicasWithFills({
    currentReplicas: input.currentReplicas,
    readyPodCount: groups.readyPodCount,
    tolerances: input.tolerances,
    usageRatio,
    metrics,
    groups,
    scaleDownFillMilli: (podName) => Math.trunc(((requests.value.get(podName) ?? 0) * fallbackPercent) / 100),
    recompute: (filled) => {
      const again = getResourceUtilizationRatio(filled, requests.value, input.targetUtilization);
      return again.ok ? ok(again.value.usageRatio) : again;
    },
  });
  return replicas.ok ? ok({ replicas: replicas.value, utilization, rawAverageMilli }) : replicas;
}

function asRequestPod(pod: CalcPod): RequestPod {
  return {
    name: pod.name,
    containers: pod.containers ?? [],
    initContainers: pod.initContainers ?? [],
    podLevelRequestMilli: pod.podLevelRequestMilli ?? null,
  };
}

export interface PlainMetricReplicasInput {
  currentReplicas: number;
  targetAverageMilli: number;
  /** 'cpu' turns on the CPU readiness rules (Resource metric with an AverageValue target); null for Pods metrics. */
  resource: string | null;
  tolerances: Tolerances;
  pods: readonly CalcPod[];
  metrics: ReadonlyMap<string, PodMetricSample>;
  timing: ReadinessTiming;
}

/** calcPlainMetricReplicas: Pods metrics and Resource metrics with an averageValue target. */
export function getPlainMetricReplicas(
  input: PlainMetricReplicasInput,
): Result<{ replicas: number; usageMilli: number }> {
  if (input.pods.length === 0) return fail('no pods returned by selector while calculating replica count');
  const groups = groupPods(input.pods, input.metrics, input.resource, input.timing);
  const metrics = withoutPods(input.metrics, groups);
  if (metrics.size === 0) return fail('did not receive metrics for targeted pods (pods might be unready)');

  const { usageRatio, usageMilli } = getMetricUsageRatio(metrics, input.targetAverageMilli);
  const replicas = replicasWithFills({
    currentReplicas: input.currentReplicas,
    readyPodCount: groups.readyPodCount,
    tolerances: input.tolerances,
    usageRatio,
    metrics,
    groups,
    // Scale-down fill for plain metrics: exactly at target.
    scaleDownFillMilli: () => input.targetAverageMilli,
    recompute: (filled) => ok(getMetricUsageRatio(filled, input.targetAverageMilli).usageRatio),
  });
  return replicas.ok ? ok({ replicas: replicas.value, usageMilli }) : replicas;
}
