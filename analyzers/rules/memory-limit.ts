import { AZURE_FLEX_MAX_MEMORY_BYTES } from '../../core/limits/targets.ts';
import type { Finding } from '../../core/model/index.ts';
import {
  at,
  bytes,
  inComponent,
  largestDemand,
  mainSource,
  possessive,
  reporter,
  targetIds,
} from './format.ts';
import type { Rule } from './types.ts';

/**
 * One replica's memory against each target's largest instance: Lambda 10,240 MB (platform-facts.md e.1),
 * Cloud Run 32 GiB (f), Azure Premium EP3 14 GB with Flex Consumption topping out at 4,096 MB (g).
 */
export const memoryLimit: Rule = {
  id: 'memory-limit',
  title: 'Memory per replica',
  description: 'Per-replica memory demand above a target’s largest instance blocks that target.',
  check(workload, context) {
    const say = reporter(this.id);
    const demand = largestDemand(workload, 'memoryBytes');
    if (demand === null) {
      const source = mainSource(workload);
      const message = `no memory request or limit${at(source)}: memory per replica is unknown, so no target's limit could be checked; set resources.requests.memory`;
      return [say.info(message, source)];
    }
    const needs = `needs ${bytes(demand.value)} memory per replica${inComponent(demand.shape)}${at(demand.source)}`;
    const findings: Finding[] = [];
    for (const target of targetIds(context.limits)) {
      const limits = context.limits[target];
      if (demand.value > limits.maxMemoryBytes) {
        findings.push(
          say.block(
            `${needs}; ${possessive(limits.title)} maximum is ${limits.labels.memory}`,
            demand.source,
            [target],
          ),
        );
      } else if (target === 'azure-functions' && demand.value > AZURE_FLEX_MAX_MEMORY_BYTES) {
        const premium = limits.planTiers.find(
          (tier) => tier.name.startsWith('Premium') && tier.maxMemoryBytes >= demand.value,
        );
        const message = `${needs}; above Flex Consumption's largest instance (4,096 MB): only the Premium plan fits it (from ${premium?.name}: ${premium?.label})`;
        findings.push(say.warn(message, demand.source, [target]));
      }
    }
    return findings;
  },
};
