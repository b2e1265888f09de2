/**
 * The aws-lambda target: one request per execution environment. A request takes an idle provisioned
 * environment, else the most recently used idle on-demand one, else a new environment — cold, its Init
 * (the model load) before the request — when the function is under its concurrency limit (reserved
 * concurrency, else the account's) and the per-function scaling rate has a token left; otherwise it
 * is throttled (429), and the client may retry (`--retries`). Idle on-demand environments are
 * reclaimed after the keep-alive. docs/platforms/aws-lambda.md.
 */

import type { LambdaUsage } from '../../../core/pricing/usage.ts';
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
import { priceRun } from './common/price.ts';
import { planned } from './common/report.ts';
import { Retrier, retryAssumptions, retryPolicy } from './common/retry.ts';
import { type ColdStart, coldStart, cpuSlowdown } from './common/start.ts';
import { type LambdaConfig, plannedLambdaConfig } from './config.ts';
import {
  ACCOUNT_CONCURRENCY,
  INIT_LIMIT_MS,
  KEEP_ALIVE_MS,
  lambdaCpuMillis,
  MB_PER_VCPU_VALUE,
  REUSE_ORDER,
  SANDBOX_START_MS,
  SCALING_RATE,
  SCALING_WINDOW_MS,
} from './defaults.ts';
import { ScalingRate } from './scaling.ts';
import { LambdaBilling } from './usage.ts';

export const meta: PlatformMeta = {
  id: 'aws-lambda',
  title: 'AWS Lambda',
  covers:
    'one request per execution environment, Init (model load) on each new environment, the 10-s Init limit, provisioned concurrency spilling over to on-demand, reserved and account concurrency, the per-function scaling rate (1,000 environments per 10 s), throttling with optional client retries, keep-alive of idle environments, CPU by memory size, and the bill (requests, 1-ms duration, provisioned concurrency)',
  docs: 'docs/platforms/aws-lambda.md',
};

export interface LambdaOptions {
  /** The function as deployed (`--config-dir`); default: the converter's plan for the workload. */
  config?: LambdaConfig;
  /** Why the converter's plan is used although --config-dir was given (its file is missing). */
  plannedBecause?: string;
  /** `--retries`: attempts a client makes after a 429. */
  retries?: number;
  /** `--keep-alive-seconds`, in ms. */
  keepAliveMs?: number;
  /** The account's concurrency quota (a raised quota). */
  accountConcurrency?: number;
  /** Receives the run's usage (tests compare the cost with the calculator's). */
  onUsage?: (usage: LambdaUsage) => void;
}

interface Environment {
  provisioned: boolean;
  /** When Init ended (or -1 before): a request that arrived earlier waited for a cold start. */
  readyAtMs: number;
  /** Init run inside the invocation (the 10-s limit was exceeded), ms; billed and timed with it. */
  initInInvokeMs: number;
  /** Init billed with the first invocation, ms. */
  billedInitMs: number;
  lastUsedMs: number;
}

class LambdaModel implements PlatformModel {
  private readonly sim: Simulation;
  private readonly config: LambdaConfig;
  private readonly assumptions: Assumption[] = [];
  private readonly notes: string[] = [];
  private readonly limit: number;
  private readonly keepAliveMs: number;
  private readonly timeoutMs: number;
  private readonly cpuFactor: number;
  private readonly init: ColdStart;
  private readonly rate: ScalingRate;
  private readonly retrier: Retrier;
  private readonly billing = new LambdaBilling();
  /** Idle provisioned environments (a stack). */
  private readonly provisionedIdle: Environment[] = [];
  /** Idle on-demand environments by the time they became idle: reuse from the end, expire from `idleHead`. */
  private idle: Environment[] = [];
  private idleHead = 0;
  private expiryAtMs = Number.POSITIVE_INFINITY;
  private onDemand = 0;
  private busy = 0;
  private initializing = 0;
  private cutByTimeout = 0;
  private throttledByLimit = 0;
  private throttledByRate = 0;
  private readonly firstRefusalMs = { limit: 0, rate: 0 };

  constructor(
    context: PlatformContext,
    private readonly options: LambdaOptions,
  ) {
    const { workload, settings, sim } = context;
    this.sim = sim;
    this.config = options.config ?? planned(plannedLambdaConfig(workload), options.plannedBecause);
    const { config, assumptions } = this;
    assumptions.push({
      name: 'lambda.function',
      value: `${config.memoryMb} MB, timeout ${config.timeoutSeconds} s, reserved ${config.reservedConcurrency ?? 'none'}, provisioned ${config.provisionedConcurrency}, ${config.architecture}`,
      source: config.source,
    });
    for (const entry of config.defaulted)
      assumptions.push({ name: 'lambda.default', value: entry, source: 'not in the template' });
    const account = options.accountConcurrency ?? ACCOUNT_CONCURRENCY.value;
    assumptions.push({
      name: 'lambda.accountConcurrency',
      value: `${account}`,
      source: options.accountConcurrency !== undefined ? 'given' : ACCOUNT_CONCURRENCY.source,
    });
    this.limit = Math.min(account, config.reservedConcurrency ?? account);
    if (config.provisionedConcurrency > this.limit)
      this.notes.push(
        `provisioned concurrency ${config.provisionedConcurrency} is above the concurrency limit ${this.limit}: Lambda would refuse the configuration; simulated as given`,
      );
    this.rate = new ScalingRate(SCALING_RATE.value, SCALING_WINDOW_MS);
    assumptions.push({
      name: 'lambda.scalingRate',
      value: `${SCALING_RATE.value} new environments per ${SCALING_WINDOW_MS / 1000} s, each token back ${SCALING_WINDOW_MS / 1000} s after it was spent`,
      source: SCALING_RATE.source,
    });
    this.keepAliveMs = options.keepAliveMs ?? KEEP_ALIVE_MS.value;
    assumptions.push({
      name: 'lambda.keepAliveSeconds',
      value: `${this.keepAliveMs / 1000}`,
      source: options.keepAliveMs !== undefined ? '--keep-alive-seconds' : KEEP_ALIVE_MS.source,
    });
    assumptions.push({ name: 'lambda.reuse', value: REUSE_ORDER.value, source: REUSE_ORDER.source });
    this.init = coldStart(
      settings,
      sim.random('init'),
      { name: 'lambda.initMs', gpu: false, platformMs: SANDBOX_START_MS },
      assumptions,
    );
    this.timeoutMs = config.timeoutSeconds * 1000;
    const cpuMillis = lambdaCpuMillis(config.memoryMb);
    this.cpuFactor = cpuSlowdown(
      settings,
      cpuMillis,
      `${config.memoryMb} MB ÷ ${MB_PER_VCPU_VALUE.value} MB per vCPU (${MB_PER_VCPU_VALUE.source})`,
      assumptions,
    );
    const policy = retryPolicy(options.retries ?? 0);
    assumptions.push(...retryAssumptions(policy));
    this.retrier = new Retrier(sim, policy, (request) => this.admit(request));
    if (workload.resources.gpu.count > 0)
      this.notes.push(
        `${workload.id} requests ${workload.resources.gpu.count} GPU(s); Lambda has none (platform-facts.md e.1): simulated on CPU, which the analysis would block`,
      );
  }

  start(): void {
    // Provisioned concurrency is allocated before the replay starts: warm, never a cold start.
    for (let i = 0; i < this.config.provisionedConcurrency; i++)
      this.provisionedIdle.push({
        provisioned: true,
        readyAtMs: 0,
        initInInvokeMs: 0,
        billedInitMs: 0,
        lastUsedMs: 0,
      });
  }

  arrive(request: SimRequest): void {
    this.retrier.fresh(request);
    this.admit(request);
  }

  /** A first attempt or a client's retry. */
  private admit(request: SimRequest): void {
    const nowMs = this.sim.now();
    const warm = this.provisionedIdle.pop() ?? this.popIdle();
    if (warm) {
      this.busy += 1;
      request.holder = warm;
      this.begin(request, nowMs);
      return;
    }
    if (this.busy >= this.limit) {
      if (this.throttledByLimit === 0) this.firstRefusalMs.limit = nowMs;
      this.throttledByLimit += 1;
      this.retrier.refuse(request);
      return;
    }
    if (!this.rate.take(nowMs)) {
      if (this.throttledByRate === 0) this.firstRefusalMs.rate = nowMs;
      this.throttledByRate += 1;
      this.retrier.refuse(request);
      return;
    }
    this.createFor(request, nowMs);
  }

  /** A new on-demand environment, created for this request: it runs Init, then the request. */
  private createFor(request: SimRequest, nowMs: number): void {
    const initMs = this.init.sampleMs();
    const limitMs = INIT_LIMIT_MS.value;
    // Init beyond its limit is abandoned at the limit and run again inside the invocation.
    const over = initMs > limitMs;
    const env: Environment = {
      provisioned: false,
      readyAtMs: -1,
      initInInvokeMs: over ? initMs : 0,
      billedInitMs: over ? limitMs + initMs : initMs,
      lastUsedMs: nowMs,
    };
    this.onDemand += 1;
    this.busy += 1;
    this.initializing += 1;
    this.sim.coldStart();
    this.sim.milestone('firstScaleUpMs', nowMs);
    request.holder = env;
    this.sim.schedule(nowMs + (over ? limitMs : initMs), this.onInitDone, request);
  }

  private readonly onInitDone: EventHandler = (nowMs, data) => {
    this.initializing -= 1;
    this.begin(data as SimRequest, nowMs);
  };

  /** The invocation starts now on the request's environment; the handler starts after any Init in it. */
  private begin(request: SimRequest, nowMs: number): void {
    const env = request.holder as Environment;
    const handlerAtMs = nowMs + env.initInInvokeMs;
    if (env.readyAtMs < 0) env.readyAtMs = handlerAtMs;
    const serviceMs = request.serviceMs * this.cpuFactor;
    const invocationMs = env.initInInvokeMs + serviceMs;
    const cut = invocationMs > this.timeoutMs;
    if (cut) this.cutByTimeout += 1;
    this.billing.invocation(
      env.provisioned,
      env.billedInitMs - env.initInInvokeMs + Math.min(invocationMs, this.timeoutMs),
    );
    env.billedInitMs = 0;
    env.initInInvokeMs = 0;
    if (cut) {
      // Killed at the function Timeout: the handler may never have started.
      this.sim.schedule(nowMs + this.timeoutMs, this.onTimeout, request);
      return;
    }
    if (handlerAtMs === nowMs) this.handle(request, nowMs);
    else this.sim.schedule(handlerAtMs, this.onHandler, request);
  }

  private readonly onHandler: EventHandler = (nowMs, data) => this.handle(data as SimRequest, nowMs);

  private handle(request: SimRequest, nowMs: number): void {
    this.sim.startService(request, (request.holder as Environment).readyAtMs);
    this.sim.schedule(nowMs + request.serviceMs * this.cpuFactor, this.onDone, request);
  }

  private readonly onDone: EventHandler = (_nowMs, data) => {
    const request = data as SimRequest;
    const env = this.release(request);
    this.sim.complete(request);
    this.idleAgain(env);
  };

  private readonly onTimeout: EventHandler = (nowMs, data) => {
    const request = data as SimRequest;
    const env = this.release(request);
    // A client that already gave up counts it as timed out; otherwise the function failed it.
    if (nowMs > request.deadlineMs) this.sim.complete(request);
    else this.sim.drop(request);
    this.idleAgain(env);
  };

  private release(request: SimRequest): Environment {
    const env = request.holder as Environment;
    request.holder = null;
    this.busy -= 1;
    return env;
  }

  private idleAgain(env: Environment): void {
    const nowMs = this.sim.now();
    env.lastUsedMs = nowMs;
    if (env.provisioned) {
      this.provisionedIdle.push(env);
      return;
    }
    this.idle.push(env);
    if (this.expiryAtMs === Number.POSITIVE_INFINITY) this.scheduleExpiry();
  }

  private popIdle(): Environment | undefined {
    if (this.idle.length === this.idleHead) return undefined;
    const env = this.idle.pop()!;
    if (this.idle.length === this.idleHead) this.compact();
    return env;
  }

  private compact(): void {
    if (this.idleHead === 0) return;
    this.idle = this.idle.slice(this.idleHead);
    this.idleHead = 0;
  }

  private scheduleExpiry(): void {
    const oldest = this.idle[this.idleHead];
    this.expiryAtMs = oldest ? oldest.lastUsedMs + this.keepAliveMs : Number.POSITIVE_INFINITY;
    if (oldest) this.sim.schedule(this.expiryAtMs, this.onExpiry);
  }

  /** Idle environments past the keep-alive are reclaimed, oldest first. */
  private readonly onExpiry: EventHandler = (nowMs) => {
    while (
      this.idleHead < this.idle.length &&
      this.idle[this.idleHead]!.lastUsedMs + this.keepAliveMs <= nowMs
    ) {
      this.idleHead += 1;
      this.onDemand -= 1;
    }
    if (this.idleHead === this.idle.length || this.idleHead > 1024) this.compact();
    this.scheduleExpiry();
  };

  sample(gauges: Gauges): void {
    gauges.instances = this.onDemand + this.config.provisionedConcurrency;
    gauges.ready = gauges.instances - this.initializing;
    gauges.nodes = 0;
    gauges.queued = 0;
  }

  finish(endMs: number): PlatformOutcome {
    const usage = this.billing.usage(this.config, endMs);
    this.options.onUsage?.(usage);
    const priced = priceRun(usage);
    const notes = [
      ...this.notes,
      `scaling: ${this.rate.created} environment(s) created, at most ${this.rate.peakInWindow} in any ${SCALING_WINDOW_MS / 1000}-s window (limit ${SCALING_RATE.value})`,
      ...(this.throttledByLimit + this.throttledByRate > 0
        ? [
            `refused attempts: ${this.throttledByLimit} at the concurrency limit (${this.limit})${this.throttledByLimit > 0 ? `, the first at ${seconds(this.firstRefusalMs.limit)} s` : ''}; ${this.throttledByRate} by the scaling rate${this.throttledByRate > 0 ? `, the first at ${seconds(this.firstRefusalMs.rate)} s` : ''}`,
          ]
        : []),
      ...(this.cutByTimeout > 0
        ? [
            `${this.cutByTimeout} invocation(s) ran past the function Timeout (${this.config.timeoutSeconds} s) and failed`,
          ]
        : []),
      ...this.retrier.notes(),
      ...priced.notes,
    ];
    return { gpu: null, cost: priced.cost, assumptions: this.assumptions, notes };
  }
}

const seconds = (ms: number) => Math.round(ms) / 1000;

export function createLambdaModule(options: LambdaOptions = {}): PlatformModule {
  return { meta, create: (context) => new LambdaModel(context, options) };
}

export const awsLambda: PlatformModule = createLambdaModule();
