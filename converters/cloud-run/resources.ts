import type { WorkloadReport } from '../../analyzers/report.ts';
import { formatSource, type SourceRef } from '../../core/model/index.ts';
import { mainContainers } from '../common/environment.ts';
import {
  CPU_TIERS,
  CPU_TIERS_SOURCE,
  type CpuTier,
  DEFAULT_CPU_MILLIS,
  DEFAULT_MEMORY_BYTES,
  FACTS,
  MIN_MEMORY_BYTES,
} from './limits.ts';

/**
 * The instance size: the pod's CPU and memory mapped onto the CPU/memory combinations Cloud Run allows,
 * rounding up to the nearest valid one. Cloud Run's limit is both what an instance gets and what it may
 * not exceed, so memory follows the pod's limit (Kubernetes kills a pod above it too) and CPU its
 * request (what Kubernetes guaranteed; a higher CPU limit was burst, which a fixed allocation does not model).
 */
const MiB = 2 ** 20;

/** What the instance must at least have, with the reason for each floor (a GPU, a billing mode). */
export interface InstanceRequest {
  cpuMillis: number;
  memoryBytes: number;
  minCpuMillis: number;
  minCpuWhy: string | null;
  minMemoryBytes: number;
  minMemoryWhy: string | null;
}

export interface InstanceSize {
  cpuMillis: number;
  memoryBytes: number;
  tier: CpuTier;
  /** Why the CPU is above the request, or null when it is the request. */
  cpuRaised: string | null;
  memoryRaised: string | null;
}

/**
 * The smallest combination of the table that holds the request: the first CPU value at or above the
 * CPU wanted whose memory ceiling holds the memory wanted; memory then rises to that CPU's minimum.
 * Null when nothing holds it (more than 8 vCPU or 32 GiB): the analysis blocks those before this runs.
 */
export function fitInstance(request: InstanceRequest): InstanceSize | null {
  const cpu = Math.max(request.cpuMillis, request.minCpuMillis);
  const wantedMemory = Math.ceil(Math.max(request.memoryBytes, request.minMemoryBytes) / MiB) * MiB;
  const memory = Math.max(wantedMemory, MIN_MEMORY_BYTES);
  const tier = CPU_TIERS.find((entry) => entry.cpuMillis >= cpu && entry.maxMemoryBytes >= memory);
  if (!tier) return null;
  const memoryBytes = Math.max(memory, tier.minMemoryBytes ?? 0);
  const cpuReasons: string[] = [];
  if (request.minCpuMillis > request.cpuMillis && request.minCpuWhy) cpuReasons.push(request.minCpuWhy);
  if (tier.cpuMillis > cpu) {
    const byCpu = CPU_TIERS.find((entry) => entry.cpuMillis >= cpu)!;
    cpuReasons.push(
      byCpu.maxMemoryBytes < memory
        ? `${gib(memory)} of memory needs at least ${vcpu(tier.cpuMillis)} (${vcpu(byCpu.cpuMillis)} allows ${gib(byCpu.maxMemoryBytes)} at most)`
        : `${vcpu(tier.cpuMillis)} is the next CPU value Cloud Run offers above ${vcpu(cpu)}`,
    );
  }
  const memoryReasons: string[] = [];
  if (request.minMemoryBytes > request.memoryBytes && request.minMemoryWhy)
    memoryReasons.push(request.minMemoryWhy);
  if (MIN_MEMORY_BYTES > wantedMemory)
    memoryReasons.push(
      `${gib(MIN_MEMORY_BYTES)} is the smallest memory migrate emits (valid with every CPU value)`,
    );
  if (memoryBytes > memory)
    memoryReasons.push(`${vcpu(tier.cpuMillis)} needs at least ${gib(tier.minMemoryBytes!)} of memory`);
  return {
    cpuMillis: tier.cpuMillis,
    memoryBytes,
    tier,
    cpuRaised: tier.cpuMillis > request.cpuMillis ? cpuReasons.join('; ') : null,
    memoryRaised: memoryBytes > Math.ceil(request.memoryBytes / MiB) * MiB ? memoryReasons.join('; ') : null,
  };
}

/** The pod's CPU and memory as Cloud Run should see them, with where each was read. */
export interface PodDemand {
  cpuMillis: number;
  cpuFrom: string;
  memoryBytes: number;
  memoryFrom: string;
  /** A CPU limit above the request: burst the pod could use, noted because Cloud Run's CPU is fixed. */
  cpuLimitMillis: number | null;
}

export function podDemand(workload: WorkloadReport): PodDemand {
  const mains = mainContainers(workload);
  const origin = mains[0]?.source ?? workload.sources[0] ?? null;
  const where = at(origin);
  const total = (values: (number | null)[]) =>
    values.some((value) => value !== null)
      ? values.reduce<number>((sum, value) => sum + (value ?? 0), 0)
      : null;
  // Requests already default to the limit (the analysis applies Kubernetes' rule).
  const cpuRequest = total(mains.map((container) => container.requests.cpuMillis));
  const cpuLimit = total(mains.map((container) => container.limits.cpuMillis));
  const memoryLimit = total(
    mains.map((container) => container.limits.memoryBytes ?? container.requests.memoryBytes),
  );
  const cpu = cpuRequest ?? workload.resources.cpuMillis;
  const memory = memoryLimit ?? workload.resources.memoryBytes;
  return {
    cpuMillis: cpu ?? DEFAULT_CPU_MILLIS,
    cpuFrom:
      cpu === null
        ? `default: the pod requests no CPU${where}; Cloud Run's default of 1 vCPU (${FACTS})`
        : `CPU request ${vcpu(cpu)}${where}`,
    memoryBytes: memory ?? DEFAULT_MEMORY_BYTES,
    memoryFrom:
      memory === null
        ? `default: the pod sets no memory${where}; migrate's default of ${gib(DEFAULT_MEMORY_BYTES)} for a model server (Cloud Run's own default is not in ${FACTS})`
        : `memory ${memoryLimit !== null && mains.some((container) => container.limits.memoryBytes !== null) ? 'limit' : 'request'} ${gib(memory)}${where}`,
    cpuLimitMillis: cpuLimit !== null && cpu !== null && cpuLimit > cpu ? cpuLimit : null,
  };
}

/** Sentences for the setting rows: what the pod asked for, what it got, and why. */
export function sizeSources(demand: PodDemand, size: InstanceSize): { cpu: string; memory: string } {
  const cpu = size.cpuRaised
    ? `${demand.cpuFrom}, raised to ${vcpu(size.cpuMillis)}: ${size.cpuRaised}; ${CPU_TIERS_SOURCE}`
    : `${demand.cpuFrom}; a valid CPU value (${CPU_TIERS_SOURCE})`;
  const memory = size.memoryRaised
    ? `${demand.memoryFrom}, raised to ${gib(size.memoryBytes)}: ${size.memoryRaised}`
    : `${demand.memoryFrom}; within ${vcpu(size.cpuMillis)}'s ${size.tier.minMemoryBytes ? `${gib(size.tier.minMemoryBytes)}–` : '≤ '}${gib(size.tier.maxMemoryBytes)} (${FACTS})`;
  return { cpu, memory };
}

/** Cloud Run's spelling of a CPU limit: millicores below one vCPU, whole vCPUs above. */
export function cpuQuantity(cpuMillis: number): string {
  return cpuMillis % 1000 === 0 ? `${cpuMillis / 1000}` : `${cpuMillis}m`;
}

/** Whole GiB as Gi, anything else in Mi (memory was rounded up to whole MiB). */
export function memoryQuantity(bytes: number): string {
  return bytes % 2 ** 30 === 0 ? `${bytes / 2 ** 30}Gi` : `${Math.ceil(bytes / MiB)}Mi`;
}

export function vcpu(cpuMillis: number): string {
  return `${cpuMillis / 1000} vCPU`;
}

export function gib(bytes: number): string {
  return bytes % 2 ** 30 === 0 || bytes >= 2 ** 30
    ? `${Math.round((bytes / 2 ** 30) * 100) / 100} GiB`
    : `${Math.ceil(bytes / MiB)} MiB`;
}

export function at(source: SourceRef | null | undefined): string {
  return source ? ` (${formatSource(source)})` : '';
}
