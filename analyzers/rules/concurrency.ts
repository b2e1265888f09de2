import type { Finding } from '../../core/model/index.ts';
import { at, count, cpu, reporter, servingSource } from './format.ts';
import type { Rule } from './types.ts';

/**
 * Requests one replica serves at once, against each target: Lambda runs one request per execution
 * environment (platform-facts.md e.1); Cloud Run allows up to 1,000 per instance, default 80, and needs
 * concurrency 1 below 1 vCPU (f); Azure Flex sets per-instance concurrency by instance size, values not
 * in our sources (g). Knative's containerConcurrency 0 means unlimited (platform-facts.md d).
 */
export const concurrency: Rule = {
  id: 'concurrency',
  title: 'Per-replica concurrency',
  description:
    'How a replica’s concurrent requests map to Lambda environments, Cloud Run and Azure Flex instances.',
  check(workload, context) {
    const say = reporter(this.id);
    const value = workload.serving.containerConcurrency;
    if (value === null) return [];
    const source = servingSource(workload, 'settings');
    const serves =
      value === 0
        ? `serves unlimited concurrent requests per replica (containerConcurrency 0)${at(source)}`
        : `serves ${count(value)} concurrent requests per replica${at(source)}`;
    const findings: Finding[] = [];
    const { 'aws-lambda': lambda, 'cloud-run': cloudRun, 'azure-functions': azure } = context.limits;
    if (value !== 1 && lambda.maxConcurrencyPerInstance === 1) {
      const message = `${serves}; ${lambda.title} runs one request per execution environment, so each concurrent request gets its own environment with its own copy of the model in memory`;
      findings.push(say.info(message, source, ['aws-lambda']));
    }
    const cloudRunMax = cloudRun.maxConcurrencyPerInstance ?? Number.POSITIVE_INFINITY;
    if (value === 0 || value > cloudRunMax) {
      const message = `${serves}; ${cloudRun.title} allows at most ${count(cloudRunMax)} per instance (default ${cloudRun.defaultConcurrencyPerInstance}): set it explicitly`;
      findings.push(say.with(value === 0 ? 'info' : 'warn')(message, source, ['cloud-run']));
    } else if (value > 1 && workload.resources.cpuMillis !== null && workload.resources.cpuMillis < 1_000) {
      const message = `${serves} on ${cpu(workload.resources.cpuMillis)}; ${cloudRun.title} requires concurrency 1 below 1 vCPU: give it 1 vCPU or serve one request at a time`;
      findings.push(say.info(message, source, ['cloud-run']));
    }
    if (value !== 1) {
      const max =
        azure.maxConcurrencyPerInstance === null
          ? 'values not in our sources'
          : `up to ${count(azure.maxConcurrencyPerInstance)}`;
      const message = `${serves}; ${azure.title} Flex Consumption sets HTTP per-instance concurrency by instance size (${max}): set it to match`;
      findings.push(say.info(message, source, ['azure-functions']));
    }
    return findings;
  },
};
