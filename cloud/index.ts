/**
 * The cloud targets, loaded on demand: each pulls in its provider's SDK (hundreds of milliseconds of
 * imports), which no other verb should pay for.
 */

import type { CloudTarget, CloudTargetId } from './types.ts';

const LOADERS: Record<CloudTargetId, () => Promise<CloudTarget>> = {
  'aws-lambda': async () => (await import('./aws-lambda/index.ts')).awsLambdaCloud as CloudTarget,
  'cloud-run': async () => (await import('./cloud-run/index.ts')).cloudRunCloud as CloudTarget,
  'azure-functions': async () =>
    (await import('./azure-functions/index.ts')).azureFunctionsCloud as CloudTarget,
};

export function loadCloudTarget(id: CloudTargetId): Promise<CloudTarget> {
  return LOADERS[id]();
}

export { CLOUD_TARGETS } from './types.ts';
