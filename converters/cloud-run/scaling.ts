import type { WorkloadReport } from '../../analyzers/report.ts';
import { SCALING_LIMITS } from '../../core/limits/scaling.ts';
import { DEFAULT_CONCURRENCY, FACTS, LIMITS, MAX_CONCURRENCY } from './limits.ts';
import { at } from './resources.ts';

/**
 * How the service scales and how long a request may run: containerConcurrency, timeoutSeconds,
 * maxScale, and the cluster's minimum that warm capacity starts from. Each value comes with the
 * sentence that says where it was read.
 */
export interface Derived<T> {
  value: T;
  source: string;
  notes: string[];
}

/**
 * Where a serving value was read. The analysis keeps one source for the serving block, which may point
 * at another field (an SLO annotation): cite it only when it names this field, else the object.
 */
export function servingFrom(workload: WorkloadReport, field: 'timeout' | 'concurrency'): string {
  const source = workload.serving.source;
  if (source?.field?.toLowerCase().includes(field)) return at(source);
  const name = field === 'timeout' ? 'timeoutSeconds' : 'containerConcurrency';
  const origin = workload.sources[0];
  return origin
    ? ` (serving.${name} as the analysis read it from the ${workload.kind} at ${origin.file}:${origin.line})`
    : ` (serving.${name} in the analysis)`;
}

/**
 * containerConcurrency: the requests one replica took at once (KServe/Knative containerConcurrency),
 * else Cloud Run's default of 80 — set explicitly because newer gcloud versions pick 80 × vCPUs at
 * creation. Below one vCPU Cloud Run allows only 1; the caller decides whether to raise the CPU instead.
 */
export function concurrency(workload: WorkloadReport): Derived<number> & { declared: boolean } {
  const declared = workload.serving.containerConcurrency;
  if (declared !== null && declared > 0) {
    const value = Math.min(declared, MAX_CONCURRENCY);
    const from = `containerConcurrency ${declared}${servingFrom(workload, 'concurrency')}`;
    return {
      value,
      declared: true,
      source:
        value < declared ? `${from}, clamped to Cloud Run's maximum ${MAX_CONCURRENCY} (${FACTS})` : from,
      notes:
        value < declared
          ? [
              `containerConcurrency is clamped to ${MAX_CONCURRENCY}: the pod took ${declared} requests at once.`,
            ]
          : [],
    };
  }
  return {
    value: DEFAULT_CONCURRENCY,
    declared: false,
    source: `default: the manifests declare no per-replica concurrency; Cloud Run's default ${DEFAULT_CONCURRENCY} (${FACTS}), written out because newer gcloud versions default to 80 × vCPUs at creation. Load-test and lower it if one instance cannot serve that many requests at once`,
    notes: [],
  };
}

/** timeoutSeconds: the serving layer's request timeout, at most 3,600 s; none declared: the maximum. */
export function requestTimeout(workload: WorkloadReport): Derived<number> {
  const max = LIMITS.maxTimeoutSeconds;
  const request = workload.serving.timeoutSeconds;
  if (request === null)
    return {
      value: max,
      source: `no request timeout in the manifests (Kubernetes imposes none), so Cloud Run's maximum, ${LIMITS.labels.timeout} (${FACTS}; its default is 300 s); lower it to the p99 latency with a margin`,
      notes: [],
    };
  const from = `request timeout ${request} s${servingFrom(workload, 'timeout')}`;
  if (request > max)
    return {
      value: max,
      source: `${from}, clamped to Cloud Run's maximum ${LIMITS.labels.timeout} (${FACTS})`,
      notes: [
        `timeoutSeconds is clamped to ${max} s: requests of up to ${request} s would be cut off; make the longest ones asynchronous.`,
      ],
    };
  return {
    value: Math.max(1, Math.ceil(request)),
    source: `${from}; Cloud Run allows up to ${LIMITS.labels.timeout} (${FACTS})`,
    notes: [],
  };
}

/**
 * maxScale: the most replicas the cluster ran (the autoscaler's maximum, or the fixed replica count),
 * so the service cannot take more capacity — or send more load downstream — than the cluster did.
 */
export function maxScale(workload: WorkloadReport): Derived<number | null> {
  const scaling = workload.autoscaling;
  if (scaling.kind !== 'none' && scaling.maxReplicas !== null && scaling.maxReplicas > 0)
    return {
      value: scaling.maxReplicas,
      source: `${scaling.kind} maximum ${scaling.maxReplicas} replicas${at(scaling.source)}`,
      notes: [],
    };
  if (scaling.kind === 'none' && workload.replicas !== null && workload.replicas > 0)
    return {
      value: workload.replicas,
      source: `replicas: ${workload.replicas}, no autoscaler${at(workload.sources[0])}: the cluster never ran more`,
      notes: [],
    };
  return {
    value: null,
    source: '',
    notes: [
      `maxScale is not set: the manifests declare no maximum replica count, so Cloud Run's default applies (${SCALING_LIMITS['cloud-run'].sources.maxInstances}). Set autoscaling.knative.dev/maxScale to cap the service the way the cluster was capped.`,
    ],
  };
}

/** Replicas the cluster keeps running at the least: what "warm" meant before the move. */
export function clusterMinReplicas(workload: WorkloadReport): { count: number | null; from: string } {
  const scaling = workload.autoscaling;
  if (workload.serving.scaleToZero)
    return { count: 0, from: `scales to zero${at(scaling.source ?? workload.serving.source)}` };
  if (scaling.kind !== 'none')
    return {
      count: scaling.minReplicas ?? 1,
      from: `${scaling.kind} minimum ${scaling.minReplicas ?? 1}${scaling.minReplicas === null ? ' (default)' : ''}${at(scaling.source)}`,
    };
  return {
    count: workload.replicas,
    from: `replicas: ${workload.replicas ?? 'unset'}${at(workload.sources[0])}`,
  };
}
