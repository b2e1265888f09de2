/**
 * Constants of the Cloud Run model, each with its source (../shared/reference/platform-facts.md f, i).
 * Limits the converter already holds are imported from it (converters/cloud-run/limits.ts, which reads
 * core/limits), never copied. Values marked "assumption" have no vendor source: every result that uses
 * one lists it under `assumptions`. docs/platforms/cloud-run.md lists them all.
 */

import {
  DEFAULT_CONCURRENCY,
  DEFAULT_CPU_MILLIS,
  MIN_MEMORY_BYTES,
} from '../../../converters/cloud-run/limits.ts';
import { SCALING_LIMITS } from '../../../core/limits/scaling.ts';
import type { Sourced } from '../kubernetes/defaults.ts';

const fact = <T>(value: T, source: string): Sourced<T> => ({ value, source });

/** "By default Cloud Run targets 60 % CPU and concurrency utilization". */
export const TARGET_UTILIZATION = fact(
  0.6,
  'Cloud Run targets 60 % concurrency utilisation by default ("Configure custom scaling controls", platform-facts.md f)',
);

/** How often the autoscaler re-evaluates. */
export const AUTOSCALER_TICK_MS = fact(
  2_000,
  "assumption: Cloud Run's evaluation period is not in platform-facts.md; Knative's autoscaler, whose API Cloud Run serves, ticks every 2 s (platform-facts.md d)",
);

/** The autoscaler sizes for the most requests in flight over this window. */
export const SCALING_WINDOW_MS = fact(
  60_000,
  'the autoscaler weighs "the current request concurrency, compared to the maximum concurrency over a one-minute window" (cloud.google.com/run/docs/about-instance-autoscaling, read for this model; not in platform-facts.md)',
);

export const DEFAULT_MAX_INSTANCES = fact(
  SCALING_LIMITS['cloud-run'].defaultMaxInstances,
  SCALING_LIMITS['cloud-run'].sources.maxInstances,
);

/** With max instances reached and every instance full, requests wait this long, then fail with 429. */
export const PENDING_LIMIT_MS = fact(
  60_000,
  'cloud.google.com/run/docs/about-instance-autoscaling, "Exceeding maximum instances": requests "queue for up to 60 seconds … the request fails with a 429" (read for this model; not in platform-facts.md). Applied to every waiting request, also those waiting for a starting instance (assumption), and never beyond the request timeout',
);

/** How long an idle instance above min instances is kept (the autoscaler's surplus instances wait idle, warm). */
export const IDLE_RETENTION_MS = fact(
  600_000,
  'assumption: Google documents only "an unspecified amount of time" (Cloud Run functions, "Idle instances and cold starts"); 10 min is SimFaaS\'s default expiration_threshold (platform-facts.md i); set --keep-alive-seconds',
);

/** Instance start before the model loads. */
export const GPU_START_MS = fact(
  5_000,
  'GPU instances "start in approximately 5 seconds" (GPU support for services, platform-facts.md f)',
);
export const CPU_START_MS = fact(
  5_000,
  'assumption: the only Cloud Run start time in platform-facts.md f is the GPU one (~5 s); used for CPU instances too',
);

/** Values a service.yaml may leave out. */
export const SERVICE_DEFAULTS = {
  concurrency: fact(DEFAULT_CONCURRENCY, 'Cloud Run default concurrency 80 (platform-facts.md f)'),
  timeoutSeconds: fact(300, 'Cloud Run default request timeout 300 s (platform-facts.md f)'),
  cpuMillis: fact(DEFAULT_CPU_MILLIS, 'Cloud Run default 1 vCPU (platform-facts.md f)'),
  memoryBytes: fact(
    MIN_MEMORY_BYTES,
    "assumption: Cloud Run's default memory is not in platform-facts.md; 512 MiB (converters/cloud-run/limits.ts)",
  ),
};

/** Billable time "rounded up to the nearest 100 millisecond" (pricing page, platform-facts.md f). */
export const BILLING_GRANULARITY_MS = 100;

/** Prices in core/pricing/cloud-run.ts are Tier 1 prices. */
export const REGION = 'us-central1';

export const ROUTING = fact(
  'least outstanding requests',
  'assumption: Cloud Run does not document how it balances requests over instances; the instance with the fewest requests in service takes the next one',
);
