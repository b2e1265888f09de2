import type { TargetId } from '../model/index.ts';

/**
 * What each serverless target can run, as data. Every value carries where it was read; the facts and
 * their sources are collected in ../shared/reference/platform-facts.md (sections e, f, g). Where a
 * target has several plans, the limit is the largest plan's and `plans` says which plan that is.
 */
export interface GpuOffer {
  /** Cloud Run accelerator name, as in `run.googleapis.com/accelerator`. */
  model: string;
  memoryBytes: number;
  minCpuMillis: number;
  minMemoryBytes: number;
  preview: boolean;
}

export interface TargetLimits {
  id: TargetId;
  title: string;
  maxMemoryBytes: number;
  maxCpuMillis: number;
  maxTimeoutSeconds: number;
  /** Largest deployable artifact: container image or package. */
  maxArtifactBytes: number;
  /** Requests one instance serves at once (1 for Lambda). */
  maxConcurrencyPerInstance: number;
  gpus: GpuOffer[];
  plans: string;
  sources: Record<string, string>;
}

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

export const TARGET_LIMITS: Record<TargetId, TargetLimits> = {
  'aws-lambda': {
    id: 'aws-lambda',
    title: 'AWS Lambda',
    maxMemoryBytes: 10_240 * MiB,
    maxCpuMillis: 6_000,
    maxTimeoutSeconds: 900,
    maxArtifactBytes: 10 * GiB,
    maxConcurrencyPerInstance: 1,
    gpus: [],
    plans: 'on-demand and provisioned concurrency (same limits)',
    sources: {
      memory: 'Lambda quotas page: 128–10,240 MB (platform-facts.md e.1)',
      cpu: '6 vCPUs at 10,240 MB; 1,769 MB = 1 vCPU (platform-facts.md e.1)',
      timeout: 'Lambda quotas page: 900 s (platform-facts.md e.1)',
      artifact: 'container image up to 10 GB (platform-facts.md e.1)',
      gpu: 'Lambda offers no GPUs (platform-facts.md e.1)',
    },
  },
  'cloud-run': {
    id: 'cloud-run',
    title: 'Google Cloud Run',
    maxMemoryBytes: 32 * GiB,
    maxCpuMillis: 8_000,
    maxTimeoutSeconds: 3_600,
    // Cloud Run documents no image size limit; the model must fit the instance's memory instead.
    maxArtifactBytes: 32 * GiB,
    maxConcurrencyPerInstance: 1_000,
    gpus: [
      { model: 'nvidia-l4', memoryBytes: 24 * GiB, minCpuMillis: 4_000, minMemoryBytes: 16 * GiB, preview: false },
      { model: 'nvidia-rtx-pro-6000', memoryBytes: 96 * GiB, minCpuMillis: 20_000, minMemoryBytes: 80 * GiB, preview: true },
    ],
    plans: 'services (gen2); GPU instances have their own minimums',
    sources: {
      memory: 'Configure CPU limits: 8 vCPU → 4–32 GiB (platform-facts.md f)',
      cpu: 'max 8 vCPU (platform-facts.md f)',
      timeout: 'request timeout max 60 min (platform-facts.md f)',
      artifact: 'no documented image limit; bounded by instance memory (platform-facts.md f)',
      gpu: 'GPU support for services: L4 min 4 CPU / 16 GiB, RTX PRO 6000 (preview) min 20 CPU / 80 GiB, one GPU per instance (platform-facts.md f)',
      concurrency: 'max 1,000 per instance (platform-facts.md f)',
    },
  },
  'azure-functions': {
    id: 'azure-functions',
    title: 'Azure Functions',
    maxMemoryBytes: 14 * 1000 * MiB,
    maxCpuMillis: 4_000,
    maxTimeoutSeconds: 3_600,
    maxArtifactBytes: 14 * 1000 * MiB,
    maxConcurrencyPerInstance: 1_000,
    gpus: [],
    plans: 'Premium EP3 (4 cores, 14 GB); Flex Consumption tops out at 4,096 MB / 2 cores',
    sources: {
      memory: 'Premium plan EP3 1 instance = 4 cores / 14 GB; Flex 512/2,048/4,096 MB (platform-facts.md g)',
      cpu: 'Premium EP3 4 cores (platform-facts.md g)',
      timeout: 'Premium: default 30 min, 60 min guaranteed (platform-facts.md g)',
      artifact: 'bounded by instance memory (no GPU, no documented image limit read)',
      gpu: 'Azure Functions has no GPU; GPU containers belong on Azure Container Apps (decision-rules.md)',
    },
  },
};

/** Flex Consumption's largest instance: what "serverless function" sizing on Azure means. */
export const AZURE_FLEX_MAX_MEMORY_BYTES = 4_096 * MiB;
export const AZURE_FLEX_MAX_CPU_MILLIS = 2_000;

/** The article's thresholds for staying on the cluster (decision-rules.md). */
export const STAY_THRESHOLDS = {
  modelBytes: 5 * 1000 * 1000 * 1000,
  latencySloMs: 10,
  source: 'decision-rules.md "Keep traditional deployment when": latency < 10 ms, model > 5 GB',
};
