/**
 * Constants of the Azure Functions model, each with its source (../shared/reference/platform-facts.md
 * g, i). Plan sizes and bounds the converter already holds are imported from it
 * (converters/azure-functions/sizing.ts, which reads core/limits), never copied. Values marked
 * "assumption" have no vendor source: every result that uses one lists it under `assumptions`.
 * docs/platforms/azure-functions.md lists them all.
 */

import { FLEX_DEFAULT_MB, FLEX_MAX_INSTANCES } from '../../../converters/azure-functions/sizing.ts';
import { SCALING_LIMITS } from '../../../core/limits/scaling.ts';
import type { Sourced } from '../kubernetes/defaults.ts';

const fact = <T>(value: T, source: string): Sourced<T> => ({ value, source });
const SCALING = SCALING_LIMITS['azure-functions'];

/** "For HTTP triggers, new instances are allocated, at most, once per second." */
export const SCALE_INTERVAL_MS = fact(1000 / SCALING.newInstancesPerSecond, SCALING.sources.scalingRate);

export const PREMIUM_SCALE_NOTE =
  '"Scaling is faster when running in a Premium plan" (platform-facts.md g) gives no figure: the model keeps one instance per second there too (an assumption that may understate Premium)';

/** How long an idle instance above the always-ready ones is kept. */
export const IDLE_RETENTION_MS = fact(
  1_200_000,
  'assumption: Microsoft documents none; 20 min is the fixed keep-alive Shahrad et al. (USENIX ATC 2020) report for Azure Functions (platform-facts.md i); set --keep-alive-seconds',
);

/** Instance start before the model loads: no figure was read. */
export const HOST_START_MS = fact(
  0,
  'assumption: platform-facts.md g gives no instance start time; the cold start is the model load alone (this understates Azure cold starts)',
);

/** Flex Consumption "app init time-out 30 s". */
export const FLEX_INIT_LIMIT_MS = fact(
  30_000,
  'Flex Consumption app init time-out 30 s (platform-facts.md g)',
);

/** Premium prewarmed instances when the template does not set preWarmedInstanceCount. */
export const PREMIUM_PREWARMED = fact(
  1,
  "assumption: prewarmed-instance behaviour is not in platform-facts.md g; one prewarmed instance, Azure's documented default for preWarmedInstanceCount, taking traffic without a cold start when the plan scales out and replaced in the background",
);

/** Values a template may leave out. */
export const APP_DEFAULTS = {
  flexMemoryMb: fact(FLEX_DEFAULT_MB, 'Flex Consumption default instance 2,048 MB (platform-facts.md g)'),
  flexMaxInstances: fact(
    FLEX_MAX_INSTANCES,
    'Flex Consumption max scale 1,000 instances (platform-facts.md g)',
  ),
  concurrency: fact(SCALING.defaultConcurrencyPerInstance, SCALING.sources.concurrency),
  premiumMinimum: fact(1, 'a Premium plan runs at least one instance always (platform-facts.md g)'),
  premiumMaxBurst: fact(100, 'Premium scales to 100 instances by default (platform-facts.md g)'),
  timeoutSeconds: fact(
    1_800,
    "default run duration 30 min (Premium, platform-facts.md g; Flex's default is not there and is taken to be the same)",
  ),
};

/** Flex bills activity periods of at least 1,000 ms, rounded to 100 ms (the calculator applies both). */
export const FLEX_GRANULARITY_MS = 100;
/** Premium is "billed per second on cores and memory provisioned per instance". */
export const PREMIUM_GRANULARITY_MS = 1000;

export const REGION = 'eastus';

export const ROUTING = fact(
  'least outstanding requests',
  'assumption: Azure does not document how the front end balances requests over instances; the instance with the fewest requests in service takes the next one',
);
