import { setTimeout as sleep } from 'node:timers/promises';
import type { ApiResponse, Transport } from './transport.ts';

/**
 * Answers that mean "not now" rather than "no": 429 Too Many Requests (API Priority and Fairness
 * shedding load) and the 5xx a restarting, overloaded or fronted-by-a-load-balancer API server gives.
 * 403, 404, 401 and 410 are answers about the request and are never retried.
 */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 500, 502, 503, 504]);
/** Retries after the first attempt: four attempts in all. */
export const MAX_RETRIES = 3;
/** The first backoff; it doubles each retry (0.5 s, 1 s, 2 s). */
export const DEFAULT_RETRY_BASE_MS = 500;
/** The longest a server's Retry-After is waited for, whatever it asks. */
export const MAX_RETRY_AFTER_MS = 30_000;

export interface RetryOptions {
  /** The first backoff in ms (default 0.5 s); tests make it a few ms. */
  retryBaseMs?: number;
}

export interface RetriedResponse {
  response: ApiResponse;
  /** Requests made for this answer: 1 when the first was answered for good. */
  attempts: number;
}

/**
 * How long to wait before retry number `retry` (0 for the first): the server's Retry-After when it
 * sends one in seconds (as client-go honours it), capped at 30 s, else exponential backoff.
 */
export function retryDelayMs(retry: number, retryAfter: string | null, baseMs: number): number {
  const seconds = retryAfter !== null && /^\s*\d+\s*$/.test(retryAfter) ? Number(retryAfter) : null;
  if (seconds !== null) return Math.min(seconds * 1000, MAX_RETRY_AFTER_MS);
  return baseMs * 2 ** retry;
}

/**
 * GET with retries on 429 and 5xx. Requests that get no answer at all (timeout, refused, TLS) are not
 * retried: waiting on them again would multiply --request-timeout. The last answer is returned
 * whatever it is, with the number of attempts it took, for the caller to report.
 */
export async function getWithRetries(
  transport: Transport,
  path: string,
  accept: string | undefined,
  options: RetryOptions = {},
): Promise<RetriedResponse> {
  const baseMs = options.retryBaseMs ?? DEFAULT_RETRY_BASE_MS;
  for (let attempt = 1; ; attempt++) {
    const response = await transport.get(path, accept);
    if (!RETRYABLE_STATUSES.has(response.status) || attempt > MAX_RETRIES)
      return { response, attempts: attempt };
    await sleep(retryDelayMs(attempt - 1, response.retryAfter, baseMs));
  }
}

/** " (after 4 attempts)" when a request was retried, for messages; '' when it was not. */
export function attemptsText(attempts: number): string {
  return attempts > 1 ? ` (after ${attempts} attempts)` : '';
}
