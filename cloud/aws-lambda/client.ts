/**
 * The Lambda session: one LambdaClient whose region and credentials come from the AWS SDK's default
 * chain (nothing read or stored by us), plus what apply's calls hand to each other in one run.
 */

import { readFileSync } from 'node:fs';
import { Agent } from 'node:https';
import { LambdaClient, type LambdaClientConfig } from '@aws-sdk/client-lambda';
import { MigrateError } from '../../core/errors.ts';
import type { CloudFlags } from '../types.ts';
import { CREDENTIALS_HINT, REGION_HINT } from './errors.ts';

/** The alias `migrate convert` always writes (AutoPublishAlias: live, converters/aws-lambda/plan.ts). */
export const DEFAULT_ALIAS = 'live';

/**
 * Options of the target itself (createAwsLambdaTarget): how often to retry and poll. The CLI uses the
 * defaults; tests shorten the waits. `clientConfig` is merged last into the LambdaClient's config (an
 * SDK `retryStrategy` with a short backoff, for instance).
 */
export interface LambdaTargetOptions {
  /** Attempts per API call, retries included. Default: the SDK chain's (AWS_MAX_ATTEMPTS, `max_attempts`, else 3). */
  maxAttempts?: number;
  /** How often apply polls a function that is Pending or InProgress. */
  waitIntervalMs?: number;
  /** How long apply waits for it before giving up. */
  waitTimeoutMs?: number;
  clientConfig?: Partial<LambdaClientConfig>;
}

export interface LambdaSession {
  client: LambdaClient;
  region: string;
  /** The alias readLive reads provisioned concurrency from: `--alias` (flags.extra.alias), else `live`. */
  alias: string;
  /** measure's `--qualifier` (flags.extra.qualifier): a version or alias; null invokes $LATEST on demand. */
  qualifier: string | null;
  wait: { intervalMs: number; timeoutMs: number };
  /** Versions PublishVersion returned in this run, by function name: what CreateAlias/UpdateAlias point at. */
  published: Map<string, string>;
}

export async function connectLambda(
  flags: CloudFlags,
  options: LambdaTargetOptions = {},
): Promise<LambdaSession> {
  const config: LambdaClientConfig = {
    ...(flags.region ? { region: flags.region } : {}),
    ...(flags.endpoint ? { endpoint: flags.endpoint } : {}),
    ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}),
    requestHandler: {
      requestTimeout: flags.requestTimeoutMs,
      ...(flags.caFile ? { httpsAgent: new Agent({ keepAlive: true, ca: readCa(flags.caFile) }) } : {}),
    },
    ...options.clientConfig,
  };
  const client = new LambdaClient(config);
  let region: string;
  try {
    region = await client.config.region();
  } catch (cause) {
    client.destroy();
    throw new MigrateError(`AWS region: ${(cause as Error).message}`, { hint: REGION_HINT, cause });
  }
  // Resolve the credentials now, so a missing chain fails before any call is printed as made.
  try {
    await client.config.credentials();
  } catch (cause) {
    client.destroy();
    throw new MigrateError(
      `AWS credentials: none found in the SDK's default chain (${(cause as Error).message})`,
      {
        hint: CREDENTIALS_HINT,
        cause,
      },
    );
  }
  return {
    client,
    region,
    alias: flags.extra.alias || DEFAULT_ALIAS,
    qualifier: flags.extra.qualifier || null,
    wait: { intervalMs: options.waitIntervalMs ?? 1_000, timeoutMs: options.waitTimeoutMs ?? 300_000 },
    published: new Map(),
  };
}

function readCa(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (cause) {
    throw new MigrateError(`--ca-file ${file}: ${(cause as Error).message}`, {
      hint: 'pass a PEM file with the CA certificates that sign the endpoint',
      cause,
    });
  }
}
