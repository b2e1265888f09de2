/**
 * Where requests wait when no instance has a free slot. Two kinds, because two limits can end a wait:
 *
 * - the client's timeout (the engine's): an engine `RequestQueue`, whose members leave by themselves at
 *   their deadline, counted as timed out;
 * - a platform's own limit on pending requests (Cloud Run: 60 s, then 429): a FIFO that refuses each
 *   member `limitMs` after it joined — used only when that limit is shorter than the client timeout, so
 *   the platform always acts first (a client retry that rejoins late is the exception: a member whose
 *   client has already given up when its turn or its limit comes is counted as timed out).
 */

import type { EventHandler, RequestQueue, SimRequest, Simulation } from '../../types.ts';

export interface Pending {
  readonly length: number;
  push(request: SimRequest): void;
  shift(): SimRequest | null;
}

export function createPending(
  sim: Simulation,
  limitMs: number | null,
  clientTimeoutMs: number,
  refuse: (request: SimRequest) => void,
): Pending {
  if (limitMs === null || limitMs >= clientTimeoutMs) return sim.createQueue() as RequestQueue;
  return new LimitedPending(sim, limitMs, refuse);
}

class LimitedPending implements Pending {
  private requests: SimRequest[] = [];
  private dueMs: number[] = [];
  private head = 0;
  private watching = false;

  constructor(
    private readonly sim: Simulation,
    private readonly limitMs: number,
    private readonly refuse: (request: SimRequest) => void,
  ) {}

  get length(): number {
    return this.requests.length - this.head;
  }

  push(request: SimRequest): void {
    this.requests.push(request);
    this.dueMs.push(this.sim.now() + this.limitMs);
    this.watch();
  }

  shift(): SimRequest | null {
    if (this.length === 0) return null;
    const request = this.requests[this.head]!;
    this.head += 1;
    this.compact();
    return request;
  }

  private compact(): void {
    if (this.head === this.requests.length) {
      this.requests = [];
      this.dueMs = [];
      this.head = 0;
    } else if (this.head > 4096 && this.head * 2 > this.requests.length) {
      this.requests = this.requests.slice(this.head);
      this.dueMs = this.dueMs.slice(this.head);
      this.head = 0;
    }
  }

  private watch(): void {
    if (this.watching || this.length === 0) return;
    this.watching = true;
    this.sim.schedule(this.dueMs[this.head]!, this.onDue);
  }

  private readonly onDue: EventHandler = (nowMs) => {
    this.watching = false;
    while (this.length > 0 && this.dueMs[this.head]! <= nowMs) {
      const request = this.requests[this.head]!;
      this.head += 1;
      // complete() before the request started counts it as timed out: its client had already left.
      if (nowMs > request.deadlineMs) this.sim.complete(request);
      else this.refuse(request);
    }
    this.compact();
    this.watch();
  };
}
