import type { Finding } from '../../core/model/index.ts';
import { at, count, possessive, reporter, servingSource, targetIds } from './format.ts';
import type { Rule } from './types.ts';

/** Within this share of a target's maximum, a declared timeout leaves no room: warn. */
const NEAR_LIMIT = 0.8;

/**
 * A declared request timeout (Knative/KServe `timeoutSeconds`, a reader's serving timeout) against each
 * target's maximum: Lambda 900 s (platform-facts.md e.1), Cloud Run 3,600 s (f), Azure Premium 60 min
 * guaranteed, Consumption (legacy) 10 min, Flex not in our sources (g). Only declared values count.
 */
export const requestTimeout: Rule = {
  id: 'request-timeout',
  title: 'Request timeout',
  description: 'A declared request timeout above a target’s maximum blocks it; within 80 % of it warns.',
  check(workload, context) {
    const say = reporter(this.id);
    const timeout = workload.serving.timeoutSeconds;
    if (timeout === null) return [];
    const source = servingSource(workload, 'settings');
    const runs = `requests may run ${count(timeout)} s${at(source)}`;
    const findings: Finding[] = [];
    for (const target of targetIds(context.limits)) {
      const limits = context.limits[target];
      const max = limits.maxTimeoutSeconds;
      if (timeout > max) {
        findings.push(
          say.block(`${runs}; ${possessive(limits.title)} maximum is ${limits.labels.timeout}`, source, [
            target,
          ]),
        );
        continue;
      }
      if (timeout >= NEAR_LIMIT * max) {
        const share = Math.round((timeout / max) * 100);
        const message = `${runs}, ${share} % of ${possessive(limits.title)} maximum ${limits.labels.timeout}: a slow request will be cut off`;
        findings.push(say.warn(message, source, [target]));
        continue;
      }
      const shorter = limits.planTiers.filter(
        (tier) => tier.maxTimeoutSeconds !== null && timeout > tier.maxTimeoutSeconds,
      );
      if (shorter.length === 0) continue;
      const names = shorter
        .map((tier) => `${tier.name} (${count(tier.maxTimeoutSeconds ?? 0)} s)`)
        .join(', ');
      const unknown = limits.planTiers
        .filter((tier) => tier.maxTimeoutSeconds === null)
        .map((tier) => tier.name);
      const check = unknown.length > 0 ? ` (${unknown.join(', ')}: limit not in our sources, check it)` : '';
      const message = `${runs}; longer than ${names} allows on ${limits.title}: use a plan with a longer limit${check}`;
      findings.push(say.info(message, source, [target]));
    }
    return findings;
  },
};
