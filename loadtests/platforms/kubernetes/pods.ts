/**
 * Pods of one workload and their life: pending (no node has room) → starting (bound; pulling, loading,
 * waiting for the readiness probe) → ready (an endpoint: takes requests) → terminating (out of the
 * endpoints, finishing what it holds for up to the termination grace period) → gone (its room on the
 * node is free). `PodSet` is the ReplicaSet: it keeps the desired count, creating pods or choosing
 * which to delete the way the ReplicaSet controller ranks them (pending first, then not ready, then
 * the most recently ready).
 */

import type { RequestQueue, Simulation } from '../types.ts';
import type { Cluster, ClusterNode, Placeable } from './cluster.ts';
import { INITIAL_POD_AGE_SECONDS } from './defaults.ts';
import { type PodStartPlan, readyAt } from './pod-start.ts';

export type PodPhase = 'pending' | 'starting' | 'ready' | 'terminating' | 'gone';

export class Pod implements Placeable {
  phase: PodPhase = 'pending';
  node: ClusterNode | null = null;
  boundAtMs = -1;
  readyAtMs = -1;
  inService = 0;
  /** Its own queue (`--lb random`); null with the shared queue. */
  queue: RequestQueue | null = null;
  /** Least-outstanding routing: its load level (-1 when not routable) and neighbours there. */
  level = -1;
  levelPrev: Pod | null = null;
  levelNext: Pod | null = null;
  /** Time integrals since creation, in ms: slots in use, and time with at least one request in service. */
  slotMs = 0;
  busyMs = 0;
  started = 0;
  private lastMs: number;

  constructor(
    readonly id: number,
    readonly createdAtMs: number,
    private readonly owner: PodSet,
  ) {
    this.lastMs = createdAtMs;
  }

  /** Brings the integrals up to `nowMs`; call before changing `inService`. */
  touch(nowMs: number): void {
    const dt = nowMs - this.lastMs;
    if (dt > 0) {
      this.slotMs += this.inService * dt;
      if (this.inService > 0) this.busyMs += dt;
      this.lastMs = nowMs;
    }
  }

  bound(node: ClusterNode, nowMs: number): void {
    this.owner.onBound(this, node, nowMs);
  }

  evict(): void {
    this.owner.evict(this);
  }
}

/** What the pod set tells the request router. */
export interface Endpoints {
  podReady(pod: Pod): void;
  podLeaving(pod: Pod): void;
  /** Requests the pod still holds (in service and in its own queue). */
  held(pod: Pod): number;
  /** The pod is killed at the end of its grace period: fail what it still holds. */
  kill(pod: Pod): void;
}

export class PodSet {
  readonly pods: Pod[] = [];
  desired = 0;
  private nextId = 0;
  private endpoints: Endpoints | null = null;
  /** Busy time of pods that are gone, so the total survives them. */
  private goneBusyMs = 0;

  constructor(
    private readonly sim: Simulation,
    private readonly cluster: Cluster,
    private readonly plan: PodStartPlan,
    private readonly graceMs: number,
    readonly gpusPerPod: number,
  ) {}

  connect(endpoints: Endpoints): void {
    this.endpoints = endpoints;
  }

  /** The pods running when the replay starts: ready, on nodes that are up, not cold starts. */
  bootstrap(count: number): void {
    this.desired = count;
    const pods: Pod[] = [];
    for (let i = 0; i < count; i++) {
      const pod = new Pod(this.nextId++, 0, this);
      pod.phase = 'ready';
      this.pods.push(pod);
      pods.push(pod);
    }
    this.cluster.bootstrap(pods);
    for (const pod of pods) {
      pod.boundAtMs = -INITIAL_POD_AGE_SECONDS * 1000;
      pod.readyAtMs = -INITIAL_POD_AGE_SECONDS * 1000;
      this.endpoints!.podReady(pod);
    }
  }

  get active(): number {
    let count = 0;
    for (const pod of this.pods) if (pod.phase !== 'terminating') count += 1;
    return count;
  }

  get readyCount(): number {
    let count = 0;
    for (const pod of this.pods) if (pod.phase === 'ready') count += 1;
    return count;
  }

  scaleTo(count: number): void {
    this.desired = count;
    let active = this.active;
    while (active < count) {
      this.create();
      active += 1;
    }
    if (active > count) for (const pod of this.victims(active - count)) this.terminate(pod);
  }

  private create(): void {
    const pod = new Pod(this.nextId++, this.sim.now(), this);
    this.pods.push(pod);
    this.cluster.submit(pod);
  }

  onBound(pod: Pod, node: ClusterNode, nowMs: number): void {
    if (pod.phase !== 'pending') return; // bootstrap binds ready pods
    pod.phase = 'starting';
    pod.boundAtMs = nowMs;
    this.sim.coldStart();
    this.sim.schedule(readyAt(this.plan, node, nowMs), this.onReady, pod);
  }

  private readonly onReady = (nowMs: number, data: unknown) => {
    const pod = data as Pod;
    if (pod.phase !== 'starting') return;
    pod.phase = 'ready';
    pod.readyAtMs = nowMs;
    pod.touch(nowMs);
    this.sim.milestone('firstNewPodReadyMs', nowMs);
    this.endpoints!.podReady(pod);
  };

  /** ReplicaSet ranking: unbound, then not ready, then the most recently ready (newest first within each). */
  private victims(count: number): Pod[] {
    const rank = (pod: Pod) => (pod.phase === 'pending' ? 0 : pod.phase === 'starting' ? 1 : 2);
    return this.pods
      .filter((pod) => pod.phase !== 'terminating')
      .sort((a, b) => rank(a) - rank(b) || b.readyAtMs - a.readyAtMs || b.id - a.id)
      .slice(0, count);
  }

  terminate(pod: Pod): void {
    if (pod.phase === 'pending' || pod.phase === 'starting') {
      this.gone(pod);
      return;
    }
    if (pod.phase !== 'ready') return;
    pod.phase = 'terminating';
    this.endpoints!.podLeaving(pod);
    if (this.endpoints!.held(pod) === 0) this.gone(pod);
    else this.sim.schedule(this.sim.now() + this.graceMs, this.onGraceOver, pod);
  }

  /** Node drain: the pod goes (gracefully) and the ReplicaSet replaces it elsewhere. */
  evict(pod: Pod): void {
    if (pod.phase === 'terminating' || pod.phase === 'gone') return;
    this.terminate(pod);
    if (this.active < this.desired) this.create();
  }

  /** A terminating pod finished the last request it held. */
  idle(pod: Pod): void {
    if (pod.phase === 'terminating') this.gone(pod);
  }

  private readonly onGraceOver = (_nowMs: number, data: unknown) => {
    const pod = data as Pod;
    if (pod.phase !== 'terminating') return;
    this.endpoints!.kill(pod);
    this.gone(pod);
  };

  private gone(pod: Pod): void {
    const nowMs = this.sim.now();
    pod.touch(nowMs);
    if (pod.node) this.boundTotalMs += nowMs - Math.max(0, pod.boundAtMs);
    pod.phase = 'gone';
    this.goneBusyMs += pod.busyMs;
    this.pods.splice(this.pods.indexOf(pod), 1);
    this.cluster.release(pod);
  }

  /** GPU-seconds requested by pods (bound to a node) and busy serving, up to `endMs`. */
  gpuUsage(endMs: number): { podSeconds: number; busySeconds: number } {
    let busyMs = this.goneBusyMs;
    for (const pod of this.pods) {
      pod.touch(endMs);
      busyMs += pod.busyMs;
    }
    return {
      podSeconds: (this.boundMs(endMs) / 1000) * this.gpusPerPod,
      busySeconds: (busyMs / 1000) * this.gpusPerPod,
    };
  }

  private boundTotalMs = 0;

  private boundMs(endMs: number): number {
    let total = this.boundTotalMs;
    for (const pod of this.pods) if (pod.node) total += endMs - Math.max(0, pod.boundAtMs);
    return total;
  }
}
