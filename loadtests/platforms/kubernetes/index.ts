/**
 * The kubernetes target: the workload as its manifests run it on a cluster — pods with per-pod
 * concurrency behind a load balancer, started from scheduling to readiness, scaled by its HPA (or
 * KEDA, or not at all), on nodes the cluster autoscaler adds and removes. docs/platforms/kubernetes.md.
 */

import type {
  Gauges,
  PlatformContext,
  PlatformMeta,
  PlatformModel,
  PlatformModule,
  SimRequest,
} from '../types.ts';
import { type Assembly, assemble, assemblyOutcome, fillGauges } from './assemble.ts';
import { DEFAULT_POD_CONCURRENCY } from './defaults.ts';
import { HpaDriver, simulatedHpa } from './hpa-driver.ts';
import { KedaOperator } from './keda.ts';

export const meta: PlatformMeta = {
  id: 'kubernetes',
  title: 'Kubernetes (HPA / KEDA, cluster autoscaler)',
  covers:
    'pods with per-pod concurrency, least-outstanding or random load balancing, pod start-up from scheduling to readiness, the HPA every 15 s, KEDA activation and cooldown, the cluster autoscaler with node provisioning and scale-down, node cost and GPU time',
  docs: 'docs/platforms/kubernetes.md',
};

const FIXED_KINDS = new Set(['none', 'ray-serve', 'ray-cluster', 'operator']);

class KubernetesModel implements PlatformModel {
  private readonly assembly: Assembly;
  private readonly initialReplicas: number;
  private readonly drivers: { start(): void }[] = [];

  constructor(context: PlatformContext) {
    const { workload, settings, sim } = context;
    const kind = workload.autoscaling.kind;
    const keda = kind === 'keda' || kind === 'keda-http';
    this.assembly = assemble(context, {
      probes: true,
      whenNoEndpoint: keda ? 'buffer' : 'drop',
      queueLimit: Number.POSITIVE_INFINITY,
      lb: settings.lb,
      defaultConcurrency: DEFAULT_POD_CONCURRENCY,
    });
    const { pods, notes } = this.assembly;
    if (FIXED_KINDS.has(kind)) {
      this.initialReplicas = workload.replicas ?? 1;
      if (kind !== 'none')
        notes.push(`the ${kind} autoscaler is not simulated: replicas stay at ${this.initialReplicas}`);
      return;
    }
    const hpa = simulatedHpa(workload);
    notes.push(...hpa.notes);
    const min = keda ? (workload.autoscaling.minReplicas ?? 0) : hpa.spec.minReplicas;
    const declared = workload.replicas ?? min;
    this.initialReplicas = Math.min(hpa.spec.maxReplicas, Math.max(min, declared));
    const requests = { cpu: this.assembly.shape.cpuMillis, memory: this.assembly.shape.memoryBytes };
    this.drivers.push(new HpaDriver(sim, hpa, pods, this.assembly.metricsReader(), requests));
    if (keda)
      this.drivers.push(new KedaOperator(sim, workload, pods, this.assembly.metricsReader(), hpa.measured));
  }

  start(): void {
    this.assembly.pods.bootstrap(this.initialReplicas);
    for (const driver of this.drivers) driver.start();
  }

  arrive(request: SimRequest): void {
    this.assembly.router.arrive(request);
  }

  sample(gauges: Gauges): void {
    fillGauges(this.assembly, gauges);
  }

  finish(endMs: number) {
    return assemblyOutcome(this.assembly, endMs);
  }
}

export const kubernetes: PlatformModule = {
  meta,
  create: (context) => new KubernetesModel(context),
};
