/**
 * The azure-functions target: a function app on Flex Consumption or Elastic Premium. Instances serve
 * up to the per-instance HTTP concurrency; the always-ready (Flex) or minimum (Premium) instances are
 * warm from the start and kept. A request that finds no free slot waits, and the scale controller
 * adds an instance — at most one per second — while the app is short of slots and under its maximum;
 * on Premium a prewarmed instance takes the first of those without a cold start and is replaced in the
 * background. Idle instances above the warm ones are reclaimed after the idle retention.
 * docs/platforms/azure-functions.md.
 */

import type { AzureFunctionsUsage } from '../../../core/pricing/usage.ts';
import { instanceConcurrency } from '../aws-lambda/common/concurrency.ts';
import { InstancePool, type PoolInstance } from '../aws-lambda/common/pool.ts';
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
import { type AzureConfig, plannedAzureConfig } from './config.ts';
import {
  FLEX_GRANULARITY_MS,
  FLEX_INIT_LIMIT_MS,
  HOST_START_MS,
  IDLE_RETENTION_MS,
  PREMIUM_GRANULARITY_MS,
  PREMIUM_PREWARMED,
  PREMIUM_SCALE_NOTE,
  REGION,
  ROUTING,
  SCALE_INTERVAL_MS,
} from './defaults.ts';
import { ScaleController } from './scale-controller.ts';

export const meta: PlatformMeta = {
  id: 'azure-functions',
  title: 'Azure Functions',
  covers:
    'Flex Consumption (instance size, per-instance concurrency, always-ready instances, maximum instances) and Elastic Premium (minimum and prewarmed instances, maximum burst), the scale controller adding at most one instance per second for HTTP, cold starts, idle retention, functionTimeout, and the bill (Flex on-demand and always-ready, Premium instance-hours)',
  docs: 'docs/platforms/azure-functions.md',
};

export interface AzureOptions {
  /** The app as deployed (`--config-dir`); default: the converter's plan for the workload. */
  config?: AzureConfig;
  /** Why the converter's plan is used although --config-dir was given (its file is missing). */
  plannedBecause?: string;
  retries?: number;
  /** `--keep-alive-seconds`, in ms: idle retention. */
  keepAliveMs?: number;
  onUsage?: (usage: AzureFunctionsUsage) => void;
}

/** Idle instances are looked at once a second. */
const SWEEP_MS = 1000;

class AzureModel implements PlatformModel {
  private readonly sim: Simulation;
  private readonly concurrency: number;
  private readonly config: AzureConfig;
  private readonly assumptions: Assumption[] = [];
  private readonly notes: string[] = [];
  private readonly pool: InstancePool;
  private readonly init: ColdStart;
  private readonly retrier: Retrier;
  readonly controller: ScaleController;
  private readonly retentionMs: number;
  private readonly prewarmed: number;
  /** Premium prewarmed instances not yet taking traffic. */
  private readonly standby: PoolInstance[] = [];

  constructor(
    context: PlatformContext,
    private readonly options: AzureOptions,
  ) {
    const { workload, settings, sim } = context;
    this.sim = sim;
    const config = options.config ?? planned(plannedAzureConfig(workload), options.plannedBecause);
    this.config = config;
    this.concurrency = instanceConcurrency(
      settings.podConcurrency,
      config.concurrency,
      'azure.concurrency',
      this.assumptions,
    );
    const { assumptions } = this;
    const premium = config.plan === 'premium';
    assumptions.push({
      name: 'azure.app',
      value: `${premium ? `Premium ${config.sku}` : 'Flex Consumption'}, ${config.instanceMemoryMb} MB / ${config.cpuMillis / 1000} core(s), concurrency ${config.concurrency}, ${premium ? 'minimum' : 'always-ready'} ${config.alwaysReady}, max ${config.maxInstances}, functionTimeout ${config.timeoutSeconds} s`,
      source: config.source,
    });
    for (const entry of config.defaulted)
      assumptions.push({ name: 'azure.default', value: entry, source: 'not in the template' });
    assumptions.push(
      {
        name: 'azure.scaleIntervalMs',
        value: `${SCALE_INTERVAL_MS.value}`,
        source: SCALE_INTERVAL_MS.source,
      },
      { name: 'azure.routing', value: ROUTING.value, source: ROUTING.source },
    );
    if (premium) this.notes.push(PREMIUM_SCALE_NOTE);
    this.prewarmed = premium ? (config.prewarmed ?? PREMIUM_PREWARMED.value) : 0;
    if (premium)
      assumptions.push({
        name: 'azure.prewarmed',
        value: `${this.prewarmed}`,
        source:
          config.prewarmed !== null ? 'preWarmedInstanceCount in the template' : PREMIUM_PREWARMED.source,
      });
    this.retentionMs = options.keepAliveMs ?? IDLE_RETENTION_MS.value;
    assumptions.push({
      name: 'azure.idleRetentionSeconds',
      value: `${this.retentionMs / 1000}`,
      source: options.keepAliveMs !== undefined ? '--keep-alive-seconds' : IDLE_RETENTION_MS.source,
    });
    this.init = coldStart(
      settings,
      sim.random('cold-start'),
      { name: 'azure.coldStartMs', gpu: false, platformMs: HOST_START_MS },
      assumptions,
    );
    if (!premium && this.init.medianMs > FLEX_INIT_LIMIT_MS.value)
      this.notes.push(
        `the cold start (${this.init.medianMs} ms) is longer than Flex Consumption's app init time-out (${FLEX_INIT_LIMIT_MS.source}): the app may not start at all; simulated as if it did`,
      );
    const factor = cpuSlowdown(
      settings,
      config.cpuMillis,
      `the ${config.instanceMemoryMb}-MB instance's cores`,
      assumptions,
    );
    const policy = retryPolicy(options.retries ?? 0);
    assumptions.push(...retryAssumptions(policy));
    this.retrier = new Retrier(sim, policy, (request) => this.admit(request));
    this.pool = new InstancePool(sim, {
      concurrency: this.concurrency,
      serviceFactor: factor,
      executionLimitMs: config.timeoutSeconds * 1000,
      executionLimitFrom: 'start',
      pendingLimitMs: null,
      clientTimeoutMs: settings.timeoutMs,
      billingGranularityMs: premium ? PREMIUM_GRANULARITY_MS : FLEX_GRANULARITY_MS,
      refuse: (request) => this.retrier.refuse(request),
      onWaiting: () => this.controller.check(),
    });
    this.controller = new ScaleController(
      sim,
      SCALE_INTERVAL_MS.value,
      () => this.addOne(),
      () => this.pool.demand() > this.pool.slots(),
    );
    if (workload.resources.gpu.count > 0)
      this.notes.push(
        `${workload.id} requests GPUs; Azure Functions has none (platform-facts.md g): simulated on CPU, which the analysis would block`,
      );
  }

  start(): void {
    const warm = Math.min(this.config.alwaysReady, this.config.maxInstances);
    for (let i = 0; i < warm; i++) this.pool.add({ pinned: true, standby: false, startMs: 0 });
    // Prewarmed instances beyond the minimum exist from the start, within the maximum burst.
    for (let i = 0; i < this.prewarmed && this.pool.size < this.config.maxInstances; i++)
      this.standby.push(this.pool.add({ pinned: false, standby: true, startMs: 0 }));
    this.sim.schedule(SWEEP_MS, this.onSweep);
  }

  arrive(request: SimRequest): void {
    this.retrier.fresh(request);
    this.admit(request);
  }

  private admit(request: SimRequest): void {
    this.pool.arrive(request);
  }

  /** The controller's one instance: a prewarmed one if there is one (replaced in the background), else a cold one. */
  private addOne(): boolean {
    const routable = this.pool.size - this.standby.length;
    if (routable >= this.config.maxInstances) return false;
    const nowMs = this.sim.now();
    this.sim.milestone('firstScaleUpMs', nowMs);
    const prewarmed = this.standby.shift();
    if (prewarmed) {
      this.pool.promote(prewarmed);
      if (this.pool.size < this.config.maxInstances)
        this.standby.push(this.pool.add({ pinned: false, standby: true, startMs: this.init.sampleMs() }));
      return true;
    }
    if (this.pool.size >= this.config.maxInstances) return false;
    this.pool.add({ pinned: false, standby: false, startMs: this.init.sampleMs() });
    return true;
  }

  /** Idle instances above the warm ones go after the retention; the controller looks again. */
  private readonly onSweep: EventHandler = (nowMs) => {
    const instances = this.pool.instances;
    for (let i = instances.length - 1; i >= 0; i--) {
      const instance = instances[i]!;
      if (
        !instance.pinned &&
        !instance.standby &&
        instance.phase === 'ready' &&
        instance.inService === 0 &&
        nowMs - instance.idleSinceMs >= this.retentionMs
      )
        this.pool.remove(instance, nowMs);
    }
    this.controller.check();
    this.sim.schedule(nowMs + SWEEP_MS, this.onSweep);
  };

  sample(gauges: Gauges): void {
    gauges.instances = this.pool.size;
    gauges.ready = this.pool.size - this.pool.starting;
    gauges.nodes = 0;
    gauges.queued = this.pool.pending.length;
  }

  finish(endMs: number): PlatformOutcome {
    const { pool, config } = this;
    pool.finish(endMs);
    const usage = this.usage(endMs);
    this.options.onUsage?.(usage);
    const priced = priceRun(usage);
    const notes = [
      ...this.notes,
      `scale controller: ${this.controller.added} instance(s) added${this.controller.added > 1 ? `, never less than ${this.controller.smallestGapMs} ms apart` : ''}`,
    ];
    if (pool.cut > 0)
      notes.push(`${pool.cut} execution(s) reached functionTimeout (${config.timeoutSeconds} s) and failed`);
    notes.push(
      'a replay is a slice of a month: the free grant is not subtracted',
      ...this.retrier.notes(),
      ...priced.notes,
    );
    return { gpu: null, cost: priced.cost, assumptions: this.assumptions, notes };
  }

  private usage(endMs: number): AzureFunctionsUsage {
    const { config } = this;
    const { pinned, onDemand } = this.pool.time;
    const executions = pinned.executions + onDemand.executions;
    const base = {
      platform: 'azure-functions' as const,
      region: REGION,
      freeTier: false,
      instanceMemoryMb: config.instanceMemoryMb,
      executions,
    };
    if (config.plan === 'premium') {
      const instanceSeconds = (pinned.aliveBilledMs + onDemand.aliveBilledMs) / 1000;
      return {
        ...base,
        plan: 'premium',
        instanceSeconds,
        premium: { sku: config.sku!, instanceHours: instanceSeconds / 3600 },
      };
    }
    const warm = Math.min(config.alwaysReady, config.maxInstances);
    return {
      ...base,
      plan: 'flex-consumption',
      // On-demand instances bill their active time (overlapping executions once), per activity period.
      executionSeconds: onDemand.busyMs / 1000,
      activityPeriods: onDemand.busyPeriods,
      instanceSeconds: pinned.busyMs / 1000,
      ...(warm > 0
        ? {
            alwaysReady: {
              instances: warm,
              hours: endMs / 3_600_000,
              executions: pinned.executions,
              activityPeriods: pinned.busyPeriods,
            },
          }
        : {}),
    };
  }
}

export function createAzureModule(options: AzureOptions = {}): PlatformModule {
  return { meta, create: (context) => new AzureModel(context, options) };
}

export const azureFunctions: PlatformModule = createAzureModule();
