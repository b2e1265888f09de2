/**
 * One timed HTTPS request: from just before the request is sent to the last byte of the answer. Every
 * request opens its own connection (no keep-alive agent), so each time includes the same TCP and TLS
 * set-up and the cold/warm difference is the instance's alone.
 */

import { request } from 'node:https';
import type { SecureContext } from 'node:tls';

export interface ProbeRequest {
  url: URL;
  method: 'GET' | 'POST';
  body: string | null;
  headers: Record<string, string>;
  /** Built once per run from the CAs to trust (parsing ~150 roots per request would add ~30 ms each); null for Node's defaults. */
  secureContext: SecureContext | null;
  timeoutMs: number;
}

export interface ProbeResult {
  status: number | null;
  ms: number;
  /** Why it failed (`HTTP 503`, `throttled`, `timeout`, `ECONNRESET`), or null when it succeeded. */
  failure: string | null;
}

export function probe(spec: ProbeRequest): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const started = performance.now();
    const done = (status: number | null, failure: string | null) =>
      resolve({ status, ms: performance.now() - started, failure });
    const headers: Record<string, string> = { ...spec.headers };
    if (spec.body !== null) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(Buffer.byteLength(spec.body));
    }
    const req = request(
      spec.url,
      {
        method: spec.method,
        headers,
        agent: false,
        ...(spec.secureContext ? { secureContext: spec.secureContext } : {}),
        timeout: spec.timeoutMs,
      },
      (res) => {
        res.on('data', () => {});
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          done(
            status,
            status === 429 ? 'throttled' : status >= 200 && status < 300 ? null : `HTTP ${status}`,
          );
        });
        res.on('error', (error: NodeJS.ErrnoException) =>
          done(res.statusCode ?? null, error.code ?? 'response error'),
        );
      },
    );
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'timeout' })));
    req.on('error', (error: NodeJS.ErrnoException) => done(null, error.code ?? 'network error'));
    req.end(spec.body ?? undefined);
  });
}
