/**
 * Makes one planned call through the SDK. The wait step polls GetFunctionConfiguration until the
 * function has settled (Lambda refuses changes while it is Pending or an update is InProgress); the
 * version PublishVersion returns is kept in the session for the alias call that follows.
 */

import {
  CreateAliasCommand,
  type CreateAliasCommandInput,
  CreateFunctionCommand,
  type CreateFunctionCommandInput,
  GetFunctionConfigurationCommand,
  PublishVersionCommand,
  type PublishVersionCommandInput,
  PutFunctionConcurrencyCommand,
  type PutFunctionConcurrencyCommandInput,
  PutProvisionedConcurrencyConfigCommand,
  type PutProvisionedConcurrencyConfigCommandInput,
  UpdateAliasCommand,
  type UpdateAliasCommandInput,
  UpdateFunctionCodeCommand,
  type UpdateFunctionCodeCommandInput,
  UpdateFunctionConfigurationCommand,
  type UpdateFunctionConfigurationCommandInput,
} from '@aws-sdk/client-lambda';
import { MigrateError } from '../../core/errors.ts';
import type { ApiCall } from '../types.ts';
import type { LambdaSession } from './client.ts';
import { toMigrateError } from './errors.ts';
import { PUBLISHED_VERSION, WAIT_OPERATION } from './plan.ts';

export async function execute(session: LambdaSession, call: ApiCall): Promise<void> {
  const name = String(call.input.FunctionName);
  try {
    await send(session, call.operation, resolvePlaceholders(session, call));
  } catch (error) {
    const qualifier = call.input.Qualifier ?? call.input.Name;
    throw toMigrateError(error, call.operation, qualifier ? `${name}:${String(qualifier)}` : name);
  }
}

async function send(
  session: LambdaSession,
  operation: string,
  input: Record<string, unknown>,
): Promise<void> {
  const { client } = session;
  switch (operation) {
    case 'lambda:CreateFunction':
      await client.send(new CreateFunctionCommand(input as unknown as CreateFunctionCommandInput));
      return;
    case WAIT_OPERATION:
      await waitUntilSettled(session, String(input.FunctionName));
      return;
    case 'lambda:UpdateFunctionConfiguration':
      await client.send(
        new UpdateFunctionConfigurationCommand(input as unknown as UpdateFunctionConfigurationCommandInput),
      );
      return;
    case 'lambda:UpdateFunctionCode':
      await client.send(new UpdateFunctionCodeCommand(input as unknown as UpdateFunctionCodeCommandInput));
      return;
    case 'lambda:PutFunctionConcurrency':
      await client.send(
        new PutFunctionConcurrencyCommand(input as unknown as PutFunctionConcurrencyCommandInput),
      );
      return;
    case 'lambda:PublishVersion': {
      const version = await client.send(
        new PublishVersionCommand(input as unknown as PublishVersionCommandInput),
      );
      if (!version.Version)
        throw new MigrateError(`lambda:PublishVersion on ${String(input.FunctionName)} returned no version`);
      session.published.set(String(input.FunctionName), version.Version);
      return;
    }
    case 'lambda:CreateAlias':
      await client.send(new CreateAliasCommand(input as unknown as CreateAliasCommandInput));
      return;
    case 'lambda:UpdateAlias':
      await client.send(new UpdateAliasCommand(input as unknown as UpdateAliasCommandInput));
      return;
    case 'lambda:PutProvisionedConcurrencyConfig':
      await client.send(
        new PutProvisionedConcurrencyConfigCommand(
          input as unknown as PutProvisionedConcurrencyConfigCommandInput,
        ),
      );
      return;
    default:
      // planApply makes no other call, and never a Delete*: anything else is a bug, not a user error.
      throw new Error(`aws-lambda execute: unknown operation ${operation}`);
  }
}

/** The input with PUBLISHED_VERSION replaced by the version published earlier in this session. */
function resolvePlaceholders(session: LambdaSession, call: ApiCall): Record<string, unknown> {
  if (call.input.FunctionVersion !== PUBLISHED_VERSION) return call.input;
  const name = String(call.input.FunctionName);
  const version = session.published.get(name);
  if (!version)
    throw new MigrateError(`${call.operation} on ${name}: no version was published in this run`, {
      hint: 'apply runs lambda:PublishVersion before the alias call: run the whole plan, not a part of it',
    });
  return { ...call.input, FunctionVersion: version };
}

/**
 * Polls until State is Active and LastUpdateStatus Successful (Lambda's function states: Pending →
 * Active after CreateFunction; InProgress → Successful after an update). Failed ends it with Lambda's reason.
 */
async function waitUntilSettled(session: LambdaSession, name: string): Promise<void> {
  const deadline = Date.now() + session.wait.timeoutMs;
  for (;;) {
    const config = await session.client.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
    if (config.State === 'Failed' || config.LastUpdateStatus === 'Failed')
      throw new MigrateError(
        `${name} failed to ${config.State === 'Failed' ? 'become Active' : 'update'}: ${config.StateReasonCode ?? config.LastUpdateStatusReasonCode ?? ''} ${config.StateReason ?? config.LastUpdateStatusReason ?? ''}`.trim(),
        { hint: 'fix what Lambda names (the image, the role, the VPC), then run apply again' },
      );
    const settled =
      (config.State === undefined || config.State === 'Active' || config.State === 'Inactive') &&
      config.LastUpdateStatus !== 'InProgress';
    if (settled) return;
    if (Date.now() + session.wait.intervalMs > deadline)
      throw new MigrateError(
        `${name} is still ${config.State === 'Pending' ? 'Pending' : `updating (${config.LastUpdateStatus})`} after ${Math.round(session.wait.timeoutMs / 1000)} s`,
        {
          hint: 'check it with `aws lambda get-function-configuration`, then run apply again: it makes only the calls still needed',
        },
      );
    await new Promise((resolve) => setTimeout(resolve, session.wait.intervalMs));
  }
}
