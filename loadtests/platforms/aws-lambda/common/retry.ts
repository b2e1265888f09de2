/**
 * Clients that retry a refused request (HTTP 429) after a backoff (`--retries N`). A retried request
 * stays in the system for the engine — waiting, from the client's point of view — until a later
 * attempt is served or the last one is refused; its latency runs from the first attempt.
 */

import type { Sourced } from '../../kubernetes/defaults.ts';
import type { Assumption, SimRequest, Simulation } from '../../types.ts';

const fact = <T>(value: T, source: string): Sourced<T> => ({ value, source });

const SDK =
  "assumption, not in platform-facts.md: the AWS SDKs' standard retry mode (exponential backoff with full jitter, base 100 ms, at most 20 s)";

export const BACKOFF = {
  baseMs: fact(100, SDK),
  capMs: fact(20_000, SDK),
};

export interface RetryPolicy {
  /** Retries after the first attempt (0: refused requests are throttled at once). */
  retries: number;
  baseMs: number;
  capMs: number;
}

export function retryPolicy(retries: number): RetryPolicy {
  return { retries, baseMs: BACKOFF.baseMs.value, capMs: BACKOFF.capMs.value };
}

export function retryAssumptions(policy: RetryPolicy): Assumption[] {
  if (policy.retries === 0)
    return [
      { name: 'client.retries', value: '0', source: 'default: a refused request fails (set --retries)' },
    ];
  return [
    { name: 'client.retries', value: `${policy.retries}`, source: '--retries' },
    {
      name: 'client.backoff',
      value: `random(0, min(${policy.capMs}, ${policy.baseMs} × 2^attempt)) ms`,
      source: BACKOFF.baseMs.source,
    },
  ];
}

export class Retrier {
  /** Attempts made so far by requests that were refused at least once. */
  private readonly attempts = new Map<SimRequest, number>();
  private readonly random;
  retried = 0;
  /** Requests refused on their last allowed attempt (or whose next attempt would come after their deadline). */
  exhausted = 0;
  private readonly onRetry;

  constructor(
    private readonly sim: Simulation,
    private readonly policy: RetryPolicy,
    /** Offers the request to the platform again. */
    retry: (request: SimRequest) => void,
  ) {
    this.random = sim.random('retry');
    this.onRetry = (_nowMs: number, data: unknown) => retry(data as SimRequest);
  }

  /** A new request from the engine: it has made no attempt yet (the object may be a recycled one). */
  fresh(request: SimRequest): void {
    if (this.attempts.size > 0) this.attempts.delete(request);
  }

  /** The platform refused the request now: try again after a backoff, or report it throttled. */
  refuse(request: SimRequest): void {
    const made = this.attempts.get(request) ?? 0;
    if (made < this.policy.retries) {
      const ceilingMs = Math.min(this.policy.capMs, this.policy.baseMs * 2 ** made);
      const atMs = this.sim.now() + this.random.nextFloat() * ceilingMs;
      if (atMs < request.deadlineMs) {
        this.attempts.set(request, made + 1);
        this.retried += 1;
        this.sim.schedule(atMs, this.onRetry, request);
        return;
      }
    }
    if (made > 0) this.exhausted += 1;
    this.attempts.delete(request);
    this.sim.throttle(request);
  }

  notes(): string[] {
    if (this.policy.retries === 0) return [];
    return [
      `clients retried ${this.retried} refused attempt(s); ${this.exhausted} request(s) were still refused on their last try or ran out of time before it`,
    ];
  }
}
