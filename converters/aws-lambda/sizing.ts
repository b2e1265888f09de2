import type { WorkloadReport } from '../../analyzers/report.ts';
import { SCALING_LIMITS } from '../../core/limits/scaling.ts';
import { TARGET_LIMITS } from '../../core/limits/targets.ts';
import { formatSource, type SourceRef } from '../../core/model/index.ts';
import { mainContainers } from '../common/environment.ts';

/**
 * Numbers of the Lambda function derived from the pod, each with the sentence that says where it came
 * from. Limits come from core/limits/targets.ts (platform-facts.md e.1), never from literals here.
 */
const LIMITS = TARGET_LIMITS['aws-lambda'];
const MiB = 2 ** 20;
export const MIN_MEMORY_MB = 128;
export const MAX_MEMORY_MB = LIMITS.maxMemoryBytes / MiB;
export const MB_PER_VCPU = LIMITS.memoryPerVcpuBytes! / MiB;
/** /tmp Lambda gives without EphemeralStorage, and the most it can be (platform-facts.md e.1). */
export const DEFAULT_TMP_MB = 512;
export const MAX_TMP_MB = LIMITS.maxScratchBytes! / MiB;
export const INIT_LIMIT_SECONDS = LIMITS.initTimeoutSeconds!;
const FACTS = 'platform-facts.md e.1';

export interface Derived<T> {
  value: T;
  source: string;
  notes: string[];
}

const at = (source: SourceRef | null | undefined) => (source ? ` (${formatSource(source)})` : '');
const n = (value: number) => value.toLocaleString('en-US');

/**
 * MemorySize: Lambda gives CPU in proportion to memory (1,769 MB = 1 vCPU), so the function needs the
 * larger of the pod's memory request and its CPU request × 1,769 MB, within 128–10,240 MB.
 */
export function memorySize(workload: WorkloadReport): Derived<number> {
  const mains = mainContainers(workload);
  const where = at(mains[0]?.source ?? workload.sources[0]);
  const limitOf = (key: 'memoryBytes' | 'cpuMillis') => {
    const values = mains
      .map((container) => container.limits[key])
      .filter((value): value is number => value !== null);
    return values.length ? values.reduce((a, b) => a + b, 0) : null;
  };
  // Kubernetes takes the limit as the request when only a limit is set.
  const memoryBytes = workload.resources.memoryBytes ?? limitOf('memoryBytes');
  const cpuMillis = workload.resources.cpuMillis ?? limitOf('cpuMillis');
  const memoryWord = workload.resources.memoryBytes !== null ? 'memory request' : 'memory limit (no request)';
  const cpuWord = workload.resources.cpuMillis !== null ? 'CPU request' : 'CPU limit (no request)';
  const notes: string[] = [];
  if (memoryBytes === null && cpuMillis === null) {
    return {
      value: Math.round(MB_PER_VCPU),
      source: `default: the pod requests neither CPU nor memory${where}; one vCPU's worth (${n(MB_PER_VCPU)} MB, ${FACTS}) instead of Lambda's 128 MB default, which is too small for model serving`,
      notes: [
        'MemorySize is a default (the pod requests no CPU or memory): measure the function and adjust it.',
      ],
    };
  }
  const memoryMb = memoryBytes === null ? null : Math.ceil(memoryBytes / MiB);
  const cpuMb = cpuMillis === null ? null : Math.ceil((cpuMillis / 1000) * MB_PER_VCPU);
  const wanted = Math.max(memoryMb ?? 0, cpuMb ?? 0);
  const value = Math.min(MAX_MEMORY_MB, Math.max(MIN_MEMORY_MB, wanted));
  const parts = [
    memoryMb === null ? null : `${memoryWord} ${n(memoryMb)} MB`,
    cpuMb === null
      ? null
      : `${cpuWord} ${cpuMillis! / 1000} vCPU × ${n(MB_PER_VCPU)} MB per vCPU = ${n(cpuMb)} MB`,
  ].filter(Boolean);
  let source = `${parts.length > 1 ? 'larger of ' : ''}${parts.join(' and ')}${where}; Lambda gives 1 vCPU per ${n(MB_PER_VCPU)} MB (${FACTS})`;
  if (wanted > MAX_MEMORY_MB) {
    const short =
      cpuMb !== null && cpuMb > MAX_MEMORY_MB
        ? `CPU (${LIMITS.labels.cpu} instead of ${cpuMillis! / 1000} vCPU)`
        : 'memory';
    source += `; clamped to the ${LIMITS.labels.memory} maximum`;
    notes.push(
      `MemorySize is clamped to ${LIMITS.labels.memory}: the pod asks for ${n(wanted)} MB worth, so the function gets less ${short} than the pod. Load-test it before moving traffic.`,
    );
  } else if (wanted < MIN_MEMORY_MB) source += `; raised to Lambda's ${MIN_MEMORY_MB} MB minimum`;
  const memoryLimit = limitOf('memoryBytes');
  if (
    memoryLimit !== null &&
    memoryBytes !== null &&
    memoryLimit > memoryBytes &&
    Math.ceil(memoryLimit / MiB) > value
  )
    notes.push(
      `The pod may grow to its memory limit of ${n(Math.ceil(memoryLimit / MiB))} MB${where}; Lambda's MemorySize (${n(value)} MB, sized from the request) is a hard cap: raise it if the server uses more than its request.`,
    );
  return { value, source, notes };
}

/** The time the pod is allowed to become ready: a start-up probe's budget, else a probe's initial delay. */
export function startupAllowance(workload: WorkloadReport): { seconds: number; source: string } | null {
  const main = mainContainers(workload)[0];
  if (!main) return null;
  const { startup, readiness, liveness } = main.probes;
  if (startup) {
    const seconds = startup.initialDelaySeconds + startup.periodSeconds * startup.failureThreshold;
    return {
      seconds,
      source: `startupProbe allows ${startup.initialDelaySeconds} s + ${startup.failureThreshold} × ${startup.periodSeconds} s = ${seconds} s${at(startup.source)}`,
    };
  }
  const delayed = [readiness, liveness].filter((probe) => probe !== null && probe.initialDelaySeconds > 0);
  if (delayed.length === 0) return null;
  const probe = delayed.reduce((a, b) => (b!.initialDelaySeconds > a!.initialDelaySeconds ? b : a))!;
  return {
    seconds: probe.initialDelaySeconds,
    source: `probe initialDelaySeconds ${probe.initialDelaySeconds} s${at(probe.source)}`,
  };
}

/**
 * Timeout: the request timeout the serving layer had, plus the start-up allowance when that exceeds
 * the 10-s Init limit, because Lambda then retries Init inside the first invocation's timeout
 * (platform-facts.md e.1). No request timeout at all: Kubernetes imposed none, so Lambda's maximum.
 */
export function timeout(workload: WorkloadReport): Derived<number> {
  const max = LIMITS.maxTimeoutSeconds;
  const startup = startupAllowance(workload);
  const request = workload.serving.timeoutSeconds;
  const notes: string[] = [];
  if (request === null) {
    return {
      value: max,
      source: `no request timeout in the manifests (Kubernetes imposes none), so Lambda's maximum, ${LIMITS.labels.timeout} (${FACTS}); lower it to the p99 latency with a margin`,
      notes,
    };
  }
  const requestFrom = `request timeout ${request} s${servingFrom(workload, 'timeout')}`;
  const coldStart = startup && startup.seconds > INIT_LIMIT_SECONDS ? startup : null;
  const wanted = request + (coldStart?.seconds ?? 0);
  const value = Math.min(max, Math.max(1, Math.ceil(wanted)));
  let source = coldStart
    ? `${requestFrom} + start-up allowance ${coldStart.seconds} s (${coldStart.source}): Init beyond ${INIT_LIMIT_SECONDS} s is retried inside the first invocation's timeout (${FACTS})`
    : requestFrom;
  if (wanted > max) {
    source += `; clamped to Lambda's maximum ${LIMITS.labels.timeout}`;
    notes.push(
      `Timeout is clamped to ${max} s: a cold start (up to ${coldStart?.seconds ?? 0} s) plus a ${request}-s request may not fit; keep provisioned concurrency so requests rarely meet a cold start.`,
    );
  }
  return { value, source, notes };
}

/**
 * Where a serving value was read. The analysis keeps one source for the whole serving block, which may
 * point at another field (an SLO annotation): cite it only when it names this field, else the object.
 */
function servingFrom(workload: WorkloadReport, field: 'timeout' | 'concurrency'): string {
  const source = workload.serving.source;
  if (source?.field?.toLowerCase().includes(field)) return at(source);
  const name = field === 'timeout' ? 'timeoutSeconds' : 'containerConcurrency';
  const origin = workload.sources[0];
  return origin
    ? ` (serving.${name} as the analysis read it from the ${workload.kind} at ${origin.file}:${origin.line})`
    : ` (serving.${name} in the analysis)`;
}

/** The most pods the cluster runs, and the requests each takes at once: the cluster's top capacity. */
export function reservedConcurrency(workload: WorkloadReport): Derived<number | null> {
  const scaling = workload.autoscaling;
  const pods =
    scaling.kind !== 'none' && scaling.maxReplicas !== null
      ? {
          count: scaling.maxReplicas,
          from: `${scaling.kind} maximum ${scaling.maxReplicas} replicas${at(scaling.source)}`,
        }
      : scaling.kind === 'none' && workload.replicas !== null && workload.replicas > 0
        ? {
            count: workload.replicas,
            from: `replicas: ${workload.replicas}, no autoscaler${at(workload.sources[0])}`,
          }
        : null;
  const declared = workload.serving.containerConcurrency;
  const metric = scaling.metrics.find((entry) => entry.type === 'concurrency' && entry.target !== null);
  const perPod =
    declared !== null && declared > 0
      ? { count: declared, from: `containerConcurrency ${declared}${servingFrom(workload, 'concurrency')}` }
      : metric?.target
        ? {
            count: metric.target.value,
            from: `concurrency target ${metric.target.value} per pod${at(metric.source)} (a target, not a hard limit)`,
          }
        : null;
  if (!pods || !perPod) {
    const missing = !pods ? "the cluster's maximum replicas" : 'the requests one pod serves at once';
    return {
      value: null,
      source: '',
      notes: [
        `ReservedConcurrentExecutions is not set: ${missing} is not declared in the manifests, so the cluster's top capacity is unknown. Set it to max replicas × requests per pod to cap the function (and protect what it calls) the way the cluster was capped.`,
      ],
    };
  }
  const value = pods.count * perPod.count;
  const quota = SCALING_LIMITS['aws-lambda'].defaultMaxInstances;
  const notes =
    value > quota
      ? [
          `ReservedConcurrentExecutions ${n(value)} is above the default account concurrency (${SCALING_LIMITS['aws-lambda'].sources.maxInstances}): request a quota increase first.`,
        ]
      : [];
  return {
    value,
    source: `the cluster's top capacity: ${pods.from} × ${perPod.from} = ${n(value)} requests at once; Lambda serves one request per execution environment (${FACTS})`,
    notes,
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
