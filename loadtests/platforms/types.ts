/**
 * The contract between the replay engine (loadtests/engine) and one platform model
 * (loadtests/platforms/<id>/index.ts). Every model — kubernetes, knative, aws-lambda, cloud-run,
 * azure-functions — is one folder exporting a `PlatformModule`, registered in ./index.ts.
 *
 * The engine owns time, arrivals, service times, client timeouts and every count and histogram; a
 * model owns capacity: which instance serves a request and when, how instances start, scale and
 * stop, and what they cost. A model reports each request's fate through the `Simulation` calls
 * (`startService`, `complete`, `throttle`, `drop`; waiting requests time out by themselves in a
 * `RequestQueue`), so the totals always add up and a request can never be lost silently.
 *
 * Times: the engine clock is ms since the start of the replayed window (`now()`); autoscaler
 * contracts speak seconds (`nowSeconds = nowMs / 1000`).
 */

import type { Workload } from '../../core/model/index.ts';
import type { NodeType } from '../../core/pricing/nodes.ts';
import type { Random } from '../../core/random.ts';
import type { Calibration } from '../engine/calibration.ts';
import type { EventHandler } from '../engine/heap.ts';

export type { EventHandler } from '../engine/heap.ts';

/** Every target a replay can name; `TARGET_IDS` in ./index.ts lists them in report order. */
export type ReplayTargetId = 'kubernetes' | 'knative' | 'aws-lambda' | 'cloud-run' | 'azure-functions';

export interface PlatformMeta {
  id: ReplayTargetId;
  title: string;
  /** What the model simulates, one sentence (help text and docs). */
  covers: string;
  /** Its page: docs/platforms/<id>.md, every constant with its source. */
  docs: string;
}

/**
 * One request, created by the engine at its arrival. Models read it and set `holder`. Once its fate is
 * reported (`complete`, `throttle`, `drop`, or a queue timing it out) the engine reuses the object for a
 * later arrival: a model must not keep a reference to it after that.
 */
export interface SimRequest {
  readonly id: number;
  readonly arrivalMs: number;
  /** Time the request occupies one concurrency slot once started. */
  readonly serviceMs: number;
  /** arrivalMs + the client timeout: waiting past it, the client gives up. */
  readonly deadlineMs: number;
  /** Service start (set by `startService`); -1 while waiting. */
  startMs: number;
  /** The model's own reference (the pod or instance serving it). */
  holder: object | null;
  /** Engine-owned link for `RequestQueue`; models do not touch it. */
  next: SimRequest | null;
}

/** A FIFO of waiting requests. Members whose deadline passes leave by themselves, counted as timed out. */
export interface RequestQueue {
  readonly length: number;
  push(request: SimRequest): void;
  /** The oldest request still waiting, or null. */
  shift(): SimRequest | null;
  /** Empties the queue, handing each member to `fate` (e.g. `sim.drop` when its pod dies). */
  drain(fate: (request: SimRequest) => void): void;
  /** ∫ length dt since the queue was created, in request·ms (for time-averaged queue metrics). */
  integralMs(): number;
}

export interface Simulation {
  /** Current time, ms since the start of the replayed window. */
  now(): number;
  /** Length of the replayed traffic, ms (events may continue after it while requests drain). */
  readonly trafficEndMs: number;
  /** Runs `handler(atMs, data)` at `atMs` (≥ now). Ties run in scheduling order. */
  schedule(atMs: number, handler: EventHandler, data?: unknown): void;
  /** An independent seeded stream for one purpose of this model, e.g. `random('lb')`. */
  random(purpose: string): Random;
  /**
   * A FIFO for waiting requests. `compact`: the queue keeps only each member's numbers and lets go of
   * the object, so `shift` returns an equal request in another object — far cheaper for long queues,
   * for models that keep no reference to a request while it waits (a retry count keyed by the
   * request object would be lost).
   */
  createQueue(options?: { compact?: boolean }): RequestQueue;
  /**
   * The request starts service now on an instance that became ready at `instanceReadyAtMs`. If that
   * instance became ready after the request arrived, the request is counted as having waited for a
   * cold start. The model schedules the completion itself (`now() + request.serviceMs`).
   */
  startService(request: SimRequest, instanceReadyAtMs: number): void;
  /** Service ended now: served, or timed out when the client had already given up. */
  complete(request: SimRequest): void;
  /** Refused by a platform limit (HTTP 429 / 503 overload). */
  throttle(request: SimRequest): void;
  /** Failed: no ready endpoint and nothing to buffer it, or killed with its instance. */
  drop(request: SimRequest): void;
  /** An instance (pod, execution environment) began a cold start. */
  coldStart(): void;
  /** Records a named moment once (the first value wins): `firstScaleUpMs`, `firstNewPodReadyMs`… */
  milestone(name: string, atMs: number): void;
}

/** Options of the run that models read; resolved once by the engine from flags and the calibration file. */
export interface ReplaySettings {
  /** `--pod-concurrency`: requests one pod (instance) serves at once; null → the manifests or the default. */
  podConcurrency: number | null;
  lb: 'least-outstanding' | 'random';
  /** `--node-type`; null → chosen from the workload's accelerator. */
  nodeType: string | null;
  /** Every node type known (the table in core/pricing/nodes.ts plus calibration additions). */
  nodeTypes: readonly NodeType[];
  /** `--max-nodes`: the node group's maximum size; null → unbounded. */
  maxNodes: number | null;
  /**
   * `--initial-nodes`: nodes up at the start, and the node group's minimum size (the autoscaler does not
   * go below it); null → just the nodes the initial pods need.
   */
  initialNodes: number | null;
  /** Pod start-up overrides (flags win over the calibration file). */
  pod: NonNullable<Calibration['pod']>;
  /** Node provisioning override, seconds. */
  nodeProvisioningSeconds: number | null;
  /** Node price override, USD per hour. */
  nodeHourlyUsd: number | null;
  calibration: Calibration | null;
  timeoutMs: number;
}

export interface PlatformContext {
  workload: Workload;
  settings: ReplaySettings;
  sim: Simulation;
}

/** Instantaneous state, sampled every second by the engine for the timeline. */
export interface Gauges {
  /** Instances that exist (starting, ready or stopping). */
  instances: number;
  ready: number;
  /** Nodes up or being provisioned (0 for serverless targets). */
  nodes: number;
  /** Requests waiting for a slot (not yet in service). */
  queued: number;
}

export interface CostLine {
  item: string;
  quantity: number;
  unit: string;
  unitPriceUsd: number;
  usd: number;
  source: string;
}

/** An assumption a model made: a default it used, with where the value comes from. */
export interface Assumption {
  name: string;
  value: string;
  source: string;
}

export interface PlatformOutcome {
  gpu: {
    /** GPU-seconds on nodes that existed (what is paid for). */
    allocatedSeconds: number;
    /** GPU-seconds requested by pods. */
    podSeconds: number;
    /** GPU-seconds with at least one request in service. */
    busySeconds: number;
    idleFraction: number;
    /** Share of the GPU nodes' cost spent while their GPUs were idle. */
    idleCostUsd: number;
  } | null;
  /** `lowerBound`: some usage had no confirmed price and is left out of the total (see notes). */
  cost: { totalUsd: number; lines: CostLine[]; lowerBound?: boolean };
  assumptions: Assumption[];
  notes: string[];
}

export interface PlatformModel {
  /** Builds the starting state at time 0 (ready pods, warm instances) and schedules periodic work. */
  start(): void;
  /** A request arrives now: start it, queue it, or throttle or drop it. */
  arrive(request: SimRequest): void;
  /** Fills the gauges for the timeline; called every second and must not schedule work. */
  sample(gauges: Gauges): void;
  /** The run ended at `endMs`: close integrals and return usage and cost. */
  finish(endMs: number): PlatformOutcome;
}

export interface PlatformModule {
  meta: PlatformMeta;
  create(context: PlatformContext): PlatformModel;
}
