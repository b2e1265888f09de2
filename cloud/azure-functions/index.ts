/**
 * The azure-functions cloud target: verify, apply and measure a function app (Flex Consumption or
 * Premium) through @azure/arm-appservice with @azure/identity's default chain. docs/cloud/azure-functions.md.
 */

import type { CloudTarget } from '../types.ts';
import { type AzureSession, connectAzure } from './client.ts';
import { CONFIG_FILE, readAzureDesired } from './desired.ts';
import { executeAzure } from './execute.ts';
import { readAzureLive } from './live.ts';
import { measureAzure } from './measure.ts';
import { planAzure } from './plan.ts';

export const azureFunctionsCloud: CloudTarget<AzureSession> = {
  id: 'azure-functions',
  configFile: CONFIG_FILE,
  readDesired: readAzureDesired,
  connect: (flags) => connectAzure(flags),
  readLive: readAzureLive,
  resolved: (session) => ({ subscription: session.subscriptionId }),
  planApply: planAzure,
  execute: executeAzure,
  measure: measureAzure,
  // The SDK keeps no sockets or timers between calls (each request's agent is released with it).
  close: () => {},
};

export type { AzureSession } from './client.ts';
