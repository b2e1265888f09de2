import type { Assumption } from '../../types.ts';

/**
 * Requests one instance serves at once. `--pod-concurrency` means that on every target, so it wins
 * over the deployed configuration; when the two differ the run says so among its assumptions.
 */
export function instanceConcurrency(
  podConcurrency: number | null,
  configured: number,
  assumptionName: string,
  assumptions: Assumption[],
): number {
  if (podConcurrency === null) return configured;
  if (podConcurrency !== configured) {
    assumptions.push({
      name: assumptionName,
      value: `${podConcurrency}`,
      source: `--pod-concurrency (the configuration says ${configured})`,
    });
  }
  return podConcurrency;
}
