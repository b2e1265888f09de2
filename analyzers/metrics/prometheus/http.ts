/**
 * The HTTP edge of the Prometheus client: one GET with auth, TLS options, a per-attempt timeout and
 * retries with exponential backoff. node:http/https rather than fetch, because fetch cannot take a
 * CA file or skip verification without an extra dependency.
 */

import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { MigrateError } from '../../../core/errors.ts';

export interface HttpOptions {
  baseUrl: string;
  bearerToken?: string;
  basicAuth?: { username: string; password: string };
  headers?: Record<string, string>;
  /** PEM file of the CA that signed the server's certificate. */
  caFile?: string;
  /** Accept any certificate (self-signed lab servers). */
  insecureSkipVerify?: boolean;
  /** Per attempt. Default 30 s. */
  timeoutMs?: number;
  /** Attempts after the first, for connection errors, timeouts, 429 and 5xx. Default 3. */
  retries?: number;
  /** First backoff; doubles each retry. Default 500 ms. */
  backoffMs?: number;
  /** Injected in tests so retries do not wait. */
  sleep?: (ms: number) => Promise<void>;
}

interface Attempt {
  status: number;
  body: string;
}

/** Raised for answers that retrying may fix; anything else is thrown as a final MigrateError. */
class Retryable extends Error {}

const NETWORK_REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused (is the server up, and the port right?)',
  ECONNRESET: 'connection reset by the server',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EPIPE: 'connection closed while sending',
};

export function createHttp(options: HttpOptions) {
  const base = new URL(options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`);
  if (base.protocol !== 'http:' && base.protocol !== 'https:') {
    throw new MigrateError(`Prometheus URL must be http:// or https://, got ${options.baseUrl}`);
  }
  const ca = options.caFile ? readCa(options.caFile) : undefined;
  const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
  if (options.bearerToken) headers.Authorization = `Bearer ${options.bearerToken}`;
  if (options.basicAuth) {
    const pair = `${options.basicAuth.username}:${options.basicAuth.password}`;
    headers.Authorization = `Basic ${Buffer.from(pair).toString('base64')}`;
  }
  const timeoutMs = options.timeoutMs ?? 30_000;
  const retries = options.retries ?? 3;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const shown = `${base.origin}${base.pathname.replace(/\/$/, '')}`;

  const tls = { ca, rejectUnauthorized: !options.insecureSkipVerify };
  const once = (url: URL) => getOnce(url, { headers, tls, timeoutMs, shown });

  /** GET `path` (relative to the base URL) with query parameters; returns the parsed JSON body. */
  async function getJson(path: string, params: Record<string, string>): Promise<unknown> {
    const url = new URL(path, base);
    for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
    let last = '';
    for (let attempt = 0; attempt <= retries; attempt++) {
      if (attempt > 0) await sleep((options.backoffMs ?? 500) * 2 ** (attempt - 1));
      try {
        return interpret(await once(url), shown, params.query);
      } catch (error) {
        if (!(error instanceof Retryable)) throw error;
        last = error.message;
      }
    }
    const tries = retries + 1;
    throw new MigrateError(`Prometheus at ${shown}: ${last} (${tries} attempt${tries === 1 ? '' : 's'})`, {
      hint: 'check the --prometheus URL, or raise --prometheus-timeout / retries for a slow server',
    });
  }

  return { getJson, baseUrl: shown };
}

interface OnceOptions {
  headers: Record<string, string>;
  tls: { ca: Buffer | undefined; rejectUnauthorized: boolean };
  timeoutMs: number;
  shown: string;
}

/** One GET with an overall deadline: the socket timeout alone would not bound a trickling answer. */
function getOnce(url: URL, options: OnceOptions): Promise<Attempt> {
  return new Promise((resolve, reject) => {
    let timedOut = false;
    const timeout = () => new Retryable(`no answer within ${options.timeoutMs} ms`);
    const transport = url.protocol === 'https:' ? https : http;
    const tls = url.protocol === 'https:' ? options.tls : {};
    const request = transport.get(url, { headers: options.headers, ...tls }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
      );
      response.on('error', (error) =>
        reject(timedOut ? timeout() : new Retryable(`response interrupted: ${error.message}`)),
      );
    });
    const timer = setTimeout(() => {
      timedOut = true;
      request.destroy(timeout());
    }, options.timeoutMs);
    request.on('close', () => clearTimeout(timer));
    request.on('error', (error: NodeJS.ErrnoException) =>
      reject(timedOut ? timeout() : classifyNetworkError(error, options.shown)),
    );
  });
}

function readCa(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new MigrateError(`cannot read the Prometheus CA file ${path}: ${(error as Error).message}`);
  }
}

function classifyNetworkError(error: NodeJS.ErrnoException, shown: string): Error {
  if (error instanceof Retryable) return error;
  const code = error.code ?? '';
  if (code in NETWORK_REASONS) return new Retryable(`cannot connect: ${NETWORK_REASONS[code]}`);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new MigrateError(`Prometheus at ${shown}: host not found (${code})`, {
      hint: 'check the --prometheus URL',
    });
  }
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|SSL/.test(code) || /certificate/i.test(error.message)) {
    return new MigrateError(`Prometheus at ${shown}: TLS verification failed: ${error.message}`, {
      hint: 'pass the CA that signed the server certificate (--prometheus-ca FILE), or --prometheus-insecure for a lab server',
    });
  }
  return new Retryable(`request failed: ${error.message}${code ? ` (${code})` : ''}`);
}

/** Prometheus error bodies are JSON: `{"status":"error","errorType":"bad_data","error":"…"}`. */
function errorDetail(body: string): string {
  try {
    const parsed = JSON.parse(body) as { errorType?: string; error?: string };
    if (parsed.error) return `${parsed.errorType ?? 'error'}: ${parsed.error}`;
  } catch {
    // Not JSON: a proxy's HTML page, say. Show its start.
  }
  const text = body.replace(/\s+/g, ' ').trim();
  return text.length > 200 ? `${text.slice(0, 200)}…` : text || '(empty body)';
}

function interpret(result: Attempt, shown: string, query: string | undefined): unknown {
  const { status, body } = result;
  if (status === 401 || status === 403) {
    throw new MigrateError(
      `Prometheus at ${shown} refused the credentials (HTTP ${status}): ${errorDetail(body)}`,
      {
        hint: 'check --prometheus-token (or MIGRATE_PROMETHEUS_TOKEN) or --prometheus-user with MIGRATE_PROMETHEUS_PASSWORD',
      },
    );
  }
  if (status === 404) {
    throw new MigrateError(`no Prometheus API at ${shown} (HTTP 404)`, {
      hint: 'the URL is the server root (or its route prefix), without /api/v1',
    });
  }
  if (status === 429 || status >= 500) throw new Retryable(`HTTP ${status}: ${errorDetail(body)}`);
  if (status === 400 || status === 422) {
    throw new MigrateError(`Prometheus rejected the query (HTTP ${status}) ${errorDetail(body)}`, {
      hint: query ? `the query was: ${query}` : undefined,
    });
  }
  if (status !== 200)
    throw new MigrateError(`Prometheus at ${shown} answered HTTP ${status}: ${errorDetail(body)}`);
  let parsed: { status?: string };
  try {
    parsed = JSON.parse(body) as { status?: string };
  } catch {
    throw new Retryable(`the answer is not valid JSON (truncated?): ${errorDetail(body)}`);
  }
  if (parsed.status !== 'success')
    throw new MigrateError(`Prometheus at ${shown} answered ${errorDetail(body)}`);
  return parsed;
}
