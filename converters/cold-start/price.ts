import type { TargetId } from '../../core/model/index.ts';
import { AWS_LAMBDA_PRICING } from '../../core/pricing/aws-lambda.ts';
import { AZURE_FUNCTIONS_PRICING } from '../../core/pricing/azure-functions.ts';
import { CLOUD_RUN_PRICING } from '../../core/pricing/cloud-run.ts';

/** A month of always-on capacity: 8,760 hours a year ÷ 12 = 730 h. An assumption, stated in every note. */
export const HOURS_PER_MONTH = 730;
const SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600;

export interface WarmPrice {
  /** USD per month of the warm capacity alone, or null when a price it needs is not confirmed. */
  usdPerMonth: number | null;
  /** True when a component could not be priced and the figure is the part that could. */
  lowerBound: boolean;
  /** The arithmetic, so a reviewer can redo it. */
  formula: string;
  /** The price list, its date and what the figure leaves out. */
  source: string;
}

export interface WarmSize {
  instances: number;
  /** Memory of one instance in MB (Lambda MemorySize) and its vCPUs, where the target bills them. */
  memoryMb: number;
  vcpu: number | null;
  architecture?: 'x86_64' | 'arm64';
}

/**
 * The monthly price of keeping `instances` warm all month, on each target's own meter: Lambda
 * provisioned concurrency per GB-s configured, Cloud Run min instances on instance-based billing,
 * Azure Flex always-ready baseline. Invocations on top of it are billed as usual and not included.
 */
export function warmCapacityPrice(target: TargetId, size: WarmSize): WarmPrice {
  switch (target) {
    case 'aws-lambda':
      return lambdaPrice(size);
    case 'cloud-run':
      return cloudRunPrice(size);
    case 'azure-functions':
      return azurePrice(size);
  }
}

function lambdaPrice(size: WarmSize): WarmPrice {
  const p = AWS_LAMBDA_PRICING;
  const gb = size.memoryMb / 1024;
  const list = `${p.source}, ${p.region}, ${p.asOf}`;
  if (size.architecture === 'arm64') {
    return {
      usdPerMonth: null,
      lowerBound: false,
      formula: 'Arm provisioned-concurrency price not confirmed',
      source: `${list}: the Arm provisioned-concurrency rate is [unconfirmed] in ${p.reference}`,
    };
  }
  const usd = size.instances * gb * SECONDS_PER_MONTH * p.provisionedConcurrencyX86UsdPerGbSecond;
  return {
    usdPerMonth: usd,
    lowerBound: false,
    formula: `${size.instances} × ${fmt(gb, 4)} GB × ${SECONDS_PER_MONTH.toLocaleString('en-US')} s (${HOURS_PER_MONTH} h) × $${p.provisionedConcurrencyX86UsdPerGbSecond}/GB-s = $${usd.toFixed(2)}`,
    source: `provisioned concurrency, x86, ${list}; requests served by it add $${p.provisionedDurationX86UsdPerGbSecond}/GB-s of duration and $${p.requestsUsdPerMillion} per 1M requests; the free tier does not apply to functions with provisioned concurrency`,
  };
}

function cloudRunPrice(size: WarmSize): WarmPrice {
  const p = CLOUD_RUN_PRICING;
  const vcpu = size.vcpu ?? 1;
  const cpuUsd = size.instances * vcpu * SECONDS_PER_MONTH * p.instanceCpuUsdPerVcpuSecond;
  return {
    usdPerMonth: cpuUsd,
    lowerBound: true,
    formula: `${size.instances} × ${fmt(vcpu, 3)} vCPU × ${SECONDS_PER_MONTH.toLocaleString('en-US')} s (${HOURS_PER_MONTH} h) × $${p.instanceCpuUsdPerVcpuSecond}/vCPU-s = $${cpuUsd.toFixed(2)} + memory`,
    source: `min instances on instance-based billing, ${p.source}, ${p.region}, ${p.asOf}; CPU only: the instance-based memory price is [unconfirmed] in ${p.reference}, so this is a lower bound`,
  };
}

function azurePrice(size: WarmSize): WarmPrice {
  const p = AZURE_FUNCTIONS_PRICING;
  const gb = size.memoryMb / 1024;
  return {
    usdPerMonth: null,
    lowerBound: false,
    formula: `${size.instances} × ${fmt(gb, 3)} GB × ${SECONDS_PER_MONTH.toLocaleString('en-US')} s × (always-ready baseline $/GB-s, unconfirmed)`,
    source: `${p.plan} always-ready baseline, ${p.source}: the USD rate is [unconfirmed] in ${p.reference} (a secondary EUR table gives €0.0000038/GB-s)`,
  };
}

function fmt(value: number, decimals: number): string {
  return String(Math.round(value * 10 ** decimals) / 10 ** decimals);
}
