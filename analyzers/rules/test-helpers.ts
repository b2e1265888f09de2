import { SCALING_LIMITS } from '../../core/limits/scaling.ts';
import { TARGET_LIMITS, type TargetLimits } from '../../core/limits/targets.ts';
import type {
  Container,
  GpuDemand,
  PodTemplate,
  RelatedObject,
  SourceRef,
  TargetId,
  Workload,
} from '../../core/model/index.ts';
import type { TrafficProfile } from '../../core/traffic/index.ts';
import type { RuleContext } from './types.ts';

/** Builders for rule tests: a minimal valid workload, container and context, with overrides. */

export const FILE = 'manifests/app.yaml';

export function src(line: number, field?: string): SourceRef {
  return field ? { file: FILE, line, field } : { file: FILE, line };
}

export function noGpu(): GpuDemand {
  return { count: 0, resource: null, model: null, evidence: [], source: null };
}

export function container(overrides: Partial<Container> = {}): Container {
  return {
    name: 'server',
    image: 'example.com/app:1.0',
    role: 'main',
    command: [],
    args: [],
    ports: [],
    env: [],
    envFrom: [],
    requests: { cpuMillis: null, memoryBytes: null },
    limits: { cpuMillis: null, memoryBytes: null },
    gpu: noGpu(),
    probes: { readiness: null, liveness: null, startup: null },
    volumeMounts: [],
    privileged: false,
    source: src(20, 'spec.template.spec.containers.0'),
    ...overrides,
  };
}

export function pod(overrides: Partial<PodTemplate> = {}): PodTemplate {
  return {
    containers: [container()],
    volumes: [],
    nodeSelector: {},
    tolerations: [],
    hostNetwork: false,
    hostPID: false,
    labels: {},
    serviceAccountName: null,
    terminationGracePeriodSeconds: null,
    ...overrides,
  };
}

type Overrides = {
  [K in keyof Workload]?: Workload[K] extends unknown[] | string | number | null
    ? Workload[K]
    : Partial<Workload[K]>;
};

/** A CPU-only Deployment that is no model server and triggers nothing; nested objects merge one level deep. */
export function workload(overrides: Overrides = {}): Workload {
  const base: Workload = {
    id: 'default/Deployment/app',
    kind: 'Deployment',
    apiVersion: 'apps/v1',
    namespace: 'default',
    name: 'app',
    sources: [src(1)],
    replicas: 1,
    resources: { cpuMillis: 500, memoryBytes: 512 * 2 ** 20, gpu: noGpu() },
    pod: pod(),
    components: [],
    ml: {
      isModelServer: false,
      server: null,
      serverEvidence: null,
      model: null,
      tensorParallel: null,
      multiHost: false,
      runtime: null,
    },
    autoscaling: {
      kind: 'none',
      by: null,
      minReplicas: null,
      maxReplicas: null,
      metrics: [],
      behavior: null,
      settings: {},
      source: null,
    },
    serving: {
      containerConcurrency: null,
      timeoutSeconds: null,
      scaleToZero: false,
      sessionAffinity: false,
      sloMs: null,
      source: null,
    },
    state: { statefulSet: false, writablePvcs: [] },
    annotations: {},
    labels: {},
    related: [],
    notes: [],
  };
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(overrides)) {
    const current = merged[key];
    const isObject = (item: unknown) => item !== null && typeof item === 'object' && !Array.isArray(item);
    merged[key] =
      isObject(current) && isObject(value) ? { ...(current as object), ...(value as object) } : value;
  }
  return merged as unknown as Workload;
}

/** A model server with a known model and a 1-vCPU / 2 GiB replica. */
export function modelServer(overrides: Overrides = {}): Workload {
  return workload({
    resources: { cpuMillis: 1_000, memoryBytes: 2 * 2 ** 30, gpu: noGpu() },
    ...overrides,
    ml: {
      isModelServer: true,
      server: 'vllm',
      serverEvidence: 'image vllm/vllm-openai',
      model: null,
      tensorParallel: null,
      multiHost: false,
      runtime: null,
      ...overrides.ml,
    },
  });
}

export function context(
  overrides: {
    sloMs?: number | null;
    related?: RelatedObject[];
    limits?: Partial<Record<TargetId, Partial<TargetLimits>>>;
    traffic?: Record<string, TrafficProfile>;
    serviceMs?: number | null;
  } = {},
): RuleContext {
  const limits = { ...TARGET_LIMITS };
  for (const [target, patch] of Object.entries(overrides.limits ?? {}) as [
    TargetId,
    Partial<TargetLimits>,
  ][]) {
    limits[target] = { ...limits[target], ...patch };
  }
  return {
    limits,
    sloMs: overrides.sloMs ?? null,
    related: new Map((overrides.related ?? []).map((related) => [related.id, related])),
    scaling: SCALING_LIMITS,
    traffic: new Map(Object.entries(overrides.traffic ?? {})),
    serviceMs: overrides.serviceMs ?? null,
  };
}

export const GiB = 2 ** 30;
export const MiB = 2 ** 20;
