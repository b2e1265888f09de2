import { readFile } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import { MigrateError } from '../../../core/errors.ts';
import type { ResolvedKubeconfig } from './kubeconfig.ts';

export interface ApiResponse {
  status: number;
  body: string;
  /** The `Retry-After` header as sent (429 and 503 answers carry one), or null. */
  retryAfter: string | null;
}

/**
 * A request that got no HTTP answer at all: the server is down, unreachable or too slow, or its
 * certificate could not be verified.
 */
export class ApiRequestError extends Error {
  constructor(
    message: string,
    readonly reason: 'timeout' | 'network' | 'tls',
  ) {
    super(message);
    this.name = 'ApiRequestError';
  }
}

export interface Transport {
  /** GET a path of the API server (`/apis/apps/v1/deployments?limit=500`); any HTTP status resolves. */
  get(path: string, accept?: string): Promise<ApiResponse>;
  timeoutMs: number;
  close(): void;
}

/**
 * The HTTP edge. @kubernetes/client-node resolves everything the kubeconfig says about reaching and
 * authenticating to the server (CA, client certificates, tokens, exec and auth-provider plugins,
 * proxies) into request options and an agent; the request itself is made here so that each one can
 * carry its own Accept header (metadata-only Secret lists), follow `continue` tokens, keep the JSON as
 * the server sent it (the generated typed clients re-shape objects and drop fields they do not know),
 * and give up after a deadline that covers connecting and reading alike.
 */
export async function openTransport(resolved: ResolvedKubeconfig, timeoutMs: number): Promise<Transport> {
  const base: https.RequestOptions = {};
  try {
    await resolved.config.applyToHTTPSOptions(base);
  } catch (error) {
    throw new MigrateError(`cannot use the credentials of ${resolved.label}: ${(error as Error).message}`, {
      hint: resolved.inCluster
        ? `check the service-account files in ${resolved.inCluster.dir} (token, ca.crt) are readable`
        : 'check the user of this context in the kubeconfig (an exec plugin such as gke-gcloud-auth-plugin or aws must be on PATH); kubectl --context CONTEXT get ns shows the same problem',
      cause: error,
    });
  }
  const server = new URL(resolved.server);
  const client = server.protocol === 'http:' ? http : https;
  const prefix = server.pathname.replace(/\/$/, '');
  const hostname = server.hostname.replace(/^\[(.*)\]$/, '$1');
  const tokenFile = resolved.inCluster?.tokenFile ?? null;
  let lastToken: string | null = null;

  /**
   * A service-account token is rotated by the kubelet while a pod runs, so in-cluster the file is read
   * again for every request (a few hundred bytes) rather than once; should a read fail mid-run, the
   * last token read is used, as client-go does.
   */
  const authorization = async (): Promise<Record<string, string>> => {
    if (!tokenFile) return {};
    try {
      lastToken = (await readFile(tokenFile, 'utf8')).trim();
    } catch (error) {
      if (lastToken === null) throw error;
    }
    return lastToken ? { Authorization: `Bearer ${lastToken}` } : {};
  };

  const get = async (path: string, accept = 'application/json'): Promise<ApiResponse> => {
    let fresh: Record<string, string>;
    try {
      fresh = await authorization();
    } catch (error) {
      throw new ApiRequestError(
        `cannot read the service-account token: ${(error as Error).message}`,
        'network',
      );
    }
    return send(path, accept, fresh);
  };

  const send = (path: string, accept: string, fresh: Record<string, string>): Promise<ApiResponse> =>
    new Promise((resolvePromise, rejectPromise) => {
      let settled = false;
      const settle = (outcome: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        outcome();
      };
      const request = client.request(
        {
          ...base,
          hostname,
          port: server.port || undefined,
          path: `${prefix}${path}`,
          method: 'GET',
          headers: { ...(base.headers ?? {}), ...fresh, Accept: accept, 'User-Agent': 'migrate' },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () =>
            settle(() =>
              resolvePromise({
                status: response.statusCode ?? 0,
                body: Buffer.concat(chunks).toString('utf8'),
                retryAfter: headerValue(response.headers['retry-after']),
              }),
            ),
          );
          response.on('error', (error) =>
            settle(() => rejectPromise(new ApiRequestError(error.message, 'network'))),
          );
        },
      );
      // One deadline for the whole exchange: a server that accepts the connection and then trickles or
      // says nothing must not hold the run forever.
      const timer = setTimeout(() => {
        settle(() =>
          rejectPromise(new ApiRequestError(`no answer within ${formatSeconds(timeoutMs)}`, 'timeout')),
        );
        request.destroy();
      }, timeoutMs);
      request.on('error', (error: NodeJS.ErrnoException) =>
        settle(() =>
          rejectPromise(
            TLS_CODES.has(error.code ?? '')
              ? new ApiRequestError(
                  `TLS: cannot verify the server's certificate (${error.code}: ${error.message})`,
                  'tls',
                )
              : new ApiRequestError(describeNetworkError(error), 'network'),
          ),
        ),
      );
      request.end();
    });

  return {
    get,
    timeoutMs,
    close: () => (base.agent as http.Agent | undefined)?.destroy?.(),
  };
}

function headerValue(value: string | string[] | undefined): string | null {
  if (Array.isArray(value)) return value[0] ?? null;
  return value ?? null;
}

/** Node's codes for a server certificate that does not verify against the CA trusted (or does not name the host). */
const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_SIGNATURE_FAILURE',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

export function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}

function describeNetworkError(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ECONNREFUSED':
      return `connection refused (${error.message})`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `host not found (${error.message})`;
    case 'ECONNRESET':
      return `connection reset by the server (${error.message})`;
    default:
      return error.code ? `${error.code}: ${error.message}` : error.message;
  }
}
