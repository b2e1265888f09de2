/**
 * Node (VM) types a simulated cluster can add, with their shape, on-demand hourly price and the time
 * the cluster autoscaler needs to bring one up — as data, each number with its source
 * (../shared/reference/platform-facts.md b and h). The replay's cluster models read it; users pick
 * one with `--node-type` and may add or correct types in a calibration file.
 *
 * Official price pages could not be read (they render with JavaScript), so every price here is a
 * secondary figure or unconfirmed: `priceConfidence` says which, and reports show it.
 */

export type Confidence = 'primary' | 'secondary' | 'unconfirmed';

export interface NodeType {
  id: string;
  provider: 'aws' | 'gcp' | 'azure' | 'custom';
  cpuMillis: number;
  memoryBytes: number;
  gpus: number;
  /** Accelerator as workloads name it (`nvidia-l4`, `nvidia-tesla-t4`, `nvidia-a10g`), null for CPU nodes. */
  gpuModel: string | null;
  hourlyUsd: number;
  priceSource: string;
  priceConfidence: Confidence;
  /** From the autoscaler's request to pods being schedulable on the node. */
  provisioningSeconds: number;
  provisioningSource: string;
  /** Billing: per second after a minimum. */
  minimumBilledSeconds: number;
  billingSource: string;
}

const GiB = 1024 ** 3;

/** CA FAQ: "on GCE it usually takes 3 to 4 minutes from CA request to when pods can be scheduled". */
const CPU_PROVISIONING = {
  provisioningSeconds: 210,
  provisioningSource:
    '3–4 min from CA request to schedulable on GCE (kubernetes/autoscaler cluster-autoscaler/FAQ.md; platform-facts.md b), midpoint',
};

/**
 * GPU nodes add driver and device-plugin start-up on top of the VM: precompiled drivers save "2 to 3
 * minutes" (Red Hat), AKS reports 5–10 min (Microsoft Q&A), the CA source says up to 15 min before the
 * GPU is allocatable. 3.5 min for the VM plus 2.5 min for the driver is the middle of those reports.
 */
const GPU_PROVISIONING = {
  provisioningSeconds: 360,
  provisioningSource:
    'VM 3–4 min (CA FAQ) + GPU driver 2–3 min (Red Hat precompiled-driver blog); AKS reports 5–10 min (Microsoft Q&A) — platform-facts.md b',
};

const EC2_BILLING = {
  minimumBilledSeconds: 60,
  billingSource:
    'EC2 Linux: per second with a 60-s minimum (factualminds.com; platform-facts.md h, secondary)',
};
const GCE_BILLING = {
  minimumBilledSeconds: 60,
  billingSource:
    'GCE: 1-minute minimum, then per second (cloud.google.com vm-instance-pricing; platform-facts.md h)',
};
const AZURE_BILLING = {
  minimumBilledSeconds: 60,
  billingSource: 'Azure VMs: per-second billing with a 60-s minimum assumed like EC2/GCE (unconfirmed)',
};

export const NODE_TYPES: readonly NodeType[] = [
  {
    id: 'g6.xlarge',
    provider: 'aws',
    cpuMillis: 4000,
    memoryBytes: 16 * GiB,
    gpus: 1,
    gpuModel: 'nvidia-l4',
    hourlyUsd: 0.805,
    priceSource: 'AWS g6.xlarge on-demand $0.805/h (Databricks cost notes in a repo; platform-facts.md h)',
    priceConfidence: 'secondary',
    ...GPU_PROVISIONING,
    ...EC2_BILLING,
  },
  {
    id: 'g4dn.xlarge',
    provider: 'aws',
    cpuMillis: 4000,
    memoryBytes: 16 * GiB,
    gpus: 1,
    gpuModel: 'nvidia-tesla-t4',
    hourlyUsd: 0.526,
    priceSource: 'AWS g4dn.xlarge on-demand $0.526/h (widely quoted us-east-1 price; platform-facts.md h)',
    priceConfidence: 'secondary',
    ...GPU_PROVISIONING,
    ...EC2_BILLING,
  },
  {
    id: 'g5.xlarge',
    provider: 'aws',
    cpuMillis: 4000,
    memoryBytes: 16 * GiB,
    gpus: 1,
    gpuModel: 'nvidia-a10g',
    hourlyUsd: 1.006,
    priceSource:
      'AWS g5.xlarge on-demand $1.006/h us-east-1 (factualminds.com, June 2026; platform-facts.md h)',
    priceConfidence: 'secondary',
    ...GPU_PROVISIONING,
    ...EC2_BILLING,
  },
  {
    id: 'Standard_NC4as_T4_v3',
    provider: 'azure',
    cpuMillis: 4000,
    memoryBytes: 28 * GiB,
    gpus: 1,
    gpuModel: 'nvidia-tesla-t4',
    hourlyUsd: 0.53,
    priceSource:
      'Azure Standard_NC4as_T4_v3 ~$0.53/h (code comment in a repo; spec from MicrosoftDocs; platform-facts.md h)',
    priceConfidence: 'secondary',
    ...GPU_PROVISIONING,
    ...AZURE_BILLING,
  },
  {
    id: 'm5.xlarge',
    provider: 'aws',
    cpuMillis: 4000,
    memoryBytes: 16 * GiB,
    gpus: 0,
    gpuModel: null,
    hourlyUsd: 0.192,
    priceSource:
      'AWS m5.xlarge $0.192/h us-east-1 — common knowledge, not in platform-facts.md: check before use',
    priceConfidence: 'unconfirmed',
    ...CPU_PROVISIONING,
    ...EC2_BILLING,
  },
  {
    id: 'e2-standard-4',
    provider: 'gcp',
    cpuMillis: 4000,
    memoryBytes: 16 * GiB,
    gpus: 0,
    gpuModel: null,
    hourlyUsd: 0.134,
    priceSource:
      'GCP e2-standard-4 $0.134/h us-central1 — common knowledge, not in platform-facts.md: check before use',
    priceConfidence: 'unconfirmed',
    ...CPU_PROVISIONING,
    ...GCE_BILLING,
  },
];

/** The default node type for a workload: the one carrying its accelerator, else a general-purpose one. */
export function defaultNodeTypeId(gpuCount: number, gpuModel: string | null): string {
  if (gpuCount <= 0) return 'm5.xlarge';
  const model = (gpuModel ?? '').toLowerCase();
  const match = NODE_TYPES.find(
    (type) =>
      type.gpus > 0 &&
      type.gpuModel !== null &&
      model !== '' &&
      model.includes(type.gpuModel.replace('nvidia-', '')),
  );
  return match?.id ?? 'g6.xlarge';
}

/** Cost of one node kept `seconds`, with the provider's minimum billed time. */
export function nodeCostUsd(type: NodeType, seconds: number): number {
  return (Math.max(seconds, type.minimumBilledSeconds) / 3600) * type.hourlyUsd;
}
