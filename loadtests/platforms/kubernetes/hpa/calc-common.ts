/**
 * Types and helpers shared by the replica calculator's files (kubernetes/kubernetes
 * pkg/controller/podautoscaler/replica_calculator.go, omerap12/kubernetes@a769d588).
 */

/** math.MaxInt32: replica counts saturate here (replica_calculator.go overflow guards). */
export const MAX_INT32 = 2_147_483_647;
/** float64(math.MaxInt64): the saturation point of summed milli-values. */
export const MAX_INT64 = 2 ** 63;
/** Go's zero time.Time as Unix seconds: unset timestamps (e.g. a metric sample without a timestamp). */
export const GO_ZERO_TIME_SECONDS = -62_135_596_800;

export type PodPhase = 'Pending' | 'Running' | 'Failed' | 'Succeeded';

/** Usage-ratio tolerances; HPAConfigurableTolerance (k8s 1.33, platform-facts a.3) lets each side differ. */
export interface Tolerances {
  scaleDown: number;
  scaleUp: number;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: string };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = <T>(error: string): Result<T> => ({ ok: false, error });

export function isWithinTolerance(tolerances: Tolerances, usageRatio: number): boolean {
  return 1.0 - tolerances.scaleDown <= usageRatio && usageRatio <= 1.0 + tolerances.scaleUp;
}
