import type { WorkloadReport } from '../../analyzers/report.ts';
import { clusterMinReplicas } from '../aws-lambda/sizing.ts';
import { HOURS_PER_MONTH, type WarmPrice, warmCapacityPrice } from '../cold-start/price.ts';
import { sizeWarmCapacity, type WarmCapacity } from '../cold-start/size.ts';
import type { ConvertContext, WarmResult } from '../types.ts';
import { clusterMaxPods, FACTS, type HostingPlan } from './sizing.ts';

/** minimumElasticInstanceCount's maximum in the Microsoft.Web 2024-11-01 schema (SiteConfig). */
export const PREMIUM_MAX_ALWAYS_READY = 20;

/**
 * Always-ready instances sized from the traffic by Little's law (converters/cold-start), on each
 * plan's terms: Flex keeps them per trigger group (`http`), Premium keeps at least one instance always.
 * Priced with warmCapacityPrice where the facts have a USD price; where they do not, it says so.
 */
export function alwaysReady(
  workload: WorkloadReport,
  context: ConvertContext,
  input: {
    hosting: HostingPlan;
    concurrency: number;
    concurrencyFrom: string;
    maxInstances: number | null;
    maxInstancesFrom: string | null;
    http: boolean;
  },
): WarmResult {
  const cluster = clusterMinReplicas(workload);
  const sized = sizeWarmCapacity({
    traffic: context.traffic,
    serviceMs: context.serviceMs,
    quantile: context.warmQuantile,
    concurrencyPerInstance: input.concurrency,
    concurrencyPerInstanceFrom: input.concurrencyFrom,
    clusterMinReplicas: cluster.count,
    clusterMinFrom: cluster.from,
    maxInstances: input.maxInstances,
    maxInstancesFrom: input.maxInstancesFrom,
  });
  const capacity = input.hosting.kind === 'flex' ? flexCapacity(sized, input.http) : premiumCapacity(sized);
  return {
    term: 'always-ready instances',
    capacity,
    price:
      input.hosting.kind === 'flex'
        ? flexPrice(capacity.instances, input.hosting)
        : premiumPrice(capacity.instances, input.hosting),
  };
}

/** Flex keeps always-ready instances per group: only the `http` group exists before a trigger is written. */
function flexCapacity(sized: WarmCapacity, http: boolean): WarmCapacity {
  if (http || sized.instances === 0) return sized;
  return {
    ...sized,
    instances: 0,
    reason: `${sized.reason}; none emitted: the app has no HTTP trigger, and Flex keeps always-ready instances per trigger group or function (${FACTS}); once its trigger exists, add {name: 'function:<its name>', instanceCount: ${sized.instances}} to alwaysReady`,
  };
}

/** A Premium plan always runs at least one instance (platform-facts.md g); the schema caps the site's minimum at 20. */
function premiumCapacity(sized: WarmCapacity): WarmCapacity {
  const instances = Math.min(PREMIUM_MAX_ALWAYS_READY, Math.max(1, sized.instances));
  if (instances === sized.instances) return sized;
  const why =
    instances > sized.instances
      ? `raised to 1: a Premium plan always runs at least one instance (${FACTS})`
      : `capped at ${PREMIUM_MAX_ALWAYS_READY}, the most minimumElasticInstanceCount takes (Microsoft.Web 2024-11-01 schema)`;
  return { ...sized, instances, reason: `${sized.reason}; ${why}` };
}

function flexPrice(instances: number, hosting: HostingPlan): WarmPrice {
  const price = warmCapacityPrice('azure-functions', {
    instances: Math.max(1, instances),
    memoryMb: hosting.memoryMb,
    vcpu: hosting.cpuMillis / 1000,
  });
  const confirmed = price.usdPerMonth !== null;
  if (instances > 0)
    return confirmed ? price : { ...price, formula: `price not confirmed — ${price.formula}` };
  return {
    ...price,
    usdPerMonth: confirmed ? 0 : null,
    formula: `none kept; one always-ready instance of this size: ${price.formula}${confirmed ? '' : ' (price not confirmed)'}`,
  };
}

/** Premium bills each instance's cores and memory per second; the EP prices are unconfirmed in the facts. */
function premiumPrice(instances: number, hosting: HostingPlan): WarmPrice {
  const sku = hosting.kind === 'premium' ? hosting.sku : 'EP';
  return {
    usdPerMonth: null,
    lowerBound: false,
    formula: `price not confirmed — ${instances} × ${sku} instance (${hosting.label}) × ${HOURS_PER_MONTH} h × (${sku} price per instance-hour, unconfirmed)`,
    source: `Premium plan: billed per second on the cores and memory provisioned per instance, at least one instance always (${FACTS}); the EP1–EP3 prices are [unconfirmed] there, so no figure is given rather than a guess`,
  };
}

/** The cluster's maximum pods, as sizeWarmCapacity's cap on Premium (maximumElasticWorkerCount follows it). */
export function premiumSizingCap(workload: WorkloadReport): { count: number | null; from: string | null } {
  const pods = clusterMaxPods(workload);
  return pods ? { count: pods.count, from: `the cluster's ${pods.from}` } : { count: null, from: null };
}

export function warmSummary(warm: WarmResult): string {
  const price = warm.price;
  const cost =
    price?.usdPerMonth != null
      ? `; $${price.usdPerMonth.toFixed(2)}/month`
      : price
        ? '; price not confirmed'
        : '';
  return `${warm.capacity.reason}${cost}`;
}
