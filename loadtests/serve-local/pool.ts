/**
 * The serverless instance lifecycle of `migrate serve-local`, for real: an instance is a process
 * (`spawn` is injected, so the policy is testable with fakes). A request takes a free slot of a ready
 * or starting instance; with none free it starts a new instance (a cold start) and waits for it; at
 * --max-instances it is throttled (HTTP 429, as Lambda answers at its concurrency limit). An instance
 * idle for --keep-alive-seconds is reclaimed unless that would leave fewer than --min-instances, which
 * are started ahead of traffic and are not counted as cold starts.
 */

export interface InstanceHandle {
  /** Resolves with the init time (ms, measured in the child) once the handler module is loaded. */
  ready: Promise<{ initMs: number }>;
  invoke(event: unknown): Promise<unknown>;
  stop(): Promise<void>;
}

export type Spawn = (id: number) => InstanceHandle;

export interface PoolOptions {
  concurrency: number;
  keepAliveMs: number;
  minInstances: number;
  maxInstances: number;
}

interface Instance {
  id: number;
  handle: InstanceHandle;
  state: 'starting' | 'ready' | 'stopping';
  /** Requests in flight or waiting for this instance to be ready. */
  assigned: number;
  served: number;
  prewarmed: boolean;
  startedAt: number;
  idleTimer: ReturnType<typeof setTimeout> | undefined;
}

export class ThrottledError extends Error {
  override readonly name = 'ThrottledError';
}

export interface PoolStats {
  coldStarts: number;
  /** Requests that waited for an instance that was still starting. */
  coldStartWaits: number;
  instancesStarted: number;
  prewarmed: number;
  reclaimed: number;
  current: number;
  peak: number;
  throttled: number;
  /** Start of the process to handler ready, per instance, as seen by the pool (ms). */
  startMs: number[];
  /** Init time measured inside each child (module import incl. model load, ms). */
  initMs: number[];
  instances: { id: number; state: string; assigned: number; served: number; prewarmed: boolean }[];
}

export class InstancePool {
  private readonly instances = new Map<number, Instance>();
  private nextId = 1;
  private closed = false;
  private readonly counts = {
    coldStarts: 0,
    coldStartWaits: 0,
    instancesStarted: 0,
    prewarmed: 0,
    reclaimed: 0,
    peak: 0,
    throttled: 0,
  };
  private readonly startMs: number[] = [];
  private readonly initMs: number[] = [];

  constructor(
    private readonly spawn: Spawn,
    private readonly options: PoolOptions,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Starts --min-instances ahead of traffic and waits until they are ready. */
  async prewarm(): Promise<void> {
    const started: Instance[] = [];
    for (let i = this.instances.size; i < this.options.minInstances; i += 1) started.push(this.start(true));
    await Promise.all(started.map((instance) => instance.handle.ready));
  }

  async invoke(event: unknown): Promise<unknown> {
    if (this.closed) throw new Error('the pool is closed');
    const instance = this.pick();
    instance.assigned += 1;
    this.cancelIdle(instance);
    try {
      if (instance.state === 'starting') {
        this.counts.coldStartWaits += 1;
        await instance.handle.ready;
      }
      const result = await instance.handle.invoke(event);
      instance.served += 1;
      return result;
    } finally {
      instance.assigned -= 1;
      if (instance.assigned === 0) this.scheduleIdle(instance);
    }
  }

  private pick(): Instance {
    let best: Instance | undefined;
    for (const instance of this.instances.values()) {
      if (instance.state === 'stopping' || instance.assigned >= this.options.concurrency) continue;
      // Prefer ready over starting, then the busiest (packs requests, lets idle ones expire).
      const rank = (i: Instance) => (i.state === 'ready' ? 1000 : 0) + i.assigned;
      if (!best || rank(instance) > rank(best)) best = instance;
    }
    if (best) return best;
    if (this.live() >= this.options.maxInstances) {
      this.counts.throttled += 1;
      throw new ThrottledError(`all ${this.options.maxInstances} instances are busy`);
    }
    return this.start(false);
  }

  private live(): number {
    return [...this.instances.values()].filter((i) => i.state !== 'stopping').length;
  }

  private start(prewarmed: boolean): Instance {
    const id = this.nextId++;
    const startedAt = this.now();
    const handle = this.spawn(id);
    const instance: Instance = {
      id,
      handle,
      state: 'starting',
      assigned: 0,
      served: 0,
      prewarmed,
      startedAt,
      idleTimer: undefined,
    };
    this.instances.set(id, instance);
    this.counts.instancesStarted += 1;
    if (prewarmed) this.counts.prewarmed += 1;
    else this.counts.coldStarts += 1;
    this.counts.peak = Math.max(this.counts.peak, this.live());
    handle.ready.then(
      ({ initMs }) => {
        if (instance.state === 'starting') instance.state = 'ready';
        this.startMs.push(this.now() - startedAt);
        this.initMs.push(initMs);
        if (instance.assigned === 0) this.scheduleIdle(instance);
      },
      () => {
        // A failed start frees its slot; the requests waiting on it fail with the same error.
        this.instances.delete(id);
      },
    );
    return instance;
  }

  private cancelIdle(instance: Instance) {
    if (instance.idleTimer) clearTimeout(instance.idleTimer);
    instance.idleTimer = undefined;
  }

  private scheduleIdle(instance: Instance) {
    this.cancelIdle(instance);
    if (this.closed || instance.state !== 'ready') return;
    instance.idleTimer = setTimeout(() => {
      instance.idleTimer = undefined;
      if (instance.assigned > 0 || instance.state !== 'ready') return;
      if (this.live() <= this.options.minInstances) return;
      instance.state = 'stopping';
      this.counts.reclaimed += 1;
      this.instances.delete(instance.id);
      void instance.handle.stop();
    }, this.options.keepAliveMs);
    instance.idleTimer.unref?.();
  }

  stats(): PoolStats {
    return {
      ...this.counts,
      current: this.live(),
      startMs: [...this.startMs],
      initMs: [...this.initMs],
      instances: [...this.instances.values()].map(({ id, state, assigned, served, prewarmed }) => ({
        id,
        state,
        assigned,
        served,
        prewarmed,
      })),
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.instances.values()];
    this.instances.clear();
    for (const instance of all) this.cancelIdle(instance);
    await Promise.all(all.map((instance) => instance.handle.stop()));
  }
}
