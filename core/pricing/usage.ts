/**
 * What a platform was used for over a period: the input of the cost calculator (`priceUsage`) and of
 * `migrate price --usage FILE` (the same shape, as YAML). The replay simulator produces one per run,
 * so a simulated cost is exactly the calculator applied to the run's usage.
 */

export type PricedPlatform = 'aws-lambda' | 'cloud-run' | 'azure-functions' | 'kubernetes';

export interface LambdaUsage {
  platform: 'aws-lambda';
  region: string;
  /** Subtract the monthly free tier where the platform has one. */
  freeTier: boolean;
  architecture: 'x86_64' | 'arm64';
  memoryMb: number;
  ephemeralStorageMb: number;
  /** Groups of invocations; `provisioned: true` ran on provisioned concurrency. */
  invocations: { count: number; avgDurationMs: number; provisioned?: boolean }[];
  provisionedConcurrency: { instances: number; hours: number }[];
}

export interface CloudRunUsage {
  platform: 'cloud-run';
  region: string;
  freeTier: boolean;
  /** request: CPU and memory billed while requests are processed; instance: for the instance's lifetime. */
  billing: 'request' | 'instance';
  vcpu: number;
  memoryGiB: number;
  requests: number;
  /** Billable instance-seconds (request-based: time serving; instance-based: time alive). */
  instanceSeconds: number;
  gpu?: { type: string; count: number };
}

export interface AzureFunctionsUsage {
  platform: 'azure-functions';
  region: string;
  freeTier: boolean;
  plan: 'flex-consumption' | 'premium';
  instanceMemoryMb: number;
  executions: number;
  /**
   * Flex on-demand: execution time summed over executions (GB-s follow from instanceMemoryMb). Flex bills
   * each on-demand instance's active time, so with several executions at once on one instance give the
   * seconds the instances were busy (overlapping executions counted once).
   */
  executionSeconds?: number;
  /**
   * Flex on-demand: how many separate activity periods `executionSeconds` is made of (an instance busy
   * without a break is one period); each is billed at least 1,000 ms, then rounded up to 100 ms.
   * Default: `executions` on demand, i.e. every execution its own period.
   */
  activityPeriods?: number;
  /** Instance-seconds (Premium: instance lifetime; Flex always-ready: busy time on always-ready instances). */
  instanceSeconds: number;
  /**
   * Flex always-ready instances kept for `hours`; `executions` (part of the total `executions`) ran on
   * them, in `activityPeriods` separate busy periods (default: those executions).
   */
  alwaysReady?: { instances: number; hours: number; executions?: number; activityPeriods?: number };
  premium?: { sku: 'EP1' | 'EP2' | 'EP3'; instanceHours: number };
}

export interface KubernetesUsage {
  platform: 'kubernetes';
  region: string;
  freeTier?: boolean;
  nodes: { type: string; count: number; hours: number }[];
}

export type Usage = LambdaUsage | CloudRunUsage | AzureFunctionsUsage | KubernetesUsage;

export interface PriceLine {
  item: string;
  quantity: number;
  unit: string;
  unitPriceUsd: number;
  usd: number;
  /** Where the unit price was read (page and date, or platform-facts section). */
  source: string;
  /** The part of the usage the free tier covered, in `unit`, when one was subtracted (not in `quantity`). */
  freeQuantity?: number;
}

export interface PriceResult {
  platform: PricedPlatform;
  /** The usage's region, as given. */
  region?: string;
  currency: 'USD';
  totalUsd: number;
  lines: PriceLine[];
  /** True when an item was left out for want of a confirmed price: the total is a lower bound. */
  lowerBound?: boolean;
  /** Prices that were not confirmed and so were left out (or assumed): said, never hidden. */
  notes: string[];
}

/** Implemented in ./calculator.ts. */
export type PriceUsage = (usage: Usage) => PriceResult;
