import { statisticsBins, type TrafficProfile, trafficStatsJson } from '../../core/traffic/index.ts';

/**
 * How much warm capacity (Lambda provisioned concurrency, Cloud Run min instances, Azure always-ready
 * instances) a workload's baseline traffic needs, by Little's law:
 *
 *   requests in flight = arrival rate × mean service time;   instances = ⌈in flight ÷ requests per instance⌉
 *
 * The arrival rate is a quantile of the trace's 1-minute request rates (idle minutes included), by
 * nearest rank: the median (0.5) by default, so half of the minutes need no more than the warm
 * capacity. Bursts above it start new instances, cold. Without traffic, a conservative default is
 * used and marked as such.
 */
export const DEFAULT_WARM_QUANTILE = 0.5;

export interface WarmCapacity {
  instances: number;
  basis: 'traffic' | 'default';
  /** Traffic basis: the quantile used, the rate at it, the service time and where it came from. */
  quantile: number | null;
  ratePerSecond: number | null;
  serviceMs: number | null;
  serviceFrom: string | null;
  concurrencyNeeded: number | null;
  concurrencyPerInstance: number;
  /** Share of the trace's minutes whose load the warm capacity holds without starting an instance. */
  coveredMinuteFraction: number | null;
  /** Where the traffic came from (`synthetic trending seed=1`, a file, a Prometheus server). */
  trafficSource: string | null;
  /** What capped the number, when something did (the cluster's maximum capacity). */
  cappedBy: string | null;
  /** One sentence: how the number was reached. */
  reason: string;
}

export interface WarmInput {
  traffic: TrafficProfile | null;
  /** `--service-ms`, used when the traffic carries no service times. */
  serviceMs: number | null;
  quantile: number;
  /** Requests one instance of the target serves at once (1 for Lambda), and why. */
  concurrencyPerInstance: number;
  concurrencyPerInstanceFrom: string;
  /** Replicas the cluster keeps running at the least (HPA/KEDA minimum, or the fixed replica count). */
  clusterMinReplicas: number | null;
  clusterMinFrom: string;
  /** Most instances the target may run for this workload (reserved concurrency), or null. */
  maxInstances: number | null;
  maxInstancesFrom: string | null;
}

export function sizeWarmCapacity(input: WarmInput): WarmCapacity {
  const perInstance = Math.max(1, input.concurrencyPerInstance);
  const base = {
    quantile: null,
    ratePerSecond: null,
    serviceMs: null,
    serviceFrom: null,
    concurrencyNeeded: null,
    concurrencyPerInstance: perInstance,
    coveredMinuteFraction: null,
    trafficSource: input.traffic ? trafficStatsJson(input.traffic).source : null,
    cappedBy: null,
  };
  const service = serviceTime(input);
  if (!input.traffic || service === null) {
    const why = input.traffic
      ? "the traffic has no service times and no --service-ms was given, so Little's law cannot be applied"
      : 'no traffic was given (--traffic, --spike or --prometheus)';
    const warm = (input.clusterMinReplicas ?? 0) >= 1;
    return {
      ...base,
      instances: warm ? 1 : 0,
      basis: 'default',
      reason: warm
        ? `default, not sized: ${why}; the cluster keeps at least ${input.clusterMinReplicas} replica(s) running (${input.clusterMinFrom}), so one warm instance keeps the first request as fast as today`
        : `default, not sized: ${why}; the cluster already scales to zero (${input.clusterMinFrom}), so no warm capacity is kept`,
    };
  }
  const rates = minuteRates(input.traffic);
  const rate = quantileOf(rates, input.quantile);
  const needed = (rate * service.ms) / 1000;
  let instances = Math.ceil(needed / perInstance - 1e-9);
  let cappedBy: string | null = null;
  if (input.maxInstances !== null && instances > input.maxInstances) {
    instances = input.maxInstances;
    cappedBy = `capped at ${input.maxInstances}, the most instances allowed (${input.maxInstancesFrom})`;
  }
  const capacity = instances * perInstance;
  const covered = rates.filter((perSecond) => (perSecond * service.ms) / 1000 <= capacity + 1e-9).length;
  const percent = Math.round(input.quantile * 100);
  return {
    ...base,
    instances,
    basis: 'traffic',
    quantile: input.quantile,
    ratePerSecond: rate,
    serviceMs: service.ms,
    serviceFrom: service.from,
    concurrencyNeeded: needed,
    coveredMinuteFraction: rates.length ? covered / rates.length : null,
    cappedBy,
    reason:
      `Little's law on the ${quantileLabel(percent)} of the 1-minute request rates: ${round(rate, 3)} req/s × ${round(service.ms, 1)} ms ` +
      `(${service.from}) = ${round(needed, 2)} requests in flight; ÷ ${perInstance} per instance (${input.concurrencyPerInstanceFrom}), rounded up = ${Math.ceil(needed / perInstance - 1e-9)}` +
      (cappedBy ? `; ${cappedBy}` : ''),
  };
}

/** Mean service time: Little's law needs the mean, so the trace's mean wins over a percentile. */
function serviceTime(input: WarmInput): { ms: number; from: string } | null {
  const mean = input.traffic?.latency?.meanMs;
  if (mean !== null && mean !== undefined && mean > 0)
    return { ms: mean, from: `mean service time of the trace, ${input.traffic!.latency!.source}` };
  if (input.serviceMs !== null && input.serviceMs > 0) return { ms: input.serviceMs, from: '--service-ms' };
  return null;
}

/** Requests per second in each bin that has data (1-minute bins, or the trace's coarser step). */
export function minuteRates(profile: TrafficProfile): number[] {
  const bins = statisticsBins(profile);
  return bins.requests.filter((count) => !Number.isNaN(count)).map((count) => count / bins.resolutionSeconds);
}

/** Nearest-rank quantile, as the traffic latency percentiles are computed (core/traffic/build.ts). */
export function quantileOf(values: readonly number[], quantile: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(quantile * sorted.length) - 1));
  return sorted[rank]!;
}

function quantileLabel(percent: number): string {
  return percent === 50 ? 'median (p50)' : `p${percent}`;
}

function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}
