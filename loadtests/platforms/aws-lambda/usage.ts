/**
 * What a Lambda run is billed for, accumulated invocation by invocation and handed to the cost
 * calculator as a `LambdaUsage` (core/pricing/usage.ts): invocations with their billed durations,
 * each rounded up to 1 ms (platform-facts.md e.2), split by whether they ran on provisioned
 * concurrency, and the provisioned concurrency kept for the whole run.
 */

import type { LambdaUsage } from '../../../core/pricing/usage.ts';
import type { LambdaConfig } from './config.ts';
import { REGION } from './defaults.ts';

interface Tally {
  count: number;
  /** Sum of the billed durations, whole ms. */
  billedMs: number;
}

export class LambdaBilling {
  private readonly onDemand: Tally = { count: 0, billedMs: 0 };
  private readonly provisioned: Tally = { count: 0, billedMs: 0 };

  /** One invocation that ran `durationMs` (init included when it was billed with it). */
  invocation(provisioned: boolean, durationMs: number): void {
    const tally = provisioned ? this.provisioned : this.onDemand;
    tally.count += 1;
    tally.billedMs += Math.ceil(durationMs - 1e-9);
  }

  /**
   * The usage of a run that lasted `endMs`. The calculator takes each group's average duration and
   * rounds it up to 1 ms, so every group is given a whole-ms average: n invocations summing S ms become
   * r = S mod n at ⌈S/n⌉ and n − r at ⌊S/n⌋, which bills exactly S.
   */
  usage(config: LambdaConfig, endMs: number): LambdaUsage {
    return {
      platform: 'aws-lambda',
      region: REGION,
      // A replay is a slice of a month: the account's monthly free tier is not this run's to use.
      freeTier: false,
      architecture: config.architecture,
      memoryMb: config.memoryMb,
      ephemeralStorageMb: config.ephemeralStorageMb,
      invocations: [...groups(this.onDemand, false), ...groups(this.provisioned, true)],
      provisionedConcurrency:
        config.provisionedConcurrency > 0
          ? [{ instances: config.provisionedConcurrency, hours: endMs / 3_600_000 }]
          : [],
    };
  }
}

function groups(tally: Tally, provisioned: boolean): LambdaUsage['invocations'] {
  if (tally.count === 0) return [];
  const low = Math.floor(tally.billedMs / tally.count);
  const high = tally.billedMs - low * tally.count;
  const flag = provisioned ? { provisioned: true } : {};
  return [
    ...(high > 0 ? [{ count: high, avgDurationMs: low + 1, ...flag }] : []),
    ...(tally.count - high > 0 ? [{ count: tally.count - high, avgDurationMs: low, ...flag }] : []),
  ];
}
