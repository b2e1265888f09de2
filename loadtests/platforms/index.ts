/**
 * The platform models a replay can run, one line each. A new target is one folder
 * (loadtests/platforms/<id>/index.ts exporting a `PlatformModule`, see ./types.ts) and one line here.
 * Targets listed in TARGET_IDS without a module still appear in every result, as `not-implemented`.
 */

import { awsLambda } from './aws-lambda/index.ts';
import { azureFunctions } from './azure-functions/index.ts';
import { cloudRun } from './cloud-run/index.ts';
import { knative } from './knative/index.ts';
import { kubernetes } from './kubernetes/index.ts';
import type { PlatformModule, ReplayTargetId } from './types.ts';

export const PLATFORMS: readonly PlatformModule[] = [
  kubernetes,
  knative,
  awsLambda,
  cloudRun,
  azureFunctions,
];

/** Every target, in report order. */
export const TARGET_IDS: readonly ReplayTargetId[] = [
  'kubernetes',
  'knative',
  'aws-lambda',
  'cloud-run',
  'azure-functions',
];

export function platformFor(id: ReplayTargetId): PlatformModule | null {
  return PLATFORMS.find((module) => module.meta.id === id) ?? null;
}
