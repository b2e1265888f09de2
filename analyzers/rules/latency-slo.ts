import { STAY_THRESHOLDS } from '../../core/limits/targets.ts';
import { at, count, reporter, servingSource } from './format.ts';
import type { Rule } from './types.ts';

/**
 * Below this SLO a model server cannot absorb a cold start (the project brief's threshold, not a vendor
 * figure). Cold starts take seconds: Lambda's Init phase may run up to 10 s (platform-facts.md e.1), Cloud
 * Run GPU instances start in about 5 s (f), Flex app init may take up to 30 s (g).
 */
const COLD_START_SLO_MS = 100;

/** decision-rules.md: keep traditional deployment when the latency requirement is under 10 ms. */
export const latencySlo: Rule = {
  id: 'latency-slo',
  title: 'Latency SLO',
  description:
    'An SLO under 10 ms keeps the workload on the cluster; under ~100 ms a model server needs warm instances.',
  check(workload, context) {
    const say = reporter(this.id);
    // The workload's own annotation (migrate.dev/slo-ms) wins over --slo-ms.
    const own = workload.serving.sloMs;
    const slo = own ?? context.sloMs;
    if (slo === null) return [];
    const source = own === null ? null : servingSource(workload, 'slo');
    const is = `latency SLO is ${count(slo)} ms${own === null ? ' (--slo-ms)' : at(source)}`;
    if (slo < STAY_THRESHOLDS.latencySloMs) {
      return [say.block(`${is}; under 10 ms the workload stays on the cluster (decision-rules.md)`, source)];
    }
    if (slo >= COLD_START_SLO_MS || !workload.ml.isModelServer) return [];
    const message = `${is}; a cold start takes seconds (Lambda Init up to 10 s, Cloud Run GPU instances ~5 s, Flex app init up to 30 s), so every target needs warm instances sized to the traffic: provisioned concurrency, min instances, always-ready instances`;
    return [say.warn(message, source)];
  },
};
