/**
 * The discrete-event loop of one replay against one platform model.
 *
 * Arrivals come lazily from the traffic source and are merged with the event heap by time (they never
 * enter the heap), so a request costs one heap push and pop for its completion and nothing else in
 * the engine. Events at the same time as an arrival run first (a pod that becomes ready at t can take
 * a request arriving at t). The run ends when the traffic is over, nothing is left in the system and
 * the next event lies after the traffic's end.
 */

import type { Workload } from '../../core/model/index.ts';
import type { Random } from '../../core/random.ts';
import type {
  Gauges,
  PlatformModel,
  PlatformModule,
  PlatformOutcome,
  ReplaySettings,
  RequestQueue,
  SimRequest,
  Simulation,
} from '../platforms/types.ts';
import type { ArrivalSource } from '../traffic/arrivals.ts';
import { type EventHandler, EventHeap } from './heap.ts';
import { FifoRequestQueue } from './queue.ts';
import { Recorder, type RecoveryTracker } from './recorder.ts';
import { randomStream } from './streams.ts';
import type { Timeline } from './timeline.ts';

/**
 * Requests are recycled once they have left the system (the contract in ../platforms/types.ts: a
 * model lets go of a request when it reports its fate), so a steady replay allocates no objects per
 * request and long queues during an overload do not end up in the old generation of the heap.
 */
class Request implements SimRequest {
  id = 0;
  arrivalMs = 0;
  serviceMs = 0;
  deadlineMs = 0;
  startMs = -1;
  holder: object | null = null;
  next: SimRequest | null = null;
}

export interface SimulationInput {
  module: PlatformModule;
  workload: Workload;
  settings: ReplaySettings;
  arrivals: ArrivalSource;
  /** Draws a service time when the trace has none for a request. */
  serviceMs: () => number;
  seed: number;
  timeline: Timeline;
  spike: { startMs: number; endMs: number } | null;
  recovery: RecoveryTracker | null;
  /** Called now and then with the share of the traffic simulated (0–1). */
  onProgress?: (fraction: number) => void;
}

export interface SimulationOutput {
  recorder: Recorder;
  outcome: PlatformOutcome;
  endMs: number;
  milestones: Record<string, number>;
}

const SAMPLE_EVERY_MS = 1000;
const PROGRESS_EVERY = 1 << 16;

export class Engine implements Simulation {
  private nowMs = 0;
  private nextId = 0;
  private readonly heap = new EventHeap();
  readonly recorder: Recorder;
  private readonly milestones = new Map<string, number>();
  private readonly gauges: Gauges = { instances: 0, ready: 0, nodes: 0, queued: 0 };
  readonly trafficEndMs: number;
  private model: PlatformModel | null = null;
  private readonly expire: (request: SimRequest) => void;
  private readonly pool: Request[] = [];

  constructor(private readonly input: SimulationInput) {
    this.trafficEndMs = input.arrivals.durationMs;
    this.recorder = new Recorder(input.timeline, input.spike, input.recovery, (request) => {
      request.holder = null;
      request.next = null;
      this.pool.push(request as Request);
    });
    this.expire = (request) => this.recorder.expire(request, this.nowMs);
  }

  now(): number {
    return this.nowMs;
  }

  schedule(atMs: number, handler: EventHandler, data?: unknown): void {
    this.heap.push(Math.max(atMs, this.nowMs), handler, data);
  }

  random(purpose: string): Random {
    return randomStream(this.input.seed, `${this.input.module.meta.id}/${purpose}`);
  }

  createQueue(): RequestQueue {
    return new FifoRequestQueue(
      (at, handler, data) => this.schedule(at, handler, data),
      () => this.nowMs,
      this.expire,
    );
  }

  startService(request: SimRequest, instanceReadyAtMs: number): void {
    this.recorder.start(request, this.nowMs, instanceReadyAtMs);
  }

  complete(request: SimRequest): void {
    this.recorder.complete(request, this.nowMs);
  }

  throttle(request: SimRequest): void {
    this.recorder.throttle(request, this.nowMs);
  }

  drop(request: SimRequest): void {
    this.recorder.drop(request, this.nowMs);
  }

  coldStart(): void {
    this.recorder.coldStarts += 1;
  }

  milestone(name: string, atMs: number): void {
    if (!this.milestones.has(name)) this.milestones.set(name, atMs);
  }

  run(): SimulationOutput {
    const { input } = this;
    const model = input.module.create({ workload: input.workload, settings: input.settings, sim: this });
    this.model = model;
    model.start();
    this.scheduleSample(0);
    this.loop(model);
    const endMs = Math.max(this.trafficEndMs, this.recorder.lastDepartureMs);
    input.onProgress?.(1);
    return {
      recorder: this.recorder,
      outcome: model.finish(endMs),
      endMs,
      milestones: Object.fromEntries(this.milestones),
    };
  }

  private loop(model: PlatformModel): void {
    const { heap, recorder, trafficEndMs } = this;
    const arrivals = this.input.arrivals;
    const sampleService = this.input.serviceMs;
    const timeoutMs = this.input.settings.timeoutMs;
    const onProgress = this.input.onProgress;
    const pool = this.pool;
    for (;;) {
      const arrivalMs = arrivals.nextMs;
      const eventMs = heap.peekTime();
      if (arrivalMs < eventMs) {
        this.nowMs = arrivalMs;
        const traced = arrivals.nextServiceMs;
        const serviceMs = traced >= 0 ? traced : sampleService();
        const request = pool.length > 0 ? pool.pop()! : new Request();
        request.id = this.nextId++;
        request.arrivalMs = arrivalMs;
        request.serviceMs = serviceMs;
        request.deadlineMs = arrivalMs + timeoutMs;
        request.startMs = -1;
        arrivals.advance();
        recorder.arrive(arrivalMs);
        model.arrive(request);
        if (onProgress && (this.nextId & (PROGRESS_EVERY - 1)) === 0) onProgress(arrivalMs / trafficEndMs);
        continue;
      }
      if (eventMs === Number.POSITIVE_INFINITY) return;
      if (arrivalMs === Number.POSITIVE_INFINITY && recorder.inSystem === 0 && eventMs > trafficEndMs) return;
      this.nowMs = eventMs;
      heap.popAndRun();
    }
  }

  private scheduleSample(atMs: number): void {
    this.schedule(atMs, this.onSample);
  }

  private readonly onSample: EventHandler = (nowMs) => {
    this.model!.sample(this.gauges);
    this.input.timeline.sample(nowMs, this.gauges);
    this.scheduleSample(nowMs + SAMPLE_EVERY_MS);
  };
}
