/**
 * The knative target (KServe serverless mode): the same pods, nodes and cluster autoscaler as the
 * kubernetes target, scaled by the Knative Pod Autoscaler, with the activator buffering requests
 * while no pod is ready (and throttling beyond its queue depth). docs/platforms/knative.md.
 */

import { type Assembly, assemble, assemblyOutcome, fillGauges } from '../kubernetes/assemble.ts';
import type {
  Gauges,
  PlatformContext,
  PlatformMeta,
  PlatformModel,
  PlatformModule,
  SimRequest,
} from '../types.ts';
import { KpaDriver, knativeSpec } from './kpa-driver.ts';

export const meta: PlatformMeta = {
  id: 'knative',
  title: 'Knative / KServe serverless (KPA)',
  covers:
    'the Knative Pod Autoscaler (stable and panic windows, target utilisation, scale rates, scale to zero after the grace period), the activator buffering requests while no pod is ready, on the kubernetes node model',
  docs: 'docs/platforms/knative.md',
};

/** The activator's revision breaker queues this many requests before answering 503. */
export const ACTIVATOR_QUEUE_DEPTH = {
  value: 10_000,
  source:
    'breakerQueueDepth = 10000 in knative/serving pkg/activator/net/throttler.go [not in platform-facts.md]',
};

/** Knative's default container-concurrency "0": unlimited. */
const UNLIMITED = {
  value: Number.POSITIVE_INFINITY,
  source: 'Knative config-defaults container-concurrency "0" = unlimited (platform-facts.md d)',
};

class KnativeModel implements PlatformModel {
  private readonly assembly: Assembly;
  private readonly kpa: KpaDriver;
  private readonly initialPods: number;

  constructor(context: PlatformContext) {
    this.assembly = assemble(context, {
      probes: false,
      whenNoEndpoint: 'buffer',
      queueLimit: ACTIVATOR_QUEUE_DEPTH.value,
      lb: 'least-outstanding',
      defaultConcurrency: UNLIMITED,
    });
    const { spec, notes } = knativeSpec(context.workload, this.assembly.concurrency);
    this.assembly.notes.push(...notes);
    this.assembly.assumptions.push(
      {
        name: 'activator.queueDepth',
        value: `${ACTIVATOR_QUEUE_DEPTH.value}`,
        source: ACTIVATOR_QUEUE_DEPTH.source,
      },
      {
        name: 'kpa.target',
        value: `${spec.scalingMetric} ${round(spec.targetValue)} per pod (total ${spec.totalValue})`,
        source:
          'ResolveMetricTarget with the workload annotations and config-autoscaler defaults (platform-facts.md d)',
      },
    );
    this.initialPods = spec.minScale;
    const { pods, router } = this.assembly;
    const inFlight = () => router.queued() + pods.pods.reduce((sum, pod) => sum + pod.inService, 0);
    this.kpa = new KpaDriver(
      context.sim,
      spec,
      pods,
      this.assembly.metricsReader(),
      this.initialPods,
      inFlight,
    );
  }

  start(): void {
    this.assembly.pods.bootstrap(this.initialPods);
    this.kpa.start();
  }

  arrive(request: SimRequest): void {
    if (this.assembly.pods.desired === 0) this.kpa.coldRequest();
    this.assembly.router.arrive(request);
  }

  sample(gauges: Gauges): void {
    fillGauges(this.assembly, gauges);
  }

  finish(endMs: number) {
    return assemblyOutcome(this.assembly, endMs);
  }
}

const round = (value: number) => Math.round(value * 100) / 100;

export const knative: PlatformModule = {
  meta,
  create: (context) => new KnativeModel(context),
};
