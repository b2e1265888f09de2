/**
 * Instances that each serve up to `concurrency` requests at once (Cloud Run, Azure Functions): how
 * they start, take requests and stop. Scaling is the caller's: it adds instances (`add`), promotes
 * standby ones and reclaims idle ones; the pool routes requests and keeps the time each instance was
 * alive and busy, which is what those platforms bill.
 *
 * Routing: a request goes to the routable ready instance with the fewest requests in service (on
 * ties, the one at that load longest) when it has a free slot; otherwise it waits in one shared FIFO,
 * and the next slot to free, or the next instance to become ready, takes the oldest waiting request.
 * Neither platform documents its balancing: this is an assumption, stated by each model.
 */

import type { EventHandler, SimRequest, Simulation } from '../../types.ts';
import { createPending, type Pending } from './pending.ts';

export interface PoolInstance {
  readonly id: number;
  /** Kept regardless of idleness (min instances, always-ready); billed as such on Azure Flex. */
  pinned: boolean;
  /** Started but kept out of routing until promoted (Azure Premium prewarmed instances). */
  standby: boolean;
  phase: 'starting' | 'ready' | 'gone';
  createdAtMs: number;
  readyAtMs: number;
  inService: number;
  idleSinceMs: number;
  busySinceMs: number;
  level: number;
  levelPrev: PoolInstance | null;
  levelNext: PoolInstance | null;
}

/** Time one class of instances (pinned or not) was alive and busy, with each interval rounded for billing. */
export interface PoolTime {
  aliveMs: number;
  aliveBilledMs: number;
  busyMs: number;
  busyBilledMs: number;
  /** Separate busy periods (an instance busy without a break is one). */
  busyPeriods: number;
  /** Requests that started service. */
  executions: number;
}

export interface PoolOptions {
  concurrency: number;
  /** Service time × this (an instance with less CPU than the one the times were measured on). */
  serviceFactor: number;
  /** The platform ends a request this long after it arrived or started (request timeout, functionTimeout). */
  executionLimitMs: number;
  executionLimitFrom: 'arrival' | 'start';
  /** A platform limit on waiting (refused after it), or null: requests wait for their client. */
  pendingLimitMs: number | null;
  clientTimeoutMs: number;
  /** Billing rounds each alive and busy interval up to this. */
  billingGranularityMs: number;
  refuse: (request: SimRequest) => void;
  /** A request had to wait: capacity may need to grow. */
  onWaiting: () => void;
}

const emptyTime = (): PoolTime => ({
  aliveMs: 0,
  aliveBilledMs: 0,
  busyMs: 0,
  busyBilledMs: 0,
  busyPeriods: 0,
  executions: 0,
});

export class InstancePool {
  readonly instances: PoolInstance[] = [];
  private readonly index = new Map<PoolInstance, number>();
  private readonly heads: (PoolInstance | null)[] = [];
  private readonly tails: (PoolInstance | null)[] = [];
  private minLevel = 0;
  private nextId = 0;
  readonly pending: Pending;
  starting = 0;
  inService = 0;
  /** Instances that are not standby (starting or ready). */
  private routable = 0;
  /** Requests the platform ended at its execution limit. */
  cut = 0;
  readonly time = { pinned: emptyTime(), onDemand: emptyTime() };
  private readonly onReady: EventHandler;
  private readonly onDone: EventHandler;
  private readonly onCut: EventHandler;

  constructor(
    private readonly sim: Simulation,
    private readonly options: PoolOptions,
  ) {
    this.pending = createPending(sim, options.pendingLimitMs, options.clientTimeoutMs, options.refuse);
    this.onReady = (nowMs, data) => this.ready(data as PoolInstance, nowMs);
    this.onDone = (nowMs, data) => this.end(data as SimRequest, nowMs, false);
    this.onCut = (nowMs, data) => this.end(data as SimRequest, nowMs, true);
  }

  get size(): number {
    return this.instances.length;
  }

  /** Slots of routable instances, starting or ready: what the waiting requests can count on. */
  slots(): number {
    return this.routable * this.options.concurrency;
  }

  /** Requests in service or waiting. */
  demand(): number {
    return this.inService + this.pending.length;
  }

  /** Starts an instance now: ready at once when `startMs` is 0 (warm at the start), else after a cold start. */
  add(options: { pinned: boolean; standby: boolean; startMs: number }): PoolInstance {
    const nowMs = this.sim.now();
    const instance: PoolInstance = {
      id: this.nextId++,
      pinned: options.pinned,
      standby: options.standby,
      phase: 'starting',
      createdAtMs: nowMs,
      readyAtMs: nowMs + options.startMs,
      inService: 0,
      idleSinceMs: nowMs + options.startMs,
      busySinceMs: 0,
      level: -1,
      levelPrev: null,
      levelNext: null,
    };
    this.index.set(instance, this.instances.length);
    this.instances.push(instance);
    this.starting += 1;
    if (!options.standby) this.routable += 1;
    if (options.startMs === 0) this.ready(instance, nowMs);
    else {
      this.sim.coldStart();
      this.sim.schedule(instance.readyAtMs, this.onReady, instance);
    }
    return instance;
  }

  /** A standby instance joins the routing (now, or when it is ready). */
  promote(instance: PoolInstance): void {
    if (!instance.standby) return;
    instance.standby = false;
    this.routable += 1;
    if (instance.phase === 'ready') this.route(instance, this.sim.now());
  }

  /** Takes an instance out of routing: it finishes what it holds and waits, warm, to be promoted or removed. */
  demote(instance: PoolInstance): void {
    if (instance.standby || instance.phase === 'gone') return;
    instance.standby = true;
    this.routable -= 1;
    this.unlink(instance);
  }

  /** Instances taking requests (starting or ready, not standby). */
  get routableCount(): number {
    return this.routable;
  }

  /** Ready instances taking requests. */
  readyRoutable(): number {
    let count = 0;
    for (const instance of this.instances) if (instance.phase === 'ready' && !instance.standby) count += 1;
    return count;
  }

  /** Stops an idle ready instance. */
  remove(instance: PoolInstance, nowMs: number): void {
    if (instance.phase !== 'ready' || instance.inService > 0) return;
    instance.phase = 'gone';
    if (!instance.standby) this.routable -= 1;
    this.unlink(instance);
    this.closeAlive(instance, nowMs);
    const at = this.index.get(instance)!;
    const last = this.instances.pop()!;
    this.index.delete(instance);
    if (last !== instance) {
      this.instances[at] = last;
      this.index.set(last, at);
    }
  }

  arrive(request: SimRequest): void {
    const instance = this.least();
    if (instance && instance.inService < this.options.concurrency)
      this.begin(instance, request, this.sim.now());
    else {
      this.pending.push(request);
      this.options.onWaiting();
    }
  }

  /** Closes the alive and busy intervals still open at the end of the run. */
  finish(endMs: number): void {
    for (const instance of this.instances) {
      if (instance.inService > 0) this.closeBusy(instance, endMs);
      this.closeAlive(instance, endMs);
    }
  }

  private ready(instance: PoolInstance, nowMs: number): void {
    instance.phase = 'ready';
    instance.idleSinceMs = nowMs;
    this.starting -= 1;
    if (!instance.standby) this.route(instance, nowMs);
  }

  /** A routable ready instance takes waiting requests up to its slots, then joins the load levels. */
  private route(instance: PoolInstance, nowMs: number): void {
    while (instance.inService < this.options.concurrency) {
      const next = this.pending.shift();
      if (!next) break;
      this.begin(instance, next, nowMs);
    }
    this.append(instance, instance.inService);
  }

  private begin(instance: PoolInstance, request: SimRequest, nowMs: number): void {
    if (instance.inService === 0) instance.busySinceMs = nowMs;
    instance.inService += 1;
    this.inService += 1;
    this.classOf(instance).executions += 1;
    request.holder = instance;
    this.sim.startService(request, instance.readyAtMs);
    const endMs = nowMs + request.serviceMs * this.options.serviceFactor;
    const from = this.options.executionLimitFrom === 'arrival' ? request.arrivalMs : nowMs;
    const limitMs = Math.max(nowMs, from + this.options.executionLimitMs);
    if (endMs > limitMs) this.sim.schedule(limitMs, this.onCut, request);
    else this.sim.schedule(endMs, this.onDone, request);
    this.moved(instance);
  }

  private end(request: SimRequest, nowMs: number, cut: boolean): void {
    const instance = request.holder as PoolInstance;
    request.holder = null;
    instance.inService -= 1;
    this.inService -= 1;
    if (instance.inService === 0) {
      this.closeBusy(instance, nowMs);
      instance.idleSinceMs = nowMs;
    }
    if (!cut || nowMs > request.deadlineMs) this.sim.complete(request);
    else {
      this.cut += 1;
      this.sim.drop(request);
    }
    if (instance.standby) return;
    const next = this.pending.shift();
    if (next) this.begin(instance, next, nowMs);
    else this.moved(instance);
  }

  private classOf(instance: PoolInstance): PoolTime {
    return instance.pinned ? this.time.pinned : this.time.onDemand;
  }

  private closeBusy(instance: PoolInstance, nowMs: number): void {
    const time = this.classOf(instance);
    const busyMs = nowMs - instance.busySinceMs;
    time.busyMs += busyMs;
    time.busyBilledMs += roundUp(busyMs, this.options.billingGranularityMs);
    time.busyPeriods += 1;
  }

  private closeAlive(instance: PoolInstance, nowMs: number): void {
    const time = this.classOf(instance);
    const aliveMs = nowMs - instance.createdAtMs;
    time.aliveMs += aliveMs;
    time.aliveBilledMs += roundUp(aliveMs, this.options.billingGranularityMs);
  }

  // Ready routable instances bucketed by requests in service: the least loaded is the head of the lowest
  // non-empty level, and an instance whose load changes moves to the tail of its new level (O(1)).

  private least(): PoolInstance | null {
    while (this.minLevel < this.heads.length && !this.heads[this.minLevel]) this.minLevel += 1;
    return this.heads[this.minLevel] ?? null;
  }

  private moved(instance: PoolInstance): void {
    if (instance.level < 0 || instance.level === instance.inService) return;
    this.unlink(instance);
    this.append(instance, instance.inService);
  }

  private append(instance: PoolInstance, level: number): void {
    while (this.heads.length <= level) {
      this.heads.push(null);
      this.tails.push(null);
    }
    instance.level = level;
    instance.levelNext = null;
    instance.levelPrev = this.tails[level]!;
    if (instance.levelPrev) instance.levelPrev.levelNext = instance;
    else this.heads[level] = instance;
    this.tails[level] = instance;
    if (level < this.minLevel) this.minLevel = level;
  }

  private unlink(instance: PoolInstance): void {
    const level = instance.level;
    if (level < 0) return;
    if (instance.levelPrev) instance.levelPrev.levelNext = instance.levelNext;
    else this.heads[level] = instance.levelNext;
    if (instance.levelNext) instance.levelNext.levelPrev = instance.levelPrev;
    else this.tails[level] = instance.levelPrev;
    instance.level = -1;
    instance.levelPrev = null;
    instance.levelNext = null;
  }
}

/** Rounds a positive interval up to a whole number of `stepMs` (a float just above a multiple is that multiple). */
export function roundUp(ms: number, stepMs: number): number {
  if (ms <= 0) return 0;
  const steps = ms / stepMs;
  const nearest = Math.round(steps);
  return (Math.abs(steps - nearest) <= 1e-9 * Math.max(1, nearest) ? nearest : Math.ceil(steps)) * stepMs;
}
