/**
 * Constants of the AWS Lambda model, each with its source (../shared/reference/platform-facts.md e, i).
 * Limits the converter already holds are imported from it (converters/aws-lambda/sizing.ts, which
 * reads core/limits), never copied. Values marked "assumption" have no vendor source: every result
 * that uses one lists it under `assumptions`. docs/platforms/aws-lambda.md lists them all.
 */

import {
  DEFAULT_TMP_MB,
  INIT_LIMIT_SECONDS,
  MB_PER_VCPU,
  MIN_MEMORY_MB,
} from '../../../converters/aws-lambda/sizing.ts';
import { SCALING_LIMITS } from '../../../core/limits/scaling.ts';
import { TARGET_LIMITS } from '../../../core/limits/targets.ts';
import type { Sourced } from '../kubernetes/defaults.ts';

const fact = <T>(value: T, source: string): Sourced<T> => ({ value, source });
const SCALING = SCALING_LIMITS['aws-lambda'];

/** Concurrent executions a function may use without reserved concurrency: the account's default quota. */
export const ACCOUNT_CONCURRENCY = fact(SCALING.defaultMaxInstances, SCALING.sources.maxInstances);

/** The scaling-rate window: "1,000 execution environment instances every 10 seconds" per function. */
export const SCALING_WINDOW_MS = 10_000;

/**
 * New execution environments per function per window. core/limits keeps the rate per second (100);
 * the page states it per 10 s, and the model enforces it per 10 s (see ./scaling.ts).
 */
export const SCALING_RATE = fact(
  SCALING.newInstancesPerSecond * (SCALING_WINDOW_MS / 1000),
  `${SCALING.sources.scalingRate}; "Lambda makes a best attempt to refill your concurrency scaling rate continuously … doesn't accrue unused portions" (scaling-behavior page)`,
);

/** "The Init phase is limited to 10 seconds"; beyond it Init is retried inside the first invocation. */
export const INIT_LIMIT_MS = fact(
  INIT_LIMIT_SECONDS * 1000,
  'Init phase limited to 10 s, then retried at the first invocation with the configured function timeout (lambda-runtime-environment, platform-facts.md e.1)',
);

/**
 * How long an idle execution environment is kept before it is reclaimed. AWS documents none.
 */
export const KEEP_ALIVE_MS = fact(
  600_000,
  "assumption: AWS documents no keep-alive; 10 min is the fixed keep-alive Shahrad et al. (USENIX ATC 2020) report for Lambda and SimFaaS's default expiration_threshold of 600 s (platform-facts.md i); set --keep-alive-seconds",
);

/** The sandbox itself before Init runs: no figure was read, so the cold start is the Init phase alone. */
export const SANDBOX_START_MS = fact(
  0,
  'assumption: platform-facts.md e gives no sandbox start time; the cold start is the Init phase (the model load)',
);

/** Which idle environment takes the next request. */
export const REUSE_ORDER = fact(
  'most recently used',
  'assumption: AWS does not document it; reusing the most recently used environment lets surplus environments expire (as SimFaaS does)',
);

export const MB_PER_VCPU_VALUE = fact(MB_PER_VCPU, '1,769 MB = 1 vCPU (platform-facts.md e.1)');
export const MAX_CPU_MILLIS = fact(
  TARGET_LIMITS['aws-lambda'].maxCpuMillis,
  TARGET_LIMITS['aws-lambda'].sources.cpu ?? 'platform-facts.md e.1',
);

/** Function settings when a template leaves them out: Lambda's own defaults. */
export const FUNCTION_DEFAULTS = {
  memoryMb: fact(MIN_MEMORY_MB, 'Lambda default MemorySize 128 MB (platform-facts.md e.1)'),
  timeoutSeconds: fact(3, "Lambda's default Timeout of 3 s (AWS documentation; not in platform-facts.md)"),
  ephemeralStorageMb: fact(DEFAULT_TMP_MB, '/tmp default 512 MB (platform-facts.md e.1)'),
};

/** Prices are us-east-1's, the only region in core/pricing/aws-lambda.ts. */
export const REGION = 'us-east-1';

/** CPU Lambda gives a function of `memoryMb`: proportional to memory, at most 6 vCPUs. */
export function lambdaCpuMillis(memoryMb: number): number {
  return Math.min(MAX_CPU_MILLIS.value, (memoryMb / MB_PER_VCPU) * 1000);
}
