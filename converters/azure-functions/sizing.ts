import type { WorkloadReport } from '../../analyzers/report.ts';
import {
  AZURE_FLEX_MAX_CPU_MILLIS,
  AZURE_FLEX_MAX_MEMORY_BYTES,
  TARGET_LIMITS,
} from '../../core/limits/targets.ts';
import { formatSource, type SourceRef } from '../../core/model/index.ts';
import { mainContainers } from '../common/environment.ts';

/**
 * Numbers of the function app derived from the pod, each with the sentence that says where it came
 * from: the hosting plan and its instance size, functionTimeout, per-instance concurrency and the most
 * instances. Plan limits come from core/limits/targets.ts (platform-facts.md g), not literals, except
 * the Flex instance sizes and scale bounds, which that module does not list one by one.
 */
const LIMITS = TARGET_LIMITS['azure-functions'];
const MiB = 2 ** 20;
export const FACTS = 'platform-facts.md g';

/** Flex Consumption instance sizes (platform-facts.md g: 512 MB / 0.25 cores, 2,048 MB / 1 core default, 4,096 MB / 2 cores). */
export const FLEX_SIZES = [
  { memoryMb: 512, cpuMillis: 250, label: '512 MB, 0.25 cores' },
  { memoryMb: 2_048, cpuMillis: 1_000, label: '2,048 MB, 1 core' },
  {
    memoryMb: AZURE_FLEX_MAX_MEMORY_BYTES / MiB,
    cpuMillis: AZURE_FLEX_MAX_CPU_MILLIS,
    label: '4,096 MB, 2 cores',
  },
] as const;
export const FLEX_DEFAULT_MB = 2_048;
/** platform-facts.md g: Flex scales to 1,000 instances; the lowest maximum it accepts is 40. */
export const FLEX_MAX_INSTANCES = 1_000;
export const FLEX_MIN_MAXIMUM = 40;
/** platform-facts.md g: regional quota 250 cores = 512,000 MB per subscription and region. */
export const FLEX_REGIONAL_QUOTA_MB = 512_000;

export type PremiumSku = 'EP1' | 'EP2' | 'EP3';
/** Premium EP1–EP3 from core/limits/targets.ts planTiers (GB read as 1,000 MB, as there). */
export const PREMIUM_SKUS = LIMITS.planTiers
  .filter((tier) => tier.name.startsWith('Premium EP'))
  .map((tier) => ({
    sku: tier.name.replace('Premium ', '') as PremiumSku,
    memoryMb: tier.maxMemoryBytes / MiB,
    cpuMillis: tier.maxCpuMillis!,
    label: tier.label,
    timeoutSeconds: tier.maxTimeoutSeconds!,
  }));

export type HostingPlan =
  | { kind: 'flex'; memoryMb: number; cpuMillis: number; label: string }
  | { kind: 'premium'; sku: PremiumSku; memoryMb: number; cpuMillis: number; label: string };

export interface Derived<T> {
  value: T;
  source: string;
  notes: string[];
}

const at = (source: SourceRef | null | undefined) => (source ? ` (${formatSource(source)})` : '');
export const n = (value: number) => value.toLocaleString('en-US');
const cores = (millis: number) => `${millis / 1000} core${millis === 1000 ? '' : 's'}`;

/**
 * The smallest instance that holds the pod: a Flex Consumption size if one does, else the smallest
 * Premium SKU, else null (above EP3, which the analysis blocks before the converter runs).
 */
export function choosePlan(memoryMb: number, cpuMillis: number): HostingPlan | null {
  const flex = FLEX_SIZES.find((size) => size.memoryMb >= memoryMb && size.cpuMillis >= cpuMillis);
  if (flex) return { kind: 'flex', ...flex };
  const premium = PREMIUM_SKUS.find((sku) => sku.memoryMb >= memoryMb && sku.cpuMillis >= cpuMillis);
  return premium
    ? {
        kind: 'premium',
        sku: premium.sku,
        memoryMb: premium.memoryMb,
        cpuMillis: premium.cpuMillis,
        label: premium.label,
      }
    : null;
}

/** What one replica asks for: the requests, or the limits where Kubernetes would take them as requests. */
export function podDemand(workload: WorkloadReport): {
  memoryMb: number | null;
  cpuMillis: number | null;
  words: string[];
  where: string;
} {
  const mains = mainContainers(workload);
  const limitOf = (key: 'memoryBytes' | 'cpuMillis') => {
    const values = mains.map((container) => container.limits[key]).filter((value) => value !== null);
    return values.length ? values.reduce((a, b) => a + b, 0) : null;
  };
  const memoryBytes = workload.resources.memoryBytes ?? limitOf('memoryBytes');
  const cpuMillis = workload.resources.cpuMillis ?? limitOf('cpuMillis');
  const memoryMb = memoryBytes === null ? null : Math.ceil(memoryBytes / MiB);
  const words = [
    memoryMb === null
      ? null
      : `${workload.resources.memoryBytes !== null ? 'memory request' : 'memory limit (no request)'} ${n(memoryMb)} MB`,
    cpuMillis === null
      ? null
      : `${workload.resources.cpuMillis !== null ? 'CPU request' : 'CPU limit (no request)'} ${cores(cpuMillis)}`,
  ].filter((word): word is string => word !== null);
  return { memoryMb, cpuMillis, words, where: at(mains[0]?.source ?? workload.sources[0]) };
}

const flexSizes = `instance sizes ${FLEX_SIZES.map((size) => size.label).join(' / ')}`;
const premiumSizes = PREMIUM_SKUS.map((sku) => `${sku.sku} ${sku.label}`).join(', ');

/** The hosting plan for the pod, or why none fits. */
export function hostingPlan(workload: WorkloadReport): Derived<HostingPlan> | { blocked: string } {
  const demand = podDemand(workload);
  if (demand.memoryMb === null && demand.cpuMillis === null) {
    const size = FLEX_SIZES.find((entry) => entry.memoryMb === FLEX_DEFAULT_MB)!;
    return {
      value: { kind: 'flex', ...size },
      source: `default: the pod requests neither CPU nor memory${demand.where}; Flex Consumption's default instance, ${size.label} (${FACTS})`,
      notes: [
        'The instance size is a default (the pod requests no CPU or memory): measure the app and adjust instanceMemoryMB.',
      ],
    };
  }
  const plan = choosePlan(demand.memoryMb ?? 0, demand.cpuMillis ?? 0);
  const asked = `${demand.words.join(' and ')}${demand.where}`;
  if (plan === null)
    return {
      blocked: `${asked} is above Premium EP3 (${PREMIUM_SKUS.at(-1)?.label}), the largest Azure Functions instance (${FACTS})`,
    };
  const notes = memoryLimitNotes(workload, plan, demand.where);
  if (plan.kind === 'flex')
    return {
      value: plan,
      source: `${asked}: the smallest Flex Consumption instance that holds it is ${plan.label} (${flexSizes}, ${FACTS})`,
      notes,
    };
  const largest = FLEX_SIZES.at(-1)!;
  return {
    value: plan,
    source: `${asked}: above Flex Consumption's largest instance (${largest.label}), so the Premium plan; ${plan.sku} (${plan.label}) is the smallest SKU that holds it (${premiumSizes}, ${FACTS})`,
    notes,
  };
}

function memoryLimitNotes(workload: WorkloadReport, plan: HostingPlan, where: string): string[] {
  const limits = mainContainers(workload)
    .map((container) => container.limits.memoryBytes)
    .filter((value) => value !== null);
  const limitMb = limits.length ? Math.ceil(limits.reduce((a, b) => a + b, 0) / MiB) : null;
  if (limitMb === null || limitMb <= plan.memoryMb) return [];
  return [
    `The pod may grow to its memory limit of ${n(limitMb)} MB${where}; the ${plan.kind === 'flex' ? 'Flex instance' : plan.sku} instance has ${n(plan.memoryMb)} MB (sized from the request): choose a larger size if the server uses more than its request.`,
  ];
}

/** host.json functionTimeout as HH:MM:SS (the schema's pattern allows up to 23:59:59). */
export function hhmmss(seconds: number): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${pad(Math.floor(seconds / 3600))}:${pad(Math.floor((seconds % 3600) / 60))}:${pad(seconds % 60)}`;
}

/** The longest run the plan allows, and where that limit comes from. */
export function planTimeoutLimit(plan: HostingPlan): { seconds: number; words: string } {
  if (plan.kind === 'premium') {
    const sku = PREMIUM_SKUS.find((entry) => entry.sku === plan.sku)!;
    return { seconds: sku.timeoutSeconds, words: `the Premium plan's guaranteed maximum, 60 min (${FACTS})` };
  }
  // platform-facts.md g does not give Flex's run-duration limit (core/limits/targets.ts: null).
  return {
    seconds: LIMITS.maxTimeoutSeconds,
    words: `60 min: Flex Consumption's limit is not in ${FACTS}, so the longest run the facts guarantee on any Azure Functions plan (Premium), which is also the analysis' limit`,
  };
}

/** functionTimeout: the request timeout the serving layer had, within the plan's limit. */
export function functionTimeout(workload: WorkloadReport, plan: HostingPlan): Derived<number> {
  const limit = planTimeoutLimit(plan);
  const request = workload.serving.timeoutSeconds;
  if (request === null)
    return {
      value: limit.seconds,
      source: `no request timeout in the manifests (Kubernetes imposes none), so the plan's limit: ${limit.words}; lower it to the p99 latency with a margin`,
      notes: [],
    };
  const wanted = Math.max(1, Math.ceil(request));
  const from = `request timeout ${n(request)} s${servingFrom(workload, 'timeout')}`;
  if (wanted <= limit.seconds) return { value: wanted, source: from, notes: [] };
  return {
    value: limit.seconds,
    source: `${from}; clamped to ${limit.words}`,
    notes: [
      `functionTimeout is clamped to ${hhmmss(limit.seconds)}: requests ran up to ${n(request)} s on the cluster and will be cut off; make long requests asynchronous (queue in, poll or callback out).`,
    ],
  };
}

/**
 * Requests one instance serves at once: the pod's declared limit (containerConcurrency, Ray
 * max_ongoing_requests). An autoscaler's target is not used: it is where scaling aims (often a
 * platform default), not what one pod can serve. Flex's per-instance HTTP concurrency defaults are
 * not in the facts (core/limits/targets.ts keeps them null), so without a declaration it is 1.
 */
export function perInstanceConcurrency(workload: WorkloadReport): Derived<number> & { declared: boolean } {
  const declared = workload.serving.containerConcurrency;
  if (declared !== null && declared > 0)
    return {
      value: declared,
      declared: true,
      source: `containerConcurrency ${declared}${servingFrom(workload, 'concurrency')}: each instance takes what one pod took`,
      notes: [],
    };
  return {
    value: 1,
    declared: false,
    source: `assumed: the workload declares no per-pod concurrency limit (an autoscaler's target is not one), and Flex's HTTP per-instance concurrency defaults are not in ${FACTS} (${LIMITS.sources.concurrency}); 1 request per instance, the conservative choice — raise it after a load test`,
    notes: [
      'Per-instance concurrency is an assumption (1): the manifests do not say how many requests one pod served at once. A load test tells; more per instance means fewer instances and fewer cold starts.',
    ],
  };
}

/** The most pods the cluster ran: the autoscaler's maximum, or the fixed replica count. */
export function clusterMaxPods(workload: WorkloadReport): { count: number; from: string } | null {
  const scaling = workload.autoscaling;
  if (scaling.kind !== 'none' && scaling.maxReplicas !== null)
    return {
      count: scaling.maxReplicas,
      from: `${scaling.kind} maximum ${scaling.maxReplicas} replicas${at(scaling.source)}`,
    };
  if (scaling.kind === 'none' && workload.replicas !== null && workload.replicas > 0)
    return {
      count: workload.replicas,
      from: `replicas: ${workload.replicas}, no autoscaler${at(workload.sources[0])}`,
    };
  return null;
}

/** Flex maximumInstanceCount: one instance per pod the cluster ran, within 40–1,000. */
export function flexMaximumInstances(workload: WorkloadReport, memoryMb: number): Derived<number> {
  const pods = clusterMaxPods(workload);
  const bounds = `Flex accepts ${FLEX_MIN_MAXIMUM}–${n(FLEX_MAX_INSTANCES)} (${FACTS})`;
  let value: number;
  let source: string;
  if (pods === null) {
    value = FLEX_MIN_MAXIMUM;
    source = `the cluster's maximum is not declared; ${FLEX_MIN_MAXIMUM}, the lowest maximum Flex accepts (${FACTS}; up to ${n(FLEX_MAX_INSTANCES)}): raise it after a load test`;
  } else {
    value = Math.min(FLEX_MAX_INSTANCES, Math.max(FLEX_MIN_MAXIMUM, pods.count));
    const adjusted =
      value === pods.count ? '' : value > pods.count ? `, raised to ${value}` : `, clamped to ${n(value)}`;
    source = `one instance per pod: ${pods.from}${adjusted}; ${bounds}`;
  }
  const notes =
    value * memoryMb > FLEX_REGIONAL_QUOTA_MB
      ? [
          `At ${n(value)} instances × ${n(memoryMb)} MB the app could use more than the regional quota of 250 cores (${n(FLEX_REGIONAL_QUOTA_MB)} MB) per subscription (${FACTS}): ask for a quota increase or lower maximumInstanceCount.`,
        ]
      : [];
  return { value, source, notes };
}

/**
 * Premium maximumElasticWorkerCount (burst): the cluster's maximum pods. Unknown: 20, the Linux
 * regional maximum older versions of the Premium docs give (platform-facts.md g), so the template does
 * not ask for more than Linux may allow.
 */
export function premiumMaximumWorkers(workload: WorkloadReport, minimum: number): Derived<number> {
  const pods = clusterMaxPods(workload);
  const linux = 20;
  if (pods === null)
    return {
      value: Math.max(linux, minimum),
      source: `the cluster's maximum is not declared; ${linux}, the Linux regional maximum in older versions of the Premium docs (Premium's default is 100, ${FACTS}): set it to what the app may burst to`,
      notes: [],
    };
  const value = Math.max(pods.count, minimum);
  return {
    value,
    source: `${pods.from}${value > pods.count ? `, raised to the ${minimum} always-ready instances` : ''}: the burst ceiling above the always-ready instances`,
    notes:
      value > linux
        ? [
            `maximumElasticWorkerCount ${value} is above the ${linux} Linux instances older Premium docs give as a regional maximum (${FACTS}): check your region's limit.`,
          ]
        : [],
  };
}

/**
 * Where a serving value was read. The analysis keeps one source for the serving block, which may
 * point at another field: cite it only when it names this field, else the object.
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
