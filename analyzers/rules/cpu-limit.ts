import { AZURE_FLEX_MAX_CPU_MILLIS } from '../../core/limits/targets.ts';
import type { Finding } from '../../core/model/index.ts';
import {
  at,
  count,
  cpu,
  inComponent,
  largestDemand,
  mainSource,
  possessive,
  reporter,
  targetIds,
} from './format.ts';
import type { Rule } from './types.ts';

/**
 * One replica's CPU against each target's largest instance: Lambda 6 vCPUs, bought through memory at
 * 1,769 MB per vCPU (platform-facts.md e.1), Cloud Run 8 vCPU (f), Azure Premium EP3 4 cores with Flex
 * Consumption topping out at 2 cores (g).
 */
export const cpuLimit: Rule = {
  id: 'cpu-limit',
  title: 'CPU per replica',
  description: 'Per-replica CPU demand above a target’s largest instance blocks that target.',
  check(workload, context) {
    const say = reporter(this.id);
    const demand = largestDemand(workload, 'cpuMillis');
    if (demand === null) {
      const source = mainSource(workload);
      const message = `no CPU request or limit${at(source)}: CPU per replica is unknown, so no target's limit could be checked; set resources.requests.cpu`;
      return [say.info(message, source)];
    }
    const needs = `needs ${cpu(demand.value)} per replica${inComponent(demand.shape)}${at(demand.source)}`;
    const findings: Finding[] = [];
    for (const target of targetIds(context.limits)) {
      const limits = context.limits[target];
      if (demand.value > limits.maxCpuMillis) {
        findings.push(
          say.block(`${needs}; ${possessive(limits.title)} maximum is ${limits.labels.cpu}`, demand.source, [
            target,
          ]),
        );
      } else if (target === 'azure-functions' && demand.value > AZURE_FLEX_MAX_CPU_MILLIS) {
        const premium = limits.planTiers.find(
          (tier) => tier.name.startsWith('Premium') && (tier.maxCpuMillis ?? 0) >= demand.value,
        );
        const message = `${needs}; above Flex Consumption's largest instance (2 cores): only the Premium plan fits it (from ${premium?.name}: ${premium?.label})`;
        findings.push(say.warn(message, demand.source, [target]));
      } else if (limits.memoryPerVcpuBytes !== null && demand.value > 1_000) {
        const megabytes = Math.ceil((demand.value / 1_000) * (limits.memoryPerVcpuBytes / 2 ** 20));
        const message = `${needs}; ${limits.title} gives CPU in proportion to memory (1,769 MB per vCPU), so configure at least ${count(megabytes)} MB`;
        findings.push(say.info(message, demand.source, [target]));
      }
    }
    return findings;
  },
};
