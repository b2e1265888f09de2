/**
 * What is deployed: GetFunction (configuration and image), GetFunctionConcurrency (reserved), GetAlias
 * and GetProvisionedConcurrencyConfig on the alias that carries the warm capacity. The SDK's own
 * retries handle throttling; what is left becomes a MigrateError.
 */

import {
  GetAliasCommand,
  GetFunctionCommand,
  type GetFunctionCommandOutput,
  GetFunctionConcurrencyCommand,
  GetProvisionedConcurrencyConfigCommand,
} from '@aws-sdk/client-lambda';
import type { LiveConfig } from '../types.ts';
import type { LambdaSession } from './client.ts';
import { errorName, isNotFound, toMigrateError } from './errors.ts';

/** facts.aliasVersion when the alias does not exist: plan then creates it. */
export const ALIAS_MISSING = 'missing';

export async function readLive(session: LambdaSession, name: string): Promise<LiveConfig | null> {
  const { client } = session;
  let fn: GetFunctionCommandOutput;
  try {
    fn = await client.send(new GetFunctionCommand({ FunctionName: name }));
  } catch (error) {
    if (isNotFound(error)) return null;
    throw toMigrateError(error, 'lambda:GetFunction', name);
  }
  const config = fn.Configuration ?? {};
  const arn = config.FunctionArn ?? name;

  let reserved: number | null;
  try {
    const concurrency = await client.send(new GetFunctionConcurrencyCommand({ FunctionName: name }));
    reserved = concurrency.ReservedConcurrentExecutions ?? null;
  } catch (error) {
    throw toMigrateError(error, 'lambda:GetFunctionConcurrency', arn);
  }

  const facts: Record<string, string> = {
    FunctionArn: arn,
    State: config.State ?? 'unknown',
    LastUpdateStatus: config.LastUpdateStatus ?? 'unknown',
    region: session.region,
    PackageType: config.PackageType ?? 'unknown',
    alias: session.alias,
  };
  if (config.StateReason) facts.StateReason = config.StateReason;
  if (config.LastUpdateStatusReason) facts.LastUpdateStatusReason = config.LastUpdateStatusReason;

  let warm = 0;
  const aliasVersion = await readAlias(session, name, arn);
  if (aliasVersion === null) {
    facts.aliasVersion = ALIAS_MISSING;
    facts.provisionedStatus = `none: there is no alias ${session.alias} to carry provisioned concurrency`;
  } else {
    facts.aliasVersion = aliasVersion;
    try {
      const provisioned = await client.send(
        new GetProvisionedConcurrencyConfigCommand({ FunctionName: name, Qualifier: session.alias }),
      );
      warm = provisioned.RequestedProvisionedConcurrentExecutions ?? 0;
      facts.provisionedStatus = `${provisioned.Status ?? 'unknown'}, ${provisioned.AllocatedProvisionedConcurrentExecutions ?? 0} of ${warm} allocated`;
      if (provisioned.StatusReason) facts.provisionedStatusReason = provisioned.StatusReason;
    } catch (error) {
      if (errorName(error) !== 'ProvisionedConcurrencyConfigNotFoundException')
        throw toMigrateError(error, 'lambda:GetProvisionedConcurrencyConfig', `${arn}:${session.alias}`);
    }
  }

  return {
    name: config.FunctionName ?? name,
    id: arn,
    settings: {
      memoryMb: config.MemorySize ?? null,
      timeoutSeconds: config.Timeout ?? null,
      ephemeralStorageMb: config.EphemeralStorage?.Size ?? null,
      architecture: config.Architectures?.[0] ?? 'x86_64',
      // Zip functions have no image; Code.ImageUri is the URI as configured (ResolvedImageUri adds the digest).
      image: fn.Code?.ImageUri ?? null,
      maxInstances: reserved,
      warmInstances: warm,
      concurrency: 1,
    },
    facts,
  };
}

/** The version the alias points at, or null when there is no such alias. */
async function readAlias(session: LambdaSession, name: string, arn: string): Promise<string | null> {
  try {
    const alias = await session.client.send(new GetAliasCommand({ FunctionName: name, Name: session.alias }));
    return alias.FunctionVersion ?? null;
  } catch (error) {
    if (isNotFound(error)) return null;
    throw toMigrateError(error, 'lambda:GetAlias', `${arn}:${session.alias}`);
  }
}
