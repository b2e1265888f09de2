import type { RequestQueue, SimRequest } from '../platforms/types.ts';
import type { EventHandler } from './heap.ts';

/** What a queue needs from the engine. */
export interface QueueHost {
  now(): number;
  schedule(atMs: number, handler: EventHandler, data?: unknown): void;
  /** The client gave up while the request waited. */
  expire(request: SimRequest): void;
}

/** The engine's request objects, for a queue that stores requests as numbers (`CompactRequestQueue`). */
export interface RequestPool {
  /** Takes back an object the queue no longer refers to. */
  release(request: SimRequest): void;
  /** A waiting request again, in an object from the pool. */
  revive(id: number, arrivalMs: number, serviceMs: number, deadlineMs: number): SimRequest;
}

/**
 * A FIFO of waiting requests. Every member has the same client timeout, so deadlines rise from head
 * to tail and only the head can be next to give up: the queue keeps a single pending event, at the
 * head's deadline, however long it grows. Subclasses store the members.
 */
abstract class WaitingRequests implements RequestQueue {
  length = 0;
  private areaMs = 0;
  private lastChangeMs = 0;
  private watching = false;
  private readonly onDeadline: EventHandler;

  constructor(protected readonly host: QueueHost) {
    this.onDeadline = () => {
      this.watching = false;
      this.expireDue();
      this.watch();
    };
  }

  integralMs(): number {
    return this.areaMs + this.length * (this.host.now() - this.lastChangeMs);
  }

  /** Call before `length` changes. */
  protected account(): void {
    const now = this.host.now();
    this.areaMs += this.length * (now - this.lastChangeMs);
    this.lastChangeMs = now;
  }

  push(request: SimRequest): void {
    this.account();
    this.append(request);
    this.length += 1;
    if (!this.watching) this.watch();
  }

  shift(): SimRequest | null {
    if (this.length === 0) return null;
    this.expireDue();
    if (this.length === 0) return null;
    this.account();
    this.length -= 1;
    return this.take();
  }

  drain(fate: (request: SimRequest) => void): void {
    this.account();
    const members: SimRequest[] = [];
    while (this.length > 0) {
      this.length -= 1;
      members.push(this.take());
    }
    for (const request of members) fate(request);
  }

  /** Stores a new last member (`length` not yet counted). */
  protected abstract append(request: SimRequest): void;
  /** Removes and returns the first member (`length` already counted down). */
  protected abstract take(): SimRequest;
  /** Deadline of the first member (length > 0). */
  protected abstract headDeadlineMs(): number;

  /** The client gives up at its deadline: at that instant the request is no longer waiting. */
  private expireDue(): void {
    const now = this.host.now();
    while (this.length > 0 && this.headDeadlineMs() <= now) {
      this.account();
      this.length -= 1;
      this.host.expire(this.take());
    }
  }

  private watch(): void {
    if (this.length > 0 && !this.watching) {
      this.watching = true;
      this.host.schedule(this.headDeadlineMs(), this.onDeadline);
    }
  }
}

/** Members linked through `request.next`: the queue holds the objects themselves. */
export class FifoRequestQueue extends WaitingRequests {
  private head: SimRequest | null = null;
  private tail: SimRequest | null = null;

  protected append(request: SimRequest): void {
    request.next = null;
    if (this.tail) this.tail.next = request;
    else this.head = request;
    this.tail = request;
  }

  protected take(): SimRequest {
    const request = this.head!;
    this.head = request.next;
    if (!this.head) this.tail = null;
    request.next = null;
    return request;
  }

  protected headDeadlineMs(): number {
    return this.head!.deadlineMs;
  }
}

/**
 * Members stored as their numbers (id, arrival, service time, deadline) in a ring of typed arrays;
 * the object goes back to the engine's pool on `push` and `shift` hands out an equal request in a
 * pooled object.
 *
 * Why: in an overload a queue holds up to timeout × arrival rate requests (150,000 at 5,000/s and
 * 30 s), and each is read again only when it reaches the head, long after it was last touched. As
 * objects (each with its numbers boxed apart from it) that is several cache misses per request, and
 * it was the largest single cost of an overloaded replay; as rows of typed arrays read in order the
 * head is always in cache, and the objects in use stay few and warm. The price is identity: a model
 * must not keep a reference to a request it queues here (see `Simulation.createQueue`).
 */
export class CompactRequestQueue extends WaitingRequests {
  private ids = new Float64Array(16);
  private arrivals = new Float64Array(16);
  private services = new Float64Array(16);
  private deadlines = new Float64Array(16);
  /** Capacity − 1; the capacity is a power of two. */
  private mask = 15;
  private first = 0;

  constructor(
    host: QueueHost,
    private readonly pool: RequestPool,
  ) {
    super(host);
  }

  protected append(request: SimRequest): void {
    if (this.length > this.mask) this.grow();
    const at = (this.first + this.length) & this.mask;
    this.ids[at] = request.id;
    this.arrivals[at] = request.arrivalMs;
    this.services[at] = request.serviceMs;
    this.deadlines[at] = request.deadlineMs;
    this.pool.release(request);
  }

  protected take(): SimRequest {
    const at = this.first;
    this.first = (at + 1) & this.mask;
    return this.pool.revive(this.ids[at]!, this.arrivals[at]!, this.services[at]!, this.deadlines[at]!);
  }

  protected headDeadlineMs(): number {
    return this.deadlines[this.first]!;
  }

  /** Doubles the ring, its members moved to the front in order. */
  private grow(): void {
    const capacity = (this.mask + 1) * 2;
    // The ring is full: its members run from `first` to the end, then from 0 up to `first`.
    const moved = (from: Float64Array) => {
      const to = new Float64Array(capacity);
      to.set(from.subarray(this.first));
      to.set(from.subarray(0, this.first), from.length - this.first);
      return to;
    };
    this.ids = moved(this.ids);
    this.arrivals = moved(this.arrivals);
    this.services = moved(this.services);
    this.deadlines = moved(this.deadlines);
    this.first = 0;
    this.mask = capacity - 1;
  }
}
