/**
 * Makes one planned call through the SDK. PUTs are ARM long-running operations (201/202 with
 * Azure-AsyncOperation or Location): the SDK's poller is awaited until the operation succeeds or fails.
 */

import type { AppServicePlan, Site, SitePatchResource } from '@azure/arm-appservice';
import { MigrateError } from '../../core/errors.ts';
import { ExitCode } from '../../core/exit-codes.ts';
import type { ApiCall } from '../types.ts';
import type { AzureSession } from './client.ts';
import { toMigrateError } from './errors.ts';
import { OPERATIONS } from './plan.ts';

interface Target {
  resourceGroupName: string;
  name: string;
}

export async function executeAzure(session: AzureSession, call: ApiCall): Promise<void> {
  const { client } = session;
  const input = call.input as unknown as Target & Record<string, unknown>;
  const request = { requestOptions: { timeout: session.requestTimeoutMs } };
  const poll = { ...request, updateIntervalInMs: session.pollIntervalMs };
  try {
    switch (call.operation) {
      case OPERATIONS.planPut:
        await client.appServicePlans.createOrUpdate(
          input.resourceGroupName,
          input.name,
          input.appServicePlan as AppServicePlan,
          poll,
        );
        return;
      case OPERATIONS.sitePut:
        await client.webApps.createOrUpdate(
          input.resourceGroupName,
          input.name,
          input.siteEnvelope as Site,
          poll,
        );
        return;
      case OPERATIONS.sitePatch:
        await client.webApps.update(
          input.resourceGroupName,
          input.name,
          input.siteEnvelope as SitePatchResource,
          request,
        );
        return;
      case OPERATIONS.appSettings: {
        // The API replaces the whole set (Web Apps - Update Application Settings), so the current set is
        // read and written back with the planned keys changed; it stays in memory, never in the output.
        const current = await client.webApps.listApplicationSettings(
          input.resourceGroupName,
          input.name,
          request,
        );
        await client.webApps.updateApplicationSettings(
          input.resourceGroupName,
          input.name,
          { properties: { ...(current.properties ?? {}), ...(input.set as Record<string, string>) } },
          request,
        );
        return;
      }
      default:
        throw new MigrateError(`azure-functions cannot execute ${call.operation}`, {
          exitCode: ExitCode.internal,
        });
    }
  } catch (error) {
    throw toMigrateError(error, { operation: call.operation, name: input.name, endpoint: session.endpoint });
  }
}
