/**
 * The Azure session: one WebSiteManagementClient (@azure/arm-appservice 19) signed in through
 * @azure/identity's DefaultAzureCredential — environment service principal, workload identity, managed
 * identity, VS Code, Azure CLI, Azure PowerShell, Azure Developer CLI, in that order. Nothing is read
 * from or written to disk by us except the `--ca-file` the user names; no token is ever printed.
 *
 * `--endpoint` replaces the ARM endpoint (sovereign clouds, Azure Stack, the tests' local server); the
 * token is then asked for `<endpoint>/.default`, because ARM tokens are scoped to the endpoint they are
 * presented to. `--ca-file` adds CAs to the public ones for both the ARM client and the credential's
 * own calls (a private authority host), through the pipeline's `tlsOptions`.
 */

import { readFile } from 'node:fs/promises';
import { rootCertificates } from 'node:tls';
import { WebSiteManagementClient } from '@azure/arm-appservice';
import type { TokenCredential } from '@azure/core-auth';
import type { PipelinePolicy, PipelineRetryOptions } from '@azure/core-rest-pipeline';
import { DefaultAzureCredential } from '@azure/identity';
import { MigrateError } from '../../core/errors.ts';
import type { CloudFlags } from '../types.ts';
import { toMigrateError } from './errors.ts';

export const PUBLIC_ARM_ENDPOINT = 'https://management.azure.com';

export interface AzureSession {
  client: WebSiteManagementClient;
  subscriptionId: string;
  resourceGroup: string;
  /** The ARM endpoint, without a trailing slash. */
  endpoint: string;
  /** CAs to trust for HTTPS (the public ones plus `--ca-file`), or null for Node's defaults. */
  ca: string[] | null;
  requestTimeoutMs: number;
  /** How often a long-running operation is polled when ARM sends no Retry-After; undefined: the SDK's 2 s. */
  pollIntervalMs: number | undefined;
}

/**
 * The SDK's own knobs, for callers that need them (the tests use short retry delays and polling
 * intervals so a throttled call or a long-running PUT takes milliseconds). Product code passes none.
 */
export interface SessionOptions {
  retryOptions?: PipelineRetryOptions;
  pollIntervalMs?: number;
}

/** `--subscription`, else AZURE_SUBSCRIPTION_ID (what az and azd also read). */
export function subscriptionOf(flags: CloudFlags, env: NodeJS.ProcessEnv = process.env): string {
  const subscription = flags.subscription ?? env.AZURE_SUBSCRIPTION_ID ?? null;
  if (!subscription)
    throw new MigrateError('azure-functions needs a subscription: pass --subscription ID', {
      hint: 'or set AZURE_SUBSCRIPTION_ID; `az account show --query id -o tsv` prints the current one',
    });
  return subscription;
}

export function resourceGroupOf(flags: CloudFlags): string {
  if (!flags.resourceGroup)
    throw new MigrateError('azure-functions needs a resource group: pass --resource-group NAME', {
      hint: 'the group the function app lives (or will live) in; `az group list -o table` lists yours',
    });
  return flags.resourceGroup;
}

export function armEndpointOf(flags: CloudFlags): string {
  const endpoint = (flags.endpoint ?? PUBLIC_ARM_ENDPOINT).replace(/\/+$/, '');
  if (!endpoint.startsWith('https://'))
    throw new MigrateError(`--endpoint ${endpoint}: Azure sends bearer tokens only over HTTPS`, {
      hint: 'give the https:// URL of the ARM endpoint (and --ca-file for a private CA)',
    });
  return endpoint;
}

export async function connectAzure(flags: CloudFlags, options: SessionOptions = {}): Promise<AzureSession> {
  const subscriptionId = subscriptionOf(flags);
  const resourceGroup = resourceGroupOf(flags);
  const endpoint = armEndpointOf(flags);
  const ca = flags.caFile === null ? null : [...rootCertificates, await readCaFile(flags.caFile)];
  const tlsOptions = ca === null ? undefined : { ca };
  const credential: TokenCredential = new DefaultAzureCredential(tlsOptions ? { tlsOptions } : {});
  const scope = `${endpoint}/.default`;
  // Ask once now, so missing credentials are one clear error before anything is read or planned; the
  // credential caches the token for the calls that follow.
  try {
    await credential.getToken(scope, {
      abortSignal: AbortSignal.timeout(Math.max(flags.requestTimeoutMs, 30_000)),
    });
  } catch (error) {
    throw toMigrateError(error, { operation: 'sign in', endpoint });
  }
  const client = new WebSiteManagementClient(credential, subscriptionId, {
    endpoint,
    credentials: { scopes: [scope] },
    ...(tlsOptions ? { tlsOptions } : {}),
    ...(options.retryOptions ? { retryOptions: options.retryOptions } : {}),
    additionalPolicies: [{ policy: appServiceErrorPolicy, position: 'perCall' }],
  });
  return {
    client,
    subscriptionId,
    resourceGroup,
    endpoint,
    ca,
    requestTimeoutMs: flags.requestTimeoutMs,
    pollIntervalMs: options.pollIntervalMs,
  };
}

async function readCaFile(path: string): Promise<string> {
  const text = await readFile(path, 'utf8').catch((error: Error) => {
    throw new MigrateError(`--ca-file ${path}: ${error.message}`);
  });
  if (!text.includes('-----BEGIN CERTIFICATE-----'))
    throw new MigrateError(`--ca-file ${path}: no PEM certificate (-----BEGIN CERTIFICATE-----) in it`);
  return text;
}

/**
 * App Service answers some errors in its own envelope, `{"Code": "BadRequest", "Message": "…"}`,
 * instead of ARM's `{"error": {"code", "message"}}`; the SDK reads only the latter, so such an error
 * would lose its code and message. This folds the former into the latter.
 */
const appServiceErrorPolicy: PipelinePolicy = {
  name: 'migrateAppServiceErrorEnvelope',
  async sendRequest(request, next) {
    const response = await next(request);
    if (response.status < 400 || !response.bodyAsText) return response;
    try {
      const body = JSON.parse(response.bodyAsText) as Record<string, unknown>;
      if (body.error === undefined && (typeof body.Code === 'string' || typeof body.Message === 'string'))
        response.bodyAsText = JSON.stringify({
          error: {
            code: body.Code ?? `HTTP ${response.status}`,
            message: body.Message ?? '',
            details: body.Details,
          },
        });
    } catch {
      // Not JSON: the SDK reports the status.
    }
    return response;
  },
};
