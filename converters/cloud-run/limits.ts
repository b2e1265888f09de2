import { TARGET_LIMITS } from '../../core/limits/targets.ts';

/**
 * Cloud Run facts the converter decides with, as data with their sources. The limits core/ already
 * holds (maximum CPU, memory, timeout, concurrency, the GPU offers) are read from core/limits; the ones
 * below are the Cloud Run specifics only this converter needs. Facts not in platform-facts.md say so
 * and name where they were read, so a reviewer knows which ones to check.
 */
const MiB = 2 ** 20;
const GiB = 2 ** 30;
export const FACTS = 'platform-facts.md f';
export const LIMITS = TARGET_LIMITS['cloud-run'];

/** One CPU value of "Configure CPU limits for services" and the memory it allows. */
export interface CpuTier {
  cpuMillis: number;
  /** Least memory allowed with this CPU; null when the page gives none. */
  minMemoryBytes: number | null;
  maxMemoryBytes: number;
}

/** platform-facts.md f: 0.08 vCPU ≤ 512 MiB, 0.5 ≤ 1 GiB, 1 ≤ 4 GiB, 2 ≤ 8 GiB, 4 → 2–16, 6 → 4–24, 8 → 4–32 GiB. */
export const CPU_TIERS: readonly CpuTier[] = [
  { cpuMillis: 80, minMemoryBytes: null, maxMemoryBytes: 512 * MiB },
  { cpuMillis: 500, minMemoryBytes: null, maxMemoryBytes: 1 * GiB },
  { cpuMillis: 1_000, minMemoryBytes: null, maxMemoryBytes: 4 * GiB },
  { cpuMillis: 2_000, minMemoryBytes: null, maxMemoryBytes: 8 * GiB },
  { cpuMillis: 4_000, minMemoryBytes: 2 * GiB, maxMemoryBytes: 16 * GiB },
  { cpuMillis: 6_000, minMemoryBytes: 4 * GiB, maxMemoryBytes: 24 * GiB },
  { cpuMillis: 8_000, minMemoryBytes: 4 * GiB, maxMemoryBytes: 32 * GiB },
];
export const CPU_TIERS_SOURCE =
  'Cloud Run CPU/memory combinations: 0.08 vCPU ≤ 512 MiB, 0.5 ≤ 1 GiB, 1 ≤ 4 GiB, 2 ≤ 8 GiB, 4 → 2–16 GiB, 6 → 4–24 GiB, 8 → 4–32 GiB ("Configure CPU limits for services", platform-facts.md f)';

/** Below one vCPU Cloud Run requires concurrency 1, request-based billing and the gen1 environment. */
export const SUB_VCPU_SOURCE =
  'below 1 vCPU Cloud Run requires concurrency 1, request-based billing and gen1 (platform-facts.md f)';

/**
 * Memory floor: Cloud Run's own minimum is not in platform-facts.md f. 512 MiB is valid in every
 * execution environment and with every CPU value of the table (it is the 0.08-vCPU ceiling).
 */
export const MIN_MEMORY_BYTES = 512 * MiB;

/** platform-facts.md f: "CPU: default 1 vCPU". Memory default is not there; 2 GiB is migrate's choice. */
export const DEFAULT_CPU_MILLIS = 1_000;
export const DEFAULT_MEMORY_BYTES = 2 * GiB;

/** platform-facts.md f: concurrency default 80 (console), max 1,000. */
export const DEFAULT_CONCURRENCY = LIMITS.defaultConcurrencyPerInstance ?? 80;
export const MAX_CONCURRENCY = LIMITS.maxConcurrencyPerInstance ?? 1_000;

/**
 * Startup probes. Field limits are from the Cloud Run Admin API's own schema
 * (../shared/schemas/cloud-run-v1.schema.json, Probe: initialDelaySeconds and periodSeconds ≤ 240 for
 * a startup probe, successThreshold 1, timeoutSeconds ≤ periodSeconds). The window
 * (failureThreshold × periodSeconds) is not in platform-facts.md: the newest health-check page read
 * (docs.cloud.google.com/run/docs/configuring/jobs/healthchecks.md.txt) allows 600 s, 1,800 s with a
 * GPU; older versions of the services and jobs pages say 240 s. The default TCP startup probe of a new
 * service waits 240 s (cloud.google.com/run/docs/configuring/healthchecks, "The default TCP startup probe").
 */
export const PROBE = {
  maxStartupPeriodSeconds: 240,
  maxStartupInitialDelaySeconds: 240,
  maxLivenessPeriodSeconds: 3_600,
  maxLivenessInitialDelaySeconds: 3_600,
  maxWindowSeconds: 600,
  maxGpuWindowSeconds: 1_800,
  olderMaxWindowSeconds: 240,
  defaultWindowSeconds: 240,
  defaultPeriodSeconds: 10,
  schema: '../shared/schemas/cloud-run-v1.schema.json (Probe)',
  window:
    'failureThreshold × periodSeconds may reach 600 s, 1,800 s with a GPU (newest Cloud Run health-check page read; older versions say 240 s; not in platform-facts.md)',
  defaultWindow:
    "Cloud Run's default TCP startup probe (Cloud Run health-check page; not in platform-facts.md)",
} as const;

/** The GPU Cloud Run offers without a preview label (core/limits: nvidia-l4, min 4 vCPU / 16 GiB). */
export const GPU = LIMITS.gpus.find((gpu) => !gpu.preview)!;
export const GPU_PREVIEW = LIMITS.gpus.find((gpu) => gpu.preview) ?? null;
/** platform-facts.md f, newest "GPU support for services" version read. */
export const GPU_REGIONS =
  'asia-southeast1, asia-south1 (invite), europe-west1, europe-west4, us-central1, us-east4';

/** Registries Cloud Run pulls from, per the Admin API's Container.image description (cloud-run-v1 schema). */
export const REGISTRIES_SOURCE =
  'Cloud Run pulls "from Dockerhub, Google Artifact Registry, or Google Container Registry" (Container.image in ../shared/schemas/cloud-run-v1.schema.json)';

/** Set by Cloud Run itself: PORT (cloud-run-v1 schema, ContainerPort) and the Knative runtime contract's K_*. */
export const RESERVED_ENV = new Set(['PORT', 'K_SERVICE', 'K_REVISION', 'K_CONFIGURATION']);

/** Cloud Run's port when none is declared (ContainerPort.containerPort in the cloud-run-v1 schema). */
export const DEFAULT_PORT = 8080;
