import type { TargetId } from '../model/index.ts';

/**
 * How fast and how far each target scales out, as data with sources (../shared/reference/platform-facts.md).
 * Rules use these to compare a trace's peak concurrency and its steepest rise with what a target can do.
 */
export interface ScalingLimits {
  /** Instances (Lambda: execution environments) a function or service may have by default. */
  defaultMaxInstances: number;
  /** New instances the platform adds per second at most, for HTTP traffic. */
  newInstancesPerSecond: number;
  /** Concurrent requests one instance takes when the config does not say. */
  defaultConcurrencyPerInstance: number;
  sources: { maxInstances: string; scalingRate: string; concurrency: string };
}

export const SCALING_LIMITS: Record<TargetId, ScalingLimits> = {
  'aws-lambda': {
    defaultMaxInstances: 1_000,
    newInstancesPerSecond: 100,
    defaultConcurrencyPerInstance: 1,
    sources: {
      maxInstances: '1,000 concurrent executions per Region by default (platform-facts.md e.1)',
      scalingRate:
        '1,000 execution environments every 10 seconds per function (platform-facts.md e.1, "Lambda scaling behavior")',
      concurrency: 'one request per execution environment (platform-facts.md e.1)',
    },
  },
  'cloud-run': {
    defaultMaxInstances: 100,
    // Cloud Run documents no instance creation rate in the facts read; the rule does not judge rate for it.
    newInstancesPerSecond: Number.POSITIVE_INFINITY,
    defaultConcurrencyPerInstance: 80,
    sources: {
      maxInstances: 'default max instances 100 — secondary source only (platform-facts.md f)',
      scalingRate: 'not documented in the sources read (platform-facts.md f)',
      concurrency: 'default concurrency 80 per instance (platform-facts.md f)',
    },
  },
  'azure-functions': {
    defaultMaxInstances: 1_000,
    newInstancesPerSecond: 1,
    // Flex's per-instance HTTP concurrency defaults were not read; 1 is the conservative assumption.
    defaultConcurrencyPerInstance: 1,
    sources: {
      maxInstances: 'Flex Consumption max scale 1,000 instances (platform-facts.md g)',
      scalingRate: 'HTTP triggers: new instances allocated at most once per second (platform-facts.md g)',
      concurrency: 'Flex per-instance concurrency values not read; assumed 1 (platform-facts.md g)',
    },
  },
};
