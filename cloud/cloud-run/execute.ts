/**
 * Makes one planned call through the SDK and waits for its long-running operation: `createService` /
 * `updateService` return an Operation that is done when the new revision is ready (or failed). Only the
 * two operations plan.ts emits are known here; there is no delete.
 */

import type { protos } from '@google-cloud/run';
import { MigrateError } from '../../core/errors.ts';
import type { ApiCall } from '../types.ts';
import type { CloudRunSession } from './client.ts';
import { cloudRunError, providerError } from './errors.ts';
import { CREATE, PATCH } from './plan.ts';
import { placeholdersIn, substitute } from './v2.ts';

type CreateRequest = protos.google.cloud.run.v2.ICreateServiceRequest;
type UpdateRequest = protos.google.cloud.run.v2.IUpdateServiceRequest;

export async function executeCloudRun(session: CloudRunSession, call: ApiCall): Promise<void> {
  // Fill what the plan could not know: the project when it came from the credentials.
  const input = substitute(call.input, { REGION: session.region, PROJECT_ID: session.project });
  const left = placeholdersIn(input);
  if (left.length)
    throw new MigrateError(`${call.operation}: ${left.join(', ')} is still in the request`, {
      hint: 'replace it in service.yaml (the image must name a real registry path) and run apply again',
    });
  const resource =
    call.operation === CREATE
      ? `${String(input.parent)}/services/${String(input.serviceId)}`
      : String((input.service as { name?: unknown } | undefined)?.name);
  const context = { operation: call.operation, resource, endpoint: session.endpoint };
  let operation: { promise(): Promise<unknown> };
  try {
    if (call.operation === CREATE)
      [operation] = await session.client.createService(input as CreateRequest, session.options.write);
    else if (call.operation === PATCH)
      [operation] = await session.client.updateService(input as UpdateRequest, session.options.write);
    else
      throw new MigrateError(`cloud-run cannot execute ${call.operation}`, {
        hint: `apply makes ${CREATE} and ${PATCH} calls only`,
      });
  } catch (error) {
    throw cloudRunError(error, context);
  }
  try {
    await operation.promise();
  } catch (error) {
    const provider = providerError(error);
    if (provider.status === 'PERMISSION_DENIED' || provider.status === 'NETWORK')
      throw cloudRunError(error, { ...context, operation: 'run.operations.get' });
    const name = resource.slice(resource.lastIndexOf('/') + 1);
    throw new MigrateError(
      `${call.operation} ${resource}: the deployment did not become ready: ${provider.message.replace(/\s+/g, ' ').trim()}`,
      {
        hint: `read the revision's logs: gcloud run services logs read ${name} --region ${session.region} --project ${session.project}; a container that does not listen on its port or fails the startup probe is the usual cause`,
      },
    );
  }
}
