import type { TargetId } from '../model/index.ts';

/**
 * What each serverless target can run, as data. Every value carries where it was read; the facts and
 * their sources are collected in ../shared/reference/platform-facts.md (sections e, f, g). Where a
 * target has several plans, the limit is the largest plan's and `plans` says which plan that is;
 * `planTiers` lists every plan from the smallest function-style plan to the largest.
 */
export interface GpuOffer {
  /** Cloud Run accelerator name, as in `run.googleapis.com/accelerator`. */
  model: string;
  memoryBytes: number;
  minCpuMillis: number;
  minMemoryBytes: number;
  preview: boolean;
}

/** One plan (or instance size) of a target. `null` where platform-facts.md does not give the value. */
export interface PlanLimits {
  name: string;
  /** The plan's size as the vendor writes it: "2 cores, 7 GB". */
  label: string;
  maxMemoryBytes: number;
  maxCpuMillis: number | null;
  maxTimeoutSeconds: number | null;
  source: string;
}

export interface TargetLimits {
  id: TargetId;
  title: string;
  maxMemoryBytes: number;
  maxCpuMillis: number;
  maxTimeoutSeconds: number;
  /** Largest deployable artifact: container image or package. */
  maxArtifactBytes: number;
  /** Requests one instance serves at once (1 for Lambda); null when the sources do not give it. */
  maxConcurrencyPerInstance: number | null;
  /** Requests per instance when the user sets nothing; null when not in the sources. */
  defaultConcurrencyPerInstance: number | null;
  /** Largest zip package, unzipped with its layers; null for targets deployed as images only. */
  maxPackageBytes: number | null;
  /** Writable local disk per instance (Lambda `/tmp`); null when not in the sources. */
  maxScratchBytes: number | null;
  /** How long start-up code may run (Lambda Init phase, Flex app init); null when not in the sources. */
  initTimeoutSeconds: number | null;
  /** Memory that buys one vCPU where CPU scales with memory (Lambda); null where CPU is set on its own. */
  memoryPerVcpuBytes: number | null;
  gpus: GpuOffer[];
  plans: string;
  /** Plans from the smallest function-style plan to the largest; the max* fields above are the last one's. */
  planTiers: PlanLimits[];
  /** The limits as the vendor writes them, for messages: "10,240 MB", "6 vCPUs". */
  labels: { memory: string; cpu: string; timeout: string; artifact: string; scratch: string | null };
  sources: Record<string, string>;
}

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
/** Azure writes plan memory in GB; read as 1,000 MB each, as the EP3 value has always been here. */
const AZURE_GB = 1000 * MiB;

export const TARGET_LIMITS: Record<TargetId, TargetLimits> = {
  'aws-lambda': {
    id: 'aws-lambda',
    title: 'AWS Lambda',
    // platform-facts.md e.1: memory 128–10,240 MB (AWS's MB are MiB: 10,240 MB = 10 GiB).
    maxMemoryBytes: 10_240 * MiB,
    // platform-facts.md e.1: 6 vCPUs at 10,240 MB.
    maxCpuMillis: 6_000,
    // platform-facts.md e.1: timeout 900 s (15 min).
    maxTimeoutSeconds: 900,
    // platform-facts.md e.1: container image 10 GB.
    maxArtifactBytes: 10 * GiB,
    // platform-facts.md e.1: concurrency is counted in execution environments, one request each.
    maxConcurrencyPerInstance: 1,
    defaultConcurrencyPerInstance: 1,
    // platform-facts.md e.1: zip 50 MB zipped direct upload, 250 MB unzipped including layers.
    maxPackageBytes: 250 * MiB,
    // platform-facts.md e.1: /tmp 512–10,240 MB (default 512).
    maxScratchBytes: 10_240 * MiB,
    // platform-facts.md e.1: "The Init phase is limited to 10 seconds", then retried at first invoke.
    initTimeoutSeconds: 10,
    // platform-facts.md e.1: 1,769 MB = 1 vCPU.
    memoryPerVcpuBytes: 1_769 * MiB,
    gpus: [],
    plans: 'on-demand and provisioned concurrency (same limits)',
    planTiers: [
      {
        name: 'Lambda',
        label: '10,240 MB, 6 vCPUs',
        maxMemoryBytes: 10_240 * MiB,
        maxCpuMillis: 6_000,
        maxTimeoutSeconds: 900,
        source: 'platform-facts.md e.1',
      },
    ],
    labels: {
      memory: '10,240 MB',
      cpu: '6 vCPUs',
      timeout: '900 s (15 min)',
      artifact: '10 GB',
      scratch: '10,240 MB',
    },
    sources: {
      memory: 'Lambda quotas page: 128–10,240 MB (platform-facts.md e.1)',
      cpu: '6 vCPUs at 10,240 MB; 1,769 MB = 1 vCPU (platform-facts.md e.1)',
      timeout: 'Lambda quotas page: 900 s (platform-facts.md e.1)',
      artifact: 'container image up to 10 GB (platform-facts.md e.1)',
      package: 'zip 50 MB zipped, 250 MB unzipped incl. layers (platform-facts.md e.1)',
      scratch: '/tmp 512–10,240 MB (platform-facts.md e.1)',
      init: 'Init phase limited to 10 s (lambda-runtime-environment, platform-facts.md e.1)',
      gpu: 'Lambda offers no GPUs (platform-facts.md e.1)',
      concurrency: 'concurrency = execution environments (platform-facts.md e.1)',
    },
  },
  'cloud-run': {
    id: 'cloud-run',
    title: 'Google Cloud Run',
    // platform-facts.md f: 8 vCPU → 4–32 GiB.
    maxMemoryBytes: 32 * GiB,
    // platform-facts.md f: max 8 vCPU.
    maxCpuMillis: 8_000,
    // platform-facts.md f: request timeout max 60 min (3,600 s), default 300 s.
    maxTimeoutSeconds: 3_600,
    // Cloud Run documents no image size limit; the model must fit the instance's memory instead.
    maxArtifactBytes: 32 * GiB,
    // platform-facts.md f: concurrency max 1,000, default 80.
    maxConcurrencyPerInstance: 1_000,
    defaultConcurrencyPerInstance: 80,
    maxPackageBytes: null,
    maxScratchBytes: null,
    initTimeoutSeconds: null,
    memoryPerVcpuBytes: null,
    gpus: [
      // platform-facts.md f: L4 24 GB VRAM, min 4 CPU / 16 GiB; RTX PRO 6000 96 GB, preview, min 20 CPU / 80 GiB.
      {
        model: 'nvidia-l4',
        memoryBytes: 24 * GiB,
        minCpuMillis: 4_000,
        minMemoryBytes: 16 * GiB,
        preview: false,
      },
      {
        model: 'nvidia-rtx-pro-6000',
        memoryBytes: 96 * GiB,
        minCpuMillis: 20_000,
        minMemoryBytes: 80 * GiB,
        preview: true,
      },
    ],
    plans: 'services (gen2); GPU instances have their own minimums',
    planTiers: [
      {
        name: 'services',
        label: '8 vCPU, 32 GiB',
        maxMemoryBytes: 32 * GiB,
        maxCpuMillis: 8_000,
        maxTimeoutSeconds: 3_600,
        source: 'platform-facts.md f',
      },
    ],
    labels: {
      memory: '32 GiB',
      cpu: '8 vCPU',
      timeout: '60 min (3,600 s)',
      artifact: '32 GiB (instance memory)',
      scratch: null,
    },
    sources: {
      memory: 'Configure CPU limits: 8 vCPU → 4–32 GiB (platform-facts.md f)',
      cpu: 'max 8 vCPU (platform-facts.md f)',
      timeout: 'request timeout max 60 min (platform-facts.md f)',
      artifact: 'no documented image limit; bounded by instance memory (platform-facts.md f)',
      gpu: 'GPU support for services: L4 min 4 CPU / 16 GiB, RTX PRO 6000 (preview) min 20 CPU / 80 GiB, one GPU per instance (platform-facts.md f)',
      concurrency: 'max 1,000 per instance, default 80 (platform-facts.md f)',
    },
  },
  'azure-functions': {
    id: 'azure-functions',
    title: 'Azure Functions',
    // platform-facts.md g: Premium EP3 4 cores / 14 GB.
    maxMemoryBytes: 14 * AZURE_GB,
    maxCpuMillis: 4_000,
    // platform-facts.md g: Premium default run duration 30 min, can be unbounded, 60 min guaranteed.
    maxTimeoutSeconds: 3_600,
    maxArtifactBytes: 14 * AZURE_GB,
    // platform-facts.md g: Flex HTTP per-instance concurrency defaults "values not read".
    maxConcurrencyPerInstance: null,
    defaultConcurrencyPerInstance: null,
    maxPackageBytes: null,
    maxScratchBytes: null,
    // platform-facts.md g: Flex Consumption "app init time-out 30 s".
    initTimeoutSeconds: 30,
    memoryPerVcpuBytes: null,
    gpus: [],
    plans: 'Premium EP3 (4 cores, 14 GB); Flex Consumption tops out at 4,096 MB / 2 cores',
    planTiers: [
      // platform-facts.md g: Consumption (legacy) memory up to 1,536 MB, max run 10 min.
      {
        name: 'Consumption (legacy)',
        label: '1,536 MB',
        maxMemoryBytes: 1_536 * MiB,
        maxCpuMillis: null,
        maxTimeoutSeconds: 600,
        source: 'platform-facts.md g',
      },
      // platform-facts.md g: Flex instance sizes 512 MB / 2,048 MB / 4,096 MB (2 cores); run limit not read.
      {
        name: 'Flex Consumption',
        label: '4,096 MB, 2 cores',
        maxMemoryBytes: 4_096 * MiB,
        maxCpuMillis: 2_000,
        maxTimeoutSeconds: null,
        source: 'platform-facts.md g',
      },
      // platform-facts.md g: EP1 1 core / 3.5 GB, EP2 2 cores / 7 GB, EP3 4 cores / 14 GB; 60 min guaranteed.
      {
        name: 'Premium EP1',
        label: '1 core, 3.5 GB',
        maxMemoryBytes: 3.5 * AZURE_GB,
        maxCpuMillis: 1_000,
        maxTimeoutSeconds: 3_600,
        source: 'platform-facts.md g',
      },
      {
        name: 'Premium EP2',
        label: '2 cores, 7 GB',
        maxMemoryBytes: 7 * AZURE_GB,
        maxCpuMillis: 2_000,
        maxTimeoutSeconds: 3_600,
        source: 'platform-facts.md g',
      },
      {
        name: 'Premium EP3',
        label: '4 cores, 14 GB',
        maxMemoryBytes: 14 * AZURE_GB,
        maxCpuMillis: 4_000,
        maxTimeoutSeconds: 3_600,
        source: 'platform-facts.md g',
      },
    ],
    labels: {
      memory: '14 GB (Premium EP3)',
      cpu: '4 cores (Premium EP3)',
      timeout: '60 min guaranteed (Premium)',
      artifact: '14 GB (Premium EP3 instance memory)',
      scratch: null,
    },
    sources: {
      memory: 'Premium plan EP3 1 instance = 4 cores / 14 GB; Flex 512/2,048/4,096 MB (platform-facts.md g)',
      cpu: 'Premium EP3 4 cores (platform-facts.md g)',
      timeout:
        'Premium: default 30 min, 60 min guaranteed; Consumption (legacy) 10 min; Flex not read (platform-facts.md g)',
      artifact: 'bounded by instance memory (no GPU, no documented image limit read)',
      init: 'Flex Consumption app init time-out 30 s (platform-facts.md g)',
      gpu: 'Azure Functions has no GPU; GPU containers belong on Azure Container Apps (decision-rules.md)',
      concurrency:
        'Flex per-instance HTTP concurrency depends on instance size; values not read (platform-facts.md g)',
    },
  },
};

/** Flex Consumption's largest instance: what "serverless function" sizing on Azure means (platform-facts.md g). */
export const AZURE_FLEX_MAX_MEMORY_BYTES = 4_096 * MiB;
export const AZURE_FLEX_MAX_CPU_MILLIS = 2_000;

/** The article's thresholds for staying on the cluster (decision-rules.md). */
export const STAY_THRESHOLDS = {
  modelBytes: 5 * 1000 * 1000 * 1000,
  latencySloMs: 10,
  source: 'decision-rules.md "Keep traditional deployment when": latency < 10 ms, model > 5 GB',
  /**
   * "Throughput is consistently high" must be measured (decision-rules.md): a steady trace with almost no
   * idle time and almost no time far below its peak leaves nothing for scale-to-zero to save. These two
   * fractions are this project's reading of "consistently", not a vendor figure.
   */
  flatBusyMaxIdleFraction: 0.05,
  flatBusyMaxBelowTenPercentOfPeak: 0.05,
};
