import { concurrency } from './concurrency.ts';
import { cpuLimit } from './cpu-limit.ts';
import { gpuRequired } from './gpu-required.ts';
import { hostAccess } from './host-access.ts';
import { latencySlo } from './latency-slo.ts';
import { memoryLimit } from './memory-limit.ts';
import { modelDownload } from './model-download.ts';
import { modelSize } from './model-size.ts';
import { multiHost } from './multi-host.ts';
import { peakConcurrency } from './peak-concurrency.ts';
import { platformComponent } from './platform-component.ts';
import { requestTimeout } from './request-timeout.ts';
import { scaleToZero } from './scale-to-zero.ts';
import { stateful } from './stateful.ts';
import { trafficShape } from './traffic-shape.ts';
import type { Rule } from './types.ts';

/** Every decision rule, one line each, in the order their findings are listed: grouped by topic. */
export const RULES: readonly Rule[] = [
  // What the workload is.
  platformComponent,
  // The hardware one replica needs.
  gpuRequired,
  multiHost,
  memoryLimit,
  cpuLimit,
  // The model it serves.
  modelSize,
  modelDownload,
  // How it serves requests.
  requestTimeout,
  concurrency,
  latencySlo,
  scaleToZero,
  // What its measured traffic says.
  trafficShape,
  peakConcurrency,
  // What ties it to the cluster.
  stateful,
  hostAccess,
];

export type { Rule, RuleContext } from './types.ts';
