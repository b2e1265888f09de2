/**
 * The Cloud Run session: one `ServicesClient` (Cloud Run Admin API v2) on the SDK's own credential chain
 * — Application Default Credentials through google-auth-library: GOOGLE_APPLICATION_CREDENTIALS, then
 * gcloud's application_default_credentials.json, then the metadata server — plus the project, the
 * region, and the per-call options (timeout, retries, operation polling). Nothing is read from or
 * written to disk by us and nothing is printed.
 *
 * `--endpoint URL` switches the SDK to google-gax's HTTP/1.1 REST fallback transport against that URL
 * (`fallback`, `apiEndpoint`, `port`, `protocol`); without it the SDK's default (gRPC to
 * run.googleapis.com) is used.
 */

import { ServicesClient } from '@google-cloud/run';
import { MigrateError } from '../../core/errors.ts';
import type { CloudFlags } from '../types.ts';
import { isCredentialsError, noCredentials, providerError } from './errors.ts';

/** gax's per-call options, as far as we set them (google-gax CallOptions). */
export interface CallOptions {
  timeout: number;
  retry: {
    /** Numeric codes the call is retried on. */
    retryCodes: number[];
    backoffSettings: {
      initialRetryDelayMillis: number;
      retryDelayMultiplier: number;
      maxRetryDelayMillis: number;
      initialRpcTimeoutMillis: number;
      rpcTimeoutMultiplier: number;
      maxRpcTimeoutMillis: number;
      maxRetries: number;
    };
  };
  /** Polling of long-running operations (op.promise()). */
  longrunning?: {
    initialRetryDelayMillis: number;
    retryDelayMultiplier: number;
    maxRetryDelayMillis: number;
    initialRpcTimeoutMillis: number | null;
    rpcTimeoutMultiplier: number | null;
    maxRpcTimeoutMillis: number | null;
    totalTimeoutMillis: number;
  };
}

export interface CloudRunSession {
  client: ServicesClient;
  project: string;
  region: string;
  /** The API endpoint when not the public one (for messages). */
  endpoint: string | null;
  requestTimeoutMs: number;
  options: { read: CallOptions; write: CallOptions };
}

/**
 * Retry and polling pace. The defaults are for the real API; tests pass smaller delays through
 * `connectCloudRun`'s second argument (the only difference between a test run and a real one).
 */
export interface Pacing {
  /** First retry delay; gax sleeps a random time up to it, then doubles it (at most 10 s). */
  retryDelayMs: number;
  /** Attempts in all, the first included (gax's maxRetries counts attempts). */
  attempts: number;
  /** First wait between polls of a long-running operation; ×1.5 up to 10 s. */
  pollDelayMs: number;
  /** Give up waiting for an operation after this long (a GPU revision can take many minutes to start). */
  pollTimeoutMs: number;
}

export const DEFAULT_PACING: Pacing = {
  retryDelayMs: 1000,
  attempts: 6,
  pollDelayMs: 2000,
  pollTimeoutMs: 30 * 60 * 1000,
};

/**
 * gRPC codes RESOURCE_EXHAUSTED (8, HTTP 429) and UNAVAILABLE (14, HTTP 503). The HTTP numbers are
 * listed too because google-gax 5's REST fallback surfaces errors as GaxiosError whose `code` is the
 * HTTP status, which gax's retry (matching gRPC codes) would otherwise never retry
 * (googleapis/gax-nodejs#1803, fixed upstream by mapping them; harmless once fixed).
 */
const THROTTLED = [8, 429];
const UNAVAILABLE = [14, 503];

function callOptions(timeoutMs: number, codes: number[], pacing: Pacing): CallOptions {
  return {
    timeout: timeoutMs,
    retry: {
      retryCodes: codes,
      backoffSettings: {
        initialRetryDelayMillis: pacing.retryDelayMs,
        retryDelayMultiplier: 2,
        maxRetryDelayMillis: Math.max(pacing.retryDelayMs, 10_000),
        initialRpcTimeoutMillis: timeoutMs,
        rpcTimeoutMultiplier: 1,
        maxRpcTimeoutMillis: timeoutMs,
        maxRetries: pacing.attempts,
      },
    },
    longrunning: {
      initialRetryDelayMillis: pacing.pollDelayMs,
      retryDelayMultiplier: 1.5,
      maxRetryDelayMillis: Math.max(pacing.pollDelayMs, 10_000),
      initialRpcTimeoutMillis: null,
      rpcTimeoutMultiplier: null,
      maxRpcTimeoutMillis: null,
      totalTimeoutMillis: pacing.pollTimeoutMs,
    },
  };
}

/** `--endpoint http://127.0.0.1:8080` → the REST fallback's client options. */
export function endpointOptions(endpoint: string): {
  fallback: true;
  apiEndpoint: string;
  port: number;
  protocol: 'http' | 'https';
} {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new MigrateError(`--endpoint ${endpoint}: not a URL`, {
      hint: 'e.g. --endpoint https://run.example.com',
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new MigrateError(`--endpoint ${endpoint}: must be http:// or https://`);
  if (url.pathname !== '/' || url.search)
    throw new MigrateError(`--endpoint ${endpoint}: give the host only (the API paths start with /v2/)`);
  const protocol = url.protocol === 'http:' ? 'http' : 'https';
  return {
    fallback: true,
    apiEndpoint: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port ? Number(url.port) : protocol === 'http' ? 80 : 443,
    protocol,
  };
}

export async function connectCloudRun(
  flags: CloudFlags,
  pacing: Pacing = DEFAULT_PACING,
): Promise<CloudRunSession> {
  if (!flags.region)
    throw new MigrateError('cloud-run needs --region: the Cloud Run region the service runs in', {
      hint: 'e.g. --region europe-west4 (gcloud run services list shows each service’s region)',
    });
  if (flags.caFile)
    throw new MigrateError('--ca-file is not supported for cloud-run', {
      hint: `the Google SDK's HTTP transport takes no CA option: start migrate with NODE_EXTRA_CA_CERTS=${flags.caFile} instead`,
    });
  const client = new ServicesClient(flags.endpoint ? endpointOptions(flags.endpoint) : {});
  try {
    await client.auth.getClient();
  } catch (error) {
    await client.close().catch(() => undefined);
    if (isCredentialsError(error)) throw noCredentials(error);
    throw new MigrateError(`Cloud Run: reading the credentials failed: ${providerError(error).message}`, {
      hint: 'check GOOGLE_APPLICATION_CREDENTIALS and `gcloud auth application-default login`',
    });
  }
  let project = flags.project;
  if (!project) {
    try {
      project = await client.getProjectId();
    } catch {
      await client.close().catch(() => undefined);
      throw new MigrateError('cloud-run needs a Google Cloud project, and the credentials name none', {
        hint: 'pass --project ID, or set GOOGLE_CLOUD_PROJECT, or `gcloud config set project ID`',
      });
    }
  }
  const timeout = flags.requestTimeoutMs;
  return {
    client,
    project,
    region: flags.region,
    endpoint: flags.endpoint,
    requestTimeoutMs: timeout,
    options: {
      // Reads are safe to repeat; writes only when Cloud Run refused them outright (429: nothing was done).
      read: callOptions(timeout, [...THROTTLED, ...UNAVAILABLE], pacing),
      write: callOptions(timeout, THROTTLED, pacing),
    },
  };
}

export function closeCloudRun(session: CloudRunSession): void {
  // close() returns a promise; nothing useful can be done if it fails at the end of a run.
  session.client.close().catch(() => undefined);
}
