/**
 * The cloud-run target: a Cloud Run service's instances, each serving up to `containerConcurrency`
 * requests. min instances are warm from the start and kept; a request that finds no free slot waits,
 * and an instance is started for it at once (container start + model load) while the service is under
 * max instances; every tick the autoscaler adds instances to keep concurrency at its 60 % target.
 * Waiting requests fail with 429 after the pending limit; idle instances above the target are reclaimed
 * after the idle retention. Billing is request-based or instance-based, GPUs instance-based.
 * docs/platforms/cloud-run.md.
 */

import type { CloudRunUsage } from '../../../core/pricing/usage.ts';
import { instanceConcurrency } from '../aws-lambda/common/concurrency.ts';
import { InstancePool } from '../aws-lambda/common/pool.ts';
import { priceRun } from '../aws-lambda/common/price.ts';
import { planned } from '../aws-lambda/common/report.ts';
import { Retrier, retryAssumptions, retryPolicy } from '../aws-lambda/common/retry.ts';
import { type ColdStart, coldStart, cpuSlowdown } from '../aws-lambda/common/start.ts';
import type {
  Assumption,
  EventHandler,
  Gauges,
  PlatformContext,
  PlatformMeta,
  PlatformModel,
  PlatformModule,
  PlatformOutcome,
  SimRequest,
  Simulation,
} from '../types.ts';
import { type CloudRunConfig, plannedCloudRunConfig } from './config.ts';
import {
  AUTOSCALER_TICK_MS,
  BILLING_GRANULARITY_MS,
  CPU_START_MS,
  DEFAULT_MAX_INSTANCES,
  GPU_START_MS,
  IDLE_RETENTION_MS,
  PENDING_LIMIT_MS,
  REGION,
  ROUTING,
  SCALING_WINDOW_MS,
  TARGET_UTILIZATION,
} from './defaults.ts';

export const meta: PlatformMeta = {
  id: 'cloud-run',
  title: 'Google Cloud Run',
  covers:
    'instances with per-instance concurrency, min and max instances, cold starts (container start + model load; GPU instances ~5 s + model load), requests waiting for a starting instance and failing with 429 after the pending limit, the 60 % concurrency target, idle retention, the request timeout, request-based or instance-based billing, GPU instances',
  docs: 'docs/platforms/cloud-run.md',
};

export interface CloudRunOptions {
  /** The service as deployed (`--config-dir`); default: the converter's plan for the workload. */
  config?: CloudRunConfig;
  /** Why the converter's plan is used although --config-dir was given (its file is missing). */
  plannedBecause?: string;
  retries?: number;
  /** `--keep-alive-seconds`, in ms: idle retention. */
  keepAliveMs?: number;
  onUsage?: (usage: CloudRunUsage) => void;
}

class CloudRunModel implements PlatformModel {
  private readonly sim: Simulation;
  private readonly concurrency: number;
  private readonly config: CloudRunConfig;
  private readonly assumptions: Assumption[] = [];
  private readonly notes: string[] = [];
  private readonly pool: InstancePool;
  private readonly init: ColdStart;
  private readonly retrier: Retrier;
  private readonly maxInstances: number;
  private readonly minInstances: number;
  private readonly retentionMs: number;
  private readonly targetPerInstance: number;
  /** Most requests in flight since the last tick, and in each tick of the last minute. */
  private peakDemand = 0;
  private readonly peaks: number[] = [];
  private readonly windowTicks = Math.round(SCALING_WINDOW_MS.value / AUTOSCALER_TICK_MS.value);
  private atMaxRefusals = 0;

  constructor(
    context: PlatformContext,
    private readonly options: CloudRunOptions,
  ) {
    const { workload, settings, sim } = context;
    this.sim = sim;
    const config = options.config ?? planned(plannedCloudRunConfig(workload), options.plannedBecause);
    this.config = config;
    this.concurrency = instanceConcurrency(
      settings.podConcurrency,
      config.concurrency,
      'cloudRun.concurrency',
      this.assumptions,
    );
    const { assumptions } = this;
    assumptions.push({
      name: 'cloudRun.service',
      value: `${config.cpuMillis / 1000} vCPU, ${config.memoryBytes / 2 ** 30} GiB${config.gpu ? `, 1 ${config.gpu}` : ''}, concurrency ${config.concurrency}, min ${config.minScale}, max ${config.maxScale ?? 'default'}, timeout ${config.timeoutSeconds} s, ${config.instanceBilling ? 'instance' : 'request'}-based billing`,
      source: config.source,
    });
    for (const entry of config.defaulted)
      assumptions.push({ name: 'cloudRun.default', value: entry, source: 'not in the service.yaml' });
    this.maxInstances = config.maxScale ?? DEFAULT_MAX_INSTANCES.value;
    if (config.maxScale === null)
      assumptions.push({
        name: 'cloudRun.maxInstances',
        value: `${this.maxInstances}`,
        source: DEFAULT_MAX_INSTANCES.source,
      });
    this.minInstances = Math.min(config.minScale, this.maxInstances);
    this.targetPerInstance = this.concurrency * TARGET_UTILIZATION.value;
    assumptions.push(
      {
        name: 'cloudRun.targetUtilization',
        value: `${TARGET_UTILIZATION.value}`,
        source: TARGET_UTILIZATION.source,
      },
      {
        name: 'cloudRun.autoscalerTickMs',
        value: `${AUTOSCALER_TICK_MS.value}`,
        source: AUTOSCALER_TICK_MS.source,
      },
      { name: 'cloudRun.routing', value: ROUTING.value, source: ROUTING.source },
    );
    this.retentionMs = options.keepAliveMs ?? IDLE_RETENTION_MS.value;
    assumptions.push({
      name: 'cloudRun.idleRetentionSeconds',
      value: `${this.retentionMs / 1000}`,
      source: options.keepAliveMs !== undefined ? '--keep-alive-seconds' : IDLE_RETENTION_MS.source,
    });
    const pendingLimitMs = Math.min(PENDING_LIMIT_MS.value, config.timeoutSeconds * 1000);
    assumptions.push({
      name: 'cloudRun.pendingLimitMs',
      value: `${pendingLimitMs}`,
      source: PENDING_LIMIT_MS.source,
    });
    const gpu = config.gpu !== null;
    this.init = coldStart(
      settings,
      sim.random('cold-start'),
      { name: 'cloudRun.coldStartMs', gpu, platformMs: gpu ? GPU_START_MS : CPU_START_MS },
      assumptions,
    );
    const factor = cpuSlowdown(settings, config.cpuMillis, 'the service.yaml CPU limit', assumptions);
    const policy = retryPolicy(options.retries ?? 0);
    assumptions.push(...retryAssumptions(policy));
    this.retrier = new Retrier(sim, policy, (request) => this.admit(request));
    this.pool = new InstancePool(sim, {
      concurrency: this.concurrency,
      serviceFactor: factor,
      executionLimitMs: config.timeoutSeconds * 1000,
      executionLimitFrom: 'arrival',
      pendingLimitMs,
      clientTimeoutMs: settings.timeoutMs,
      billingGranularityMs: BILLING_GRANULARITY_MS,
      refuse: (request) => {
        if (this.pool.size >= this.maxInstances) this.atMaxRefusals += 1;
        this.retrier.refuse(request);
      },
      onWaiting: () => this.scaleForWaiting(),
    });
    if (config.cpuMillis < 1000 && this.concurrency > 1)
      this.notes.push(
        `the service has ${config.cpuMillis / 1000} vCPU with concurrency ${this.concurrency}: Cloud Run requires concurrency 1 below 1 vCPU (platform-facts.md f); simulated as given`,
      );
    if (workload.resources.gpu.count > 1)
      this.notes.push(
        `${workload.id} asks for ${workload.resources.gpu.count} GPUs; a Cloud Run instance has one (platform-facts.md f)`,
      );
  }

  start(): void {
    for (let i = 0; i < this.minInstances; i++) this.pool.add({ pinned: true, standby: false, startMs: 0 });
    this.sim.schedule(AUTOSCALER_TICK_MS.value, this.onTick);
  }

  arrive(request: SimRequest): void {
    this.retrier.fresh(request);
    this.admit(request);
  }

  private admit(request: SimRequest): void {
    this.pool.arrive(request);
    const demand = this.pool.demand();
    if (demand > this.peakDemand) this.peakDemand = demand;
  }

  /** A request is waiting: bring in instances at once until the waiting requests have slots. */
  private scaleForWaiting(): void {
    const missing = this.pool.demand() - this.pool.slots();
    if (missing > 0) this.routeTo(this.pool.routableCount + Math.ceil(missing / this.concurrency));
  }

  /**
   * Instances taking requests up to `wanted`: warm idle ones first, then new ones while the service is
   * under max instances (idle instances count toward it).
   */
  private routeTo(wanted: number): void {
    const target = Math.min(wanted, this.maxInstances);
    if (target <= this.pool.routableCount) return;
    this.sim.milestone('firstScaleUpMs', this.sim.now());
    for (const instance of this.pool.instances) {
      if (this.pool.routableCount >= target) break;
      if (instance.standby && instance.phase === 'ready') this.pool.promote(instance);
    }
    while (this.pool.routableCount < target && this.pool.size < this.maxInstances)
      this.pool.add({ pinned: false, standby: false, startMs: this.init.sampleMs() });
  }

  /**
   * The autoscaler: enough instances for the most requests in flight over the last minute at the target
   * utilisation. Instances beyond that stop taking requests (least loaded first) and stay idle, warm,
   * until needed again or until the idle retention is over.
   */
  private readonly onTick: EventHandler = (nowMs) => {
    const { pool } = this;
    this.peaks.push(this.peakDemand);
    if (this.peaks.length > this.windowTicks) this.peaks.shift();
    this.peakDemand = pool.demand();
    const peak = Math.max(...this.peaks);
    const desired = Math.min(
      this.maxInstances,
      Math.max(this.minInstances, Math.ceil(peak / this.targetPerInstance - 1e-9)),
    );
    this.routeTo(desired);
    const surplus = pool.routableCount - desired;
    if (surplus > 0) {
      const candidates = pool.instances
        .filter((instance) => !instance.pinned && !instance.standby && instance.phase === 'ready')
        .sort((a, b) => a.inService - b.inService || a.id - b.id);
      for (const instance of candidates.slice(0, surplus)) pool.demote(instance);
    }
    for (let i = pool.instances.length - 1; i >= 0; i--) {
      const instance = pool.instances[i]!;
      if (
        instance.standby &&
        instance.phase === 'ready' &&
        instance.inService === 0 &&
        nowMs - instance.idleSinceMs >= this.retentionMs
      )
        pool.remove(instance, nowMs);
    }
    this.sim.schedule(nowMs + AUTOSCALER_TICK_MS.value, this.onTick);
  };

  sample(gauges: Gauges): void {
    gauges.instances = this.pool.size;
    gauges.ready = this.pool.readyRoutable();
    gauges.nodes = 0;
    gauges.queued = this.pool.pending.length;
  }

  finish(endMs: number): PlatformOutcome {
    const { pool, config } = this;
    pool.finish(endMs);
    const { pinned, onDemand } = pool.time;
    const billedMs = config.instanceBilling
      ? pinned.aliveBilledMs + onDemand.aliveBilledMs
      : pinned.busyBilledMs + onDemand.busyBilledMs;
    const usage: CloudRunUsage = {
      platform: 'cloud-run',
      region: REGION,
      freeTier: false,
      billing: config.instanceBilling ? 'instance' : 'request',
      vcpu: config.cpuMillis / 1000,
      memoryGiB: config.memoryBytes / 2 ** 30,
      requests: pinned.executions + onDemand.executions,
      instanceSeconds: billedMs / 1000,
      ...(config.gpu ? { gpu: { type: config.gpu, count: 1 } } : {}),
    };
    this.options.onUsage?.(usage);
    const priced = priceRun(usage);
    const notes = [...this.notes];
    if (this.atMaxRefusals > 0)
      notes.push(
        `${this.atMaxRefusals} attempt(s) waited the pending limit at max instances (${this.maxInstances}) and got 429`,
      );
    if (pool.cut > 0)
      notes.push(
        `${pool.cut} request(s) reached the request timeout (${config.timeoutSeconds} s) and failed`,
      );
    if (!config.instanceBilling && this.minInstances > 0)
      notes.push(
        'idle min instances under request-based billing are billed at an idle rate that is not in platform-facts.md: not priced',
      );
    notes.push(
      'a replay is a slice of a month: the free tier is not subtracted',
      ...this.retrier.notes(),
      ...priced.notes,
    );
    return {
      gpu: this.gpuTime(priced.cost.totalUsd),
      cost: priced.cost,
      assumptions: this.assumptions,
      notes,
    };
  }

  /** A GPU instance holds its GPU for its whole life: allocated = alive, busy = serving at least one request. */
  private gpuTime(costUsd: number): PlatformOutcome['gpu'] {
    if (!this.config.gpu) return null;
    const { pinned, onDemand } = this.pool.time;
    const allocatedSeconds = (pinned.aliveMs + onDemand.aliveMs) / 1000;
    const busySeconds = (pinned.busyMs + onDemand.busyMs) / 1000;
    const idleFraction = allocatedSeconds > 0 ? Math.max(0, 1 - busySeconds / allocatedSeconds) : 0;
    return {
      allocatedSeconds,
      podSeconds: allocatedSeconds,
      busySeconds,
      idleFraction,
      idleCostUsd: costUsd * idleFraction,
    };
  }
}

export function createCloudRunModule(options: CloudRunOptions = {}): PlatformModule {
  return { meta, create: (context) => new CloudRunModel(context, options) };
}

export const cloudRun: PlatformModule = createCloudRunModule();
