import http from 'node:http';
import https from 'node:https';
import { MigrateError } from '../../../core/errors.ts';
import type { ResolvedKubeconfig } from './kubeconfig.ts';

export interface ApiResponse {
  status: number;
  body: string;
}

/** A request that got no HTTP answer at all: the server is down, unreachable, or too slow. */
export class ApiRequestError extends Error {
  constructor(
    message: string,
    readonly reason: 'timeout' | 'network',
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
    throw new MigrateError(
      `cannot use the credentials of context ${resolved.context}: ${(error as Error).message}`,
      {
        hint: 'check the user of this context in the kubeconfig (an exec plugin such as gke-gcloud-auth-plugin or aws must be on PATH); kubectl --context CONTEXT get ns shows the same problem',
        cause: error,
      },
    );
  }
  const server = new URL(resolved.server);
  const client = server.protocol === 'http:' ? http : https;
  const prefix = server.pathname.replace(/\/$/, '');
  const hostname = server.hostname.replace(/^\[(.*)\]$/, '$1');

  const get = (path: string, accept = 'application/json'): Promise<ApiResponse> =>
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
          headers: { ...(base.headers ?? {}), Accept: accept, 'User-Agent': 'migrate' },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () =>
            settle(() =>
              resolvePromise({
                status: response.statusCode ?? 0,
                body: Buffer.concat(chunks).toString('utf8'),
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
        settle(() => rejectPromise(new ApiRequestError(describeNetworkError(error), 'network'))),
      );
      request.end();
    });

  return {
    get,
    timeoutMs,
    close: () => (base.agent as http.Agent | undefined)?.destroy?.(),
  };
}

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
