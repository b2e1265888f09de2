/**
 * The Knative Pod Autoscaler of a revision in the simulation: the decider spec from the workload's
 * annotations (or the config-autoscaler defaults), a metric sample every second — requests in flight
 * (in service and waiting, at the pods or in the activator) or requests per second — and a decision
 * every tick (2 s) applied to the ReplicaSet. The decider itself, with its windows, min/max-scale and
 * scale-to-zero grace period, is ./kpa/decider.ts (upstream's algorithm).
 */

import type { Workload } from '../../../core/model/index.ts';
import type { WindowedMetrics } from '../kubernetes/metrics.ts';
import type { PodSet } from '../kubernetes/pods.ts';
import type { Simulation } from '../types.ts';
import { DEFAULT_KNATIVE_AUTOSCALER_CONFIG, kpaSpecFromConfig } from './kpa/config.ts';
import { createKpaDecider } from './kpa/decider.ts';
import type { KpaDecider, KpaSpec } from './kpa/decider-types.ts';

/** The collector scrapes every pod's queue-proxy once a second (BUCKET_SIZE 1 s, pkg/autoscaler/metrics). */
const SCRAPE_MS = 1000;

/**
 * The revision's decider spec. A Knative or KServe-serverless workload brings its own annotations
 * (the analyzer filled upstream defaults where none were set); any other workload runs as KServe would
 * run it in serverless mode: concurrency metric, its min and max replicas, the ConfigMap defaults.
 */
export function knativeSpec(workload: Workload, concurrency: number): { spec: KpaSpec; notes: string[] } {
  const scaling = workload.autoscaling;
  const settings = scaling.settings;
  const own = scaling.kind === 'knative';
  const number = (key: string) => (typeof settings[key] === 'number' ? (settings[key] as number) : undefined);
  const metric = own && scaling.metrics[0]?.type === 'rps' ? 'rps' : 'concurrency';
  const config = { ...DEFAULT_KNATIVE_AUTOSCALER_CONFIG };
  const notes: string[] = [];
  if (own) {
    config.stableWindowSeconds = number('stableWindowSeconds') ?? config.stableWindowSeconds;
    config.panicWindowPercentage = number('panicWindowPercentage') ?? config.panicWindowPercentage;
    config.panicThresholdPercentage = number('panicThresholdPercentage') ?? config.panicThresholdPercentage;
    config.targetBurstCapacity = number('targetBurstCapacity') ?? config.targetBurstCapacity;
    config.scaleDownDelaySeconds = number('scaleDownDelaySeconds') ?? config.scaleDownDelaySeconds;
    config.initialScale = number('initialScale') ?? config.initialScale;
  } else {
    notes.push(
      `${workload.id} is not a Knative revision: it is replayed as KServe serverless mode would run it (concurrency metric, config-autoscaler defaults, min ${scaling.minReplicas ?? 1} and max ${scaling.maxReplicas ?? 'unbounded'} replicas)`,
    );
  }
  config.minScale = scaling.minReplicas ?? (own ? 0 : 1);
  config.maxScale = scaling.maxReplicas ?? 0;
  const target = own ? scaling.metrics[0]?.target?.value : undefined;
  const spec = kpaSpecFromConfig(config, {
    metric,
    containerConcurrency: Number.isFinite(concurrency) ? concurrency : 0,
    ...(target !== undefined ? { targetAnnotation: target } : {}),
    ...(own && number('targetUtilizationPercentage') !== undefined
      ? { targetUtilizationPercentageAnnotation: number('targetUtilizationPercentage')! }
      : {}),
  });
  spec.activationScale = number('activationScale') ?? spec.activationScale;
  // A revision at zero when the replay starts scaled there long ago; its initial scale is history.
  if (spec.minScale === 0) spec.initialScale = 0;
  return { spec, notes };
}

export class KpaDriver {
  private readonly decider: KpaDecider;
  private readonly tickMs: number;
  private poked = false;

  constructor(
    private readonly sim: Simulation,
    private readonly spec: KpaSpec,
    private readonly pods: PodSet,
    private readonly metrics: WindowedMetrics,
    initialReadyPods: number,
    /** Requests in flight right now (held by the activator or in service): what the poke reports. */
    private readonly inFlight: () => number,
  ) {
    // The autoscaler has been running with these pods: created with more than one ready pod it would
    // start in panic mode, as a restarted autoscaler does upstream.
    this.decider = createKpaDecider(spec, { readyPods: Math.min(1, initialReadyPods), nowSeconds: 0 });
    this.tickMs = spec.tickSeconds * 1000;
  }

  start(): void {
    this.sim.schedule(SCRAPE_MS, this.onScrape);
    this.sim.schedule(this.tickMs, this.onTick);
  }

  /**
   * A request reached a revision with no pods: the activator reports it to the autoscaler at once
   * (a "poke"), which decides without waiting for the next tick.
   */
  coldRequest(): void {
    if (this.poked || this.pods.desired > 0) return;
    this.poked = true;
    this.sim.schedule(this.sim.now(), this.onPoke);
  }

  private readonly onPoke = (nowMs: number) => {
    this.decider.record(nowMs / 1000, this.spec.scalingMetric === 'rps' ? 1 : this.inFlight());
    this.tick(nowMs);
  };

  private readonly onScrape = (nowMs: number) => {
    this.scrape(nowMs);
    this.sim.schedule(nowMs + SCRAPE_MS, this.onScrape);
  };

  private readonly onTick = (nowMs: number) => {
    this.tick(nowMs);
    this.sim.schedule(nowMs + this.tickMs, this.onTick);
  };

  private scrape(nowMs: number): void {
    const { workload } = this.metrics.take(nowMs);
    const value = this.spec.scalingMetric === 'rps' ? workload.rps : workload.concurrency;
    this.decider.record(nowMs / 1000, value);
  }

  private tick(nowMs: number): void {
    const decision = this.decider.scale(nowMs / 1000, this.pods.readyCount);
    if (!decision.scaleValid || decision.desiredPodCount === this.pods.desired) return;
    if (decision.desiredPodCount > this.pods.desired) this.sim.milestone('firstScaleUpMs', nowMs);
    this.pods.scaleTo(decision.desiredPodCount);
    this.poked = this.pods.desired === 0 ? false : this.poked;
  }
}
