/**
 * Object and External metrics: one value for the whole workload, from kubernetes/kubernetes
 * pkg/controller/podautoscaler/replica_calculator.go (omerap12/kubernetes@a769d588): GetObjectMetricReplicas,
 * GetObjectPerPodMetricReplicas, GetExternalMetricReplicas, GetExternalPerPodMetricReplicas, getPerPodUsage.
 * Checked by the object, external and perPodUsage cases of ../shared/vectors/hpa-replica-calculator.json.
 */

import {
  fail,
  isWithinTolerance,
  MAX_INT32,
  MAX_INT64,
  ok,
  type PodPhase,
  type Result,
  type Tolerances,
} from './calc-common.ts';

/** A pod as the Object/External paths see it: only Running + Ready pods count. */
export interface PhasePod {
  phase: PodPhase;
  ready: boolean;
}

function readyPodsCount(pods: readonly PhasePod[]): Result<number> {
  if (pods.length === 0) return fail('no pods returned by selector while calculating replica count');
  return ok(pods.filter((pod) => pod.phase === 'Running' && pod.ready).length);
}

/**
 * getUsageRatioReplicaCount. With currentReplicas 0 neither tolerance nor ready pods apply, so an
 * Object/External metric can scale a workload up from zero.
 */
export function getUsageRatioReplicaCount(
  currentReplicas: number,
  usageRatio: number,
  tolerances: Tolerances,
  pods: readonly PhasePod[],
): Result<number> {
  if (currentReplicas === 0) return ok(Math.ceil(usageRatio));
  if (isWithinTolerance(tolerances, usageRatio)) return ok(currentReplicas);
  const ready = readyPodsCount(pods);
  if (!ready.ok) return fail(`unable to calculate ready pods: ${ready.error}`);
  const replicas = usageRatio * ready.value;
  return ok(replicas > MAX_INT32 ? MAX_INT32 : Math.ceil(replicas));
}

export interface ValueMetricInput {
  currentReplicas: number;
  targetMilli: number;
  tolerances: Tolerances;
  pods: readonly PhasePod[];
}

/** GetObjectMetricReplicas: an Object metric with a Value target. */
export function getObjectMetricReplicas(
  input: ValueMetricInput & { usageMilli: number },
): Result<{ replicas: number; usageMilli: number }> {
  const usageRatio = input.usageMilli / input.targetMilli;
  const replicas = getUsageRatioReplicaCount(input.currentReplicas, usageRatio, input.tolerances, input.pods);
  return replicas.ok ? ok({ replicas: replicas.value, usageMilli: input.usageMilli }) : replicas;
}

/** Sum of external samples, saturating at MaxInt64 instead of wrapping. */
export function sumSaturating(samplesMilli: readonly number[]): number {
  let usage = 0;
  for (const value of samplesMilli) {
    if (value > 0 && usage > MAX_INT64 - value) return MAX_INT64;
    usage += value;
  }
  return Math.min(usage, MAX_INT64);
}

/** GetExternalMetricReplicas: an External metric with a Value target (samples are summed). */
export function getExternalMetricReplicas(
  input: ValueMetricInput & { samplesMilli: readonly number[] },
): Result<{ replicas: number; usageMilli: number }> {
  return getObjectMetricReplicas({ ...input, usageMilli: sumSaturating(input.samplesMilli) });
}

/** getPerPodUsage: ceil(usage / replicas), 0 for no replicas, MaxInt64 when usage already saturated. */
export function getPerPodUsage(usageMilli: number, statusReplicas: number): number {
  if (usageMilli >= MAX_INT64) return MAX_INT64;
  if (statusReplicas === 0) return 0;
  return Math.ceil(usageMilli / statusReplicas);
}

export interface AverageValueMetricInput {
  /** scale.status.replicas (pods that exist), not spec.replicas. */
  statusReplicas: number;
  targetAverageMilli: number;
  tolerances: Tolerances;
}

/** GetObjectPerPodMetricReplicas / GetExternalPerPodMetricReplicas: AverageValue targets ignore readiness. */
export function getAverageValueMetricReplicas(input: AverageValueMetricInput & { usageMilli: number }): {
  replicas: number;
  usageMilli: number;
} {
  const { statusReplicas, targetAverageMilli, usageMilli } = input;
  const usageRatio = usageMilli / (targetAverageMilli * statusReplicas);
  let replicas = statusReplicas;
  if (!isWithinTolerance(input.tolerances, usageRatio)) {
    const proposed = Math.ceil(usageMilli / targetAverageMilli);
    replicas = Math.min(proposed, MAX_INT32);
  }
  return { replicas, usageMilli: getPerPodUsage(usageMilli, statusReplicas) };
}

export function getExternalPerPodMetricReplicas(
  input: AverageValueMetricInput & { samplesMilli: readonly number[] },
): { replicas: number; usageMilli: number } {
  return getAverageValueMetricReplicas({ ...input, usageMilli: sumSaturating(input.samplesMilli) });
}
