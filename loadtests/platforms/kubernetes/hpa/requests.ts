/**
 * calculateRequests from kubernetes/kubernetes pkg/controller/podautoscaler/replica_calculator.go
 * (omerap12/kubernetes@a769d588): the per-pod request a Resource utilisation is measured against.
 * Checked by the `calculateRequests` cases of ../shared/vectors/hpa-replica-calculator.json.
 */

import type { Result } from './calc-common.ts';

export interface ContainerRequest {
  name: string;
  /** Request of the resource in milli-units (millicores for cpu); null = the container sets none. */
  requestMilli: number | null;
}

export interface InitContainerRequest extends ContainerRequest {
  /** 'Always' marks a restartable ("sidecar") init container, which runs alongside the app. */
  restartPolicy: 'Always' | null;
}

export interface RequestPod {
  name: string;
  containers: readonly ContainerRequest[];
  initContainers: readonly InitContainerRequest[];
  /** spec.resources.requests (KEP-2837 pod-level resources); null when unset. */
  podLevelRequestMilli: number | null;
}

/**
 * One pod's request. A named container wins over pod-level requests; otherwise pod-level requests win
 * when the PodLevelResources gate is on and they are set; otherwise the sum over app containers and
 * sidecars, where a container without a request makes the utilisation undefined (an error).
 */
export function calculatePodRequest(
  pod: RequestPod,
  container: string | null,
  resource: string,
  podLevelResourcesEnabled = false,
): Result<number> {
  if (podLevelResourcesEnabled && pod.podLevelRequestMilli !== null && container === null) {
    return { ok: true, value: pod.podLevelRequestMilli };
  }
  const sidecars = pod.initContainers.filter((init) => init.restartPolicy === 'Always');
  let requestMilli = 0;
  for (const candidate of [...pod.containers, ...sidecars]) {
    if (container !== null && candidate.name !== container) continue;
    if (candidate.requestMilli === null) {
      return {
        ok: false,
        error: `missing request for ${resource} in container ${candidate.name} of Pod ${pod.name}`,
      };
    }
    requestMilli += candidate.requestMilli;
    // Container names are unique inside a pod.
    if (container !== null) return { ok: true, value: requestMilli };
  }
  if (container !== null) return { ok: false, error: `container ${container} not found in Pod ${pod.name}` };
  return { ok: true, value: requestMilli };
}

export function calculateRequests(
  pods: readonly RequestPod[],
  container: string | null,
  resource: string,
  podLevelResourcesEnabled = false,
): Result<Map<string, number>> {
  const requests = new Map<string, number>();
  for (const pod of pods) {
    const request = calculatePodRequest(pod, container, resource, podLevelResourcesEnabled);
    if (!request.ok) return request;
    requests.set(pod.name, request.value);
  }
  return { ok: true, value: requests };
}
