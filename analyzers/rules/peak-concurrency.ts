import { type Finding, TARGETS, type TargetId, type Workload } from '../../core/model/index.ts';
import { trafficStatsJson } from '../../core/traffic/index.ts';
import { count, reporter } from './format.ts';
import { trafficSource } from './traffic-shape.ts';
import type { Rule, RuleContext } from './types.ts';

/** Requests one instance of the target takes at once: the workload's own setting where the target honours it. */
function perInstance(workload: Workload, target: TargetId, context: RuleContext): number {
  const declared = workload.serving.containerConcurrency;
  if (target === 'cloud-run' && declared !== null && declared > 0) return declared;
  return context.scaling[target].defaultConcurrencyPerInstance;
}

/**
 * Little's law: requests in flight = arrival rate × service time. At the trace's peak that is the
 * concurrency each target must hold, in instances; its steepest rise is how fast they must appear.
 */
export const peakConcurrency: Rule = {
  id: 'peak-concurrency',
  title: "Peak concurrency (Little's law)",
  description:
    "With traffic given: peak concurrency = peak arrival rate × service time, in instances per target, against each target's default instance limit and scale-out rate.",
  check(workload, context) {
    const profile = context.traffic.get(workload.id);
    if (!profile) return [];
    const say = reporter(this.id);
    const source = trafficSource(profile);
    const serviceMs = profile.latency?.meanMs ?? context.serviceMs;
    if (serviceMs === null || serviceMs === undefined) {
      return [
        say.info(
          'traffic has no service times: pass --service-ms (or a trace with a duration column) to size concurrency',
          source,
        ),
      ];
    }
    const stats = trafficStatsJson(profile);
    const peakRate = stats.peakRequestsIn1s ?? stats.peakRatePerSecond1m;
    const peakWindow = stats.peakRequestsIn1s === null ? 'busiest minute' : 'busiest second';
    const concurrency = (peakRate * serviceMs) / 1000;
    // A rise of N req/min from one minute to the next adds N/60 req/s, so N/60 × service time in flight.
    const concurrencyRise = ((stats.largestIncreasePerMinute / 60) * serviceMs) / 1000;
    const serviceFrom = profile.latency?.meanMs
      ? `mean service time ${serviceMs.toFixed(0)} ms from the trace`
      : `--service-ms ${serviceMs}`;
    const findings: Finding[] = [
      say.info(
        `peak concurrency ≈ ${concurrency.toFixed(1)} requests in flight (${peakRate.toFixed(1)} req/s in the ${peakWindow} × ${serviceFrom})`,
        source,
      ),
    ];
    for (const target of TARGETS) {
      const limits = context.scaling[target];
      const title = context.limits[target].title;
      const each = perInstance(workload, target, context);
      const instances = Math.ceil(concurrency / each);
      if (instances > limits.defaultMaxInstances) {
        findings.push(
          say.warn(
            `needs about ${count(instances)} instances at peak (${each} request(s) each); ${title} allows ${count(limits.defaultMaxInstances)} by default (${limits.sources.maxInstances}): raise the quota or the maximum`,
            source,
            [target],
          ),
        );
      }
      const newPerMinute = Math.ceil(concurrencyRise / each);
      if (newPerMinute > limits.newInstancesPerSecond * 60) {
        findings.push(
          say.warn(
            `the steepest rise (+${count(Math.round(stats.largestIncreasePerMinute))} req/min) needs about ${count(newPerMinute)} new instances within a minute; ${title} adds at most ${count(limits.newInstancesPerSecond * 60)} per minute (${limits.sources.scalingRate}): expect queueing or throttling unless warm capacity covers it`,
            source,
            [target],
          ),
        );
      }
    }
    return findings;
  },
};
