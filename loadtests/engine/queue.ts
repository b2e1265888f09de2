import type { RequestQueue, SimRequest } from '../platforms/types.ts';
import type { EventHandler } from './heap.ts';

/**
 * A FIFO of waiting requests, linked through `request.next` (no allocation per request). Every member
 * has the same client timeout, so deadlines rise from head to tail and only the head can be next to
 * give up: the queue keeps a single pending event, at the head's deadline, however long it grows.
 */
export class FifoRequestQueue implements RequestQueue {
  length = 0;
  private areaMs = 0;
  private lastChangeMs = 0;
  private head: SimRequest | null = null;
  private tail: SimRequest | null = null;
  private watching = false;
  private readonly onDeadline: EventHandler;

  constructor(
    private readonly schedule: (atMs: number, handler: EventHandler, data?: unknown) => void,
    private readonly now: () => number,
    private readonly expire: (request: SimRequest) => void,
  ) {
    this.onDeadline = () => {
      this.watching = false;
      this.expireDue();
      this.watch();
    };
  }

  integralMs(): number {
    const now = this.now();
    return this.areaMs + this.length * (now - this.lastChangeMs);
  }

  /** Call before `length` changes. */
  private account(): void {
    const now = this.now();
    this.areaMs += this.length * (now - this.lastChangeMs);
    this.lastChangeMs = now;
  }

  push(request: SimRequest): void {
    this.account();
    request.next = null;
    if (this.tail) this.tail.next = request;
    else this.head = request;
    this.tail = request;
    this.length += 1;
    if (!this.watching) this.watch();
  }

  shift(): SimRequest | null {
    if (this.head === null) return null;
    this.expireDue();
    const request = this.head;
    if (!request) return null;
    this.account();
    this.head = request.next;
    if (!this.head) this.tail = null;
    request.next = null;
    this.length -= 1;
    return request;
  }

  drain(fate: (request: SimRequest) => void): void {
    this.account();
    let request = this.head;
    this.head = null;
    this.tail = null;
    this.length = 0;
    while (request) {
      const next = request.next;
      request.next = null;
      fate(request);
      request = next;
    }
  }

  /** The client gives up at its deadline: at that instant the request is no longer waiting. */
  private expireDue(): void {
    const now = this.now();
    while (this.head && this.head.deadlineMs <= now) {
      this.account();
      const request = this.head;
      this.head = request.next;
      if (!this.head) this.tail = null;
      request.next = null;
      this.length -= 1;
      this.expire(request);
    }
  }

  private watch(): void {
    if (this.head && !this.watching) {
      this.watching = true;
      this.schedule(this.head.deadlineMs, this.onDeadline);
    }
  }
}
