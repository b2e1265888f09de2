/**
 * Routing requests to ready pods, each serving up to `concurrency` requests at once:
 *
 * - `least-outstanding` (default): one shared queue in front of all pods; a request goes to the ready
 *   pod with the fewest requests in service (on ties, the one at that load longest) when it has a free slot, else waits in
 *   the shared queue, and a pod that frees a slot takes the oldest waiting request. With one slot per
 *   pod this is exactly the M/M/c (Erlang C) queue.
 * - `random`: kube-proxy's behaviour: a uniformly random ready pod, each pod with its own queue.
 *
 * With no ready pod a request is dropped (a Service without endpoints refuses it) unless the platform
 * buffers it (KEDA's queue, Knative's activator): then it waits in a holding queue until a pod is ready.
 * `queueLimit` bounds the waiting requests (beyond it: throttled, like an overloaded proxy's 503).
 */

import type { EventHandler, RequestQueue, SimRequest, Simulation } from '../types.ts';
import type { Endpoints, Pod, PodSet } from './pods.ts';

export interface RouterOptions {
  concurrency: number;
  whenNoEndpoint: 'drop' | 'buffer';
  queueLimit: number;
}

export interface Router extends Endpoints {
  arrive(request: SimRequest): void;
  /** Requests waiting now (shared, holding and per-pod queues). */
  queued(): number;
  /** ∫ waiting requests dt (request·ms) since the start, across every queue. */
  queuedIntegralMs(): number;
  /** ∫ waiting requests dt of one pod's own queue (`random`); 0 with the shared queue, whose share the caller computes. */
  podQueueIntegralMs(pod: Pod): number;
  /** Requests that arrived so far. */
  arrivals: number;
  readonly kind: 'least-outstanding' | 'random';
}

/**
 * Ready pods bucketed by requests in service. The least loaded pod is the head of the lowest
 * non-empty level; a pod whose count changes moves to the tail of its new level, so ties go to the
 * pod that has been at that load longest. Every operation is O(1) (amortised for `least`).
 */
class LoadLevels {
  private readonly heads: (Pod | null)[] = [];
  private readonly tails: (Pod | null)[] = [];
  private minLevel = 0;
  size = 0;

  least(): Pod | null {
    if (this.size === 0) return null;
    while (!this.heads[this.minLevel]) this.minLevel += 1;
    return this.heads[this.minLevel]!;
  }

  insert(pod: Pod): void {
    this.append(pod, pod.inService);
    this.size += 1;
  }

  remove(pod: Pod): void {
    if (pod.level < 0) return;
    this.unlink(pod);
    this.size -= 1;
  }

  /** The pod's count of requests in service changed: move it to its new level. */
  moved(pod: Pod): void {
    if (pod.level < 0 || pod.level === pod.inService) return;
    this.unlink(pod);
    this.append(pod, pod.inService);
  }

  private append(pod: Pod, level: number): void {
    while (this.heads.length <= level) {
      this.heads.push(null);
      this.tails.push(null);
    }
    pod.level = level;
    pod.levelNext = null;
    pod.levelPrev = this.tails[level]!;
    if (pod.levelPrev) pod.levelPrev.levelNext = pod;
    else this.heads[level] = pod;
    this.tails[level] = pod;
    if (level < this.minLevel) this.minLevel = level;
  }

  private unlink(pod: Pod): void {
    const level = pod.level;
    if (pod.levelPrev) pod.levelPrev.levelNext = pod.levelNext;
    else this.heads[level] = pod.levelNext;
    if (pod.levelNext) pod.levelNext.levelPrev = pod.levelPrev;
    else this.tails[level] = pod.levelPrev;
    pod.level = -1;
    pod.levelPrev = null;
    pod.levelNext = null;
  }
}

abstract class BaseRouter {
  arrivals = 0;
  protected readonly onComplete: EventHandler;
  /** A waiting room while no pod is ready (buffering platforms only). */
  protected readonly holding: RequestQueue;

  constructor(
    protected readonly sim: Simulation,
    protected readonly pods: PodSet,
    protected readonly options: RouterOptions,
  ) {
    this.onComplete = (nowMs, data) => this.completed(nowMs, data as SimRequest);
    // Routers never keep a reference to a waiting request: the compact queue suits them.
    this.holding = sim.createQueue({ compact: true });
  }

  /**
   * Starts the request on the pod now. The time is read here rather than passed in: `begin` is called
   * once per request, often not inlined, and a time passed as an argument costs a boxed number.
   */
  protected begin(pod: Pod, request: SimRequest): void {
    const nowMs = this.sim.now();
    pod.touch(nowMs);
    pod.inService += 1;
    pod.started += 1;
    request.holder = pod;
    this.sim.startService(request, pod.readyAtMs);
    this.sim.schedule(nowMs + request.serviceMs, this.onComplete, request);
  }

  /**
   * Ends the request on its pod. A pod killed at the end of its grace period is not told which
   * requests it held (that would cost an index per request): they are counted as dropped when their
   * service would have ended. Returns the pod when it is still alive.
   */
  protected finish(request: SimRequest, nowMs: number): Pod | null {
    const pod = request.holder as Pod;
    request.holder = null;
    pod.touch(nowMs);
    pod.inService -= 1;
    if (pod.phase === 'gone') {
      this.sim.drop(request);
      return null;
    }
    this.sim.complete(request);
    return pod;
  }

  /** Sends a request nowhere: dropped, or held until a pod is ready when the platform buffers. */
  protected noEndpoint(request: SimRequest): void {
    if (this.options.whenNoEndpoint === 'drop') this.sim.drop(request);
    else if (this.holding.length < this.options.queueLimit) this.holding.push(request);
    else this.sim.throttle(request);
  }

  protected abstract completed(nowMs: number, request: SimRequest): void;
}

export class LeastOutstandingRouter extends BaseRouter implements Router {
  readonly kind = 'least-outstanding' as const;
  private readonly levels = new LoadLevels();

  arrive(request: SimRequest): void {
    this.arrivals += 1;
    const pod = this.levels.least();
    if (pod === null) this.noEndpoint(request);
    else if (pod.inService < this.options.concurrency) {
      this.begin(pod, request);
      this.levels.moved(pod);
    } else if (this.holding.length < this.options.queueLimit) this.holding.push(request);
    else this.sim.throttle(request);
  }

  protected completed(nowMs: number, request: SimRequest): void {
    const pod = this.finish(request, nowMs);
    if (!pod) return;
    if (pod.phase === 'ready') {
      const next = this.holding.shift();
      // Taking the next request puts the pod back at the load it had: no move.
      if (next) this.begin(pod, next);
      else this.levels.moved(pod);
    } else if (pod.inService === 0) this.pods.idle(pod);
  }

  podReady(pod: Pod): void {
    while (pod.inService < this.options.concurrency) {
      const next = this.holding.shift();
      if (!next) break;
      this.begin(pod, next);
    }
    this.levels.insert(pod);
  }

  podLeaving(pod: Pod): void {
    this.levels.remove(pod);
  }

  held(pod: Pod): number {
    return pod.inService;
  }

  /** Nothing waits at the pod itself; what it serves is dropped when its service would end (`finish`). */
  kill(): void {}

  queued(): number {
    return this.holding.length;
  }

  queuedIntegralMs(): number {
    return this.holding.integralMs();
  }

  podQueueIntegralMs(): number {
    return 0;
  }
}

export class RandomRouter extends BaseRouter implements Router {
  readonly kind = 'random' as const;
  private readonly ready: Pod[] = [];
  private readonly random = this.sim.random('lb');
  /** Queue integrals of pods that are gone, so the total keeps growing monotonically. */
  private goneQueueMs = 0;
  private readonly queues = new Set<Pod>();

  arrive(request: SimRequest): void {
    this.arrivals += 1;
    const count = this.ready.length;
    if (count === 0) {
      this.noEndpoint(request);
      return;
    }
    const pod = this.ready[count === 1 ? 0 : this.random.nextInt(count)]!;
    if (pod.inService < this.options.concurrency) this.begin(pod, request);
    else if (pod.queue!.length < this.options.queueLimit) pod.queue!.push(request);
    else this.sim.throttle(request);
  }

  protected completed(nowMs: number, request: SimRequest): void {
    const pod = this.finish(request, nowMs);
    if (!pod) return;
    const next = pod.queue!.shift();
    if (next) this.begin(pod, next);
    else if (pod.phase === 'terminating' && pod.inService === 0) {
      this.retire(pod);
      this.pods.idle(pod);
    }
  }

  podReady(pod: Pod): void {
    pod.queue = this.sim.createQueue({ compact: true });
    this.queues.add(pod);
    this.ready.push(pod);
    // Requests held while no pod was ready go to the first pod that is (to its queue beyond its slots).
    for (let next = this.holding.shift(); next; next = this.holding.shift()) {
      if (pod.inService < this.options.concurrency) this.begin(pod, next);
      else pod.queue.push(next);
    }
  }

  podLeaving(pod: Pod): void {
    const at = this.ready.indexOf(pod);
    if (at >= 0) this.ready.splice(at, 1);
  }

  held(pod: Pod): number {
    return pod.inService + (pod.queue?.length ?? 0);
  }

  kill(pod: Pod): void {
    pod.queue?.drain((request) => this.sim.drop(request));
    this.retire(pod);
  }

  private retire(pod: Pod): void {
    if (!this.queues.delete(pod)) return;
    this.goneQueueMs += pod.queue!.integralMs();
  }

  queued(): number {
    let count = this.holding.length;
    for (const pod of this.queues) count += pod.queue!.length;
    return count;
  }

  queuedIntegralMs(): number {
    let total = this.goneQueueMs + this.holding.integralMs();
    for (const pod of this.queues) total += pod.queue!.integralMs();
    return total;
  }

  podQueueIntegralMs(pod: Pod): number {
    return pod.queue?.integralMs() ?? 0;
  }
}

export function createRouter(
  kind: 'least-outstanding' | 'random',
  sim: Simulation,
  pods: PodSet,
  options: RouterOptions,
): Router {
  return kind === 'random'
    ? new RandomRouter(sim, pods, options)
    : new LeastOutstandingRouter(sim, pods, options);
}
