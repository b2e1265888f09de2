/**
 * The HPA of a workload in the simulation: its spec from the manifests (an HPA, the one KEDA creates,
 * or KServe raw mode's CPU default), and a loop that every sync period hands the controller
 * (./hpa/controller.ts, the upstream algorithm) what the metrics pipeline would report and applies
 * its decision to the ReplicaSet.
 */

import type { ScalingMetric, Workload } from '../../../core/model/index.ts';
import type { Simulation } from '../types.ts';
import { DEFAULT_CPU_UTILIZATION, HPA_SYNC_PERIOD_SECONDS } from './defaults.ts';
import { createHpaController } from './hpa/controller.ts';
import type { HpaController, HpaMetricSpec, HpaPodSample, HpaSpec } from './hpa/controller-types.ts';
import { type Signal, type SignalValues, signalForName, type WindowedMetrics } from './metrics.ts';
import type { PodSet } from './pods.ts';

export interface MeasuredMetric {
  /** The name the controller sees (`cpu` for CPU). */
  name: string;
  signal: Signal;
  /** Per pod (Resource, Pods) or one value for the workload (Object, External). */
  scope: 'pod' | 'workload';
}

export interface SimulatedHpa {
  spec: HpaSpec;
  measured: MeasuredMetric[];
  notes: string[];
}

/** KEDA scalers whose metric is a backlog of messages: the simulation counts requests not yet finished. */
const QUEUE_SCALERS =
  /rabbitmq|kafka|sqs|queue|servicebus|pubsub|redis|nats|stan|activemq|artemis|rocketmq|pulsar|kinesis|eventhub/;

const cpuUtilization = (value: number): { spec: HpaMetricSpec; measured: MeasuredMetric } => ({
  spec: { type: 'Resource', name: 'cpu', target: { type: 'Utilization', averageUtilization: value } },
  measured: { name: 'cpu', signal: 'cpu', scope: 'pod' },
});

/** One manifest metric as an HPA metric the simulation can measure, or why it cannot. */
function toHpaMetric(
  metric: ScalingMetric,
  keda: boolean,
): { spec: HpaMetricSpec; measured: MeasuredMetric } | string {
  const type = metric.type.toLowerCase();
  const label = `${metric.type} metric ${JSON.stringify(metric.name)}`;
  if (!metric.target) return `${label} has no target`;
  const { value } = metric.target;
  const targetType = metric.target.type;
  const resource =
    type === 'resource' || type === 'containerresource' || (keda && (type === 'cpu' || type === 'memory'));
  if (resource) {
    const name = keda ? type : metric.name.toLowerCase();
    if (name !== 'cpu')
      return `${label}: memory use does not depend on load in the simulation; not simulated`;
    if (targetType === 'Utilization') return cpuUtilization(value);
    return {
      spec: { type: 'Resource', name: 'cpu', target: { type: 'AverageValue', averageValue: value * 1000 } },
      measured: { name: 'cpu', signal: 'cpu', scope: 'pod' },
    };
  }
  const named = signalForName(metric.name);
  if (type === 'pods') {
    const signal = named ?? 'concurrency';
    return {
      spec: { type: 'Pods', name: metric.name, target: { type: 'AverageValue', averageValue: value } },
      measured: { name: metric.name, signal, scope: 'pod' },
    };
  }
  const signal = named ?? (keda && !QUEUE_SCALERS.test(type) && type !== 'prometheus' ? null : 'concurrency');
  if (signal === null) return `${label}: a KEDA ${metric.type} scaler has no counterpart in the simulation`;
  const name = metric.name || metric.type;
  return {
    spec: {
      type: 'External',
      name,
      target:
        targetType === 'Value' ? { type: 'Value', value } : { type: 'AverageValue', averageValue: value },
    },
    measured: { name, signal, scope: 'workload' },
  };
}

/**
 * The HPA spec for a workload. `hpa` and KEDA use the manifests' metrics and behavior; a Knative or
 * KServe workload on the kubernetes target is modelled as KServe raw deployment mode: an HPA on CPU at
 * the default 80 %, with the workload's min and max.
 */
export function simulatedHpa(workload: Workload): SimulatedHpa {
  const scaling = workload.autoscaling;
  const keda = scaling.kind === 'keda' || scaling.kind === 'keda-http';
  const notes: string[] = [];
  const metrics: HpaMetricSpec[] = [];
  const measured: MeasuredMetric[] = [];
  const add = (converted: ReturnType<typeof toHpaMetric>) => {
    if (typeof converted === 'string') notes.push(converted);
    else if (!measured.some((entry) => entry.name === converted.measured.name)) {
      metrics.push(converted.spec);
      measured.push(converted.measured);
    }
  };
  if (scaling.kind === 'hpa' || keda) {
    for (const metric of scaling.metrics) add(toHpaMetric(metric, keda));
    if (scaling.kind === 'keda-http' && measured.length === 0)
      add(toHpaMetric(kedaHttpMetric(scaling), true));
  } else {
    notes.push(
      `a ${scaling.kind} autoscaler on the kubernetes target is modelled as an HPA on CPU at ${DEFAULT_CPU_UTILIZATION.value} % (KServe raw deployment mode; ${DEFAULT_CPU_UTILIZATION.source})`,
    );
  }
  if (measured.length === 0) {
    if (scaling.kind === 'hpa' || keda)
      notes.push(`no metric could be simulated: CPU at ${DEFAULT_CPU_UTILIZATION.value} % is used`);
    add(cpuUtilization(DEFAULT_CPU_UTILIZATION.value));
  }
  const minReplicas = keda ? Math.max(1, scaling.minReplicas ?? 1) : (scaling.minReplicas ?? 1);
  const maxReplicas = Math.max(minReplicas, scaling.maxReplicas ?? minReplicas);
  const behavior = isBehavior(scaling.behavior) ? scaling.behavior : null;
  return { spec: { minReplicas, maxReplicas, metrics, behavior }, measured, notes };
}

function kedaHttpMetric(scaling: Workload['autoscaling']): ScalingMetric {
  const target = Number(scaling.settings.targetPendingRequests ?? 100);
  return { type: 'Pods', name: 'concurrency', target: { type: 'AverageValue', value: target }, source: null };
}

function isBehavior(value: unknown): value is HpaSpec['behavior'] {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reconciles every sync period; KEDA's operator may own the 0 ↔ 1 step (see ./keda.ts). */
export class HpaDriver {
  private readonly controller: HpaController;
  private readonly periodMs: number;

  constructor(
    private readonly sim: Simulation,
    private readonly hpa: SimulatedHpa,
    private readonly pods: PodSet,
    private readonly metrics: WindowedMetrics,
    private readonly requests: { cpu: number; memory: number },
  ) {
    this.controller = createHpaController(hpa.spec, { syncPeriodSeconds: HPA_SYNC_PERIOD_SECONDS.value });
    this.periodMs = (this.controller.options?.syncPeriodSeconds ?? HPA_SYNC_PERIOD_SECONDS.value) * 1000;
  }

  start(): void {
    this.sim.schedule(this.periodMs, this.onSync);
  }

  private readonly onSync = (nowMs: number) => {
    this.reconcile(nowMs);
    this.sim.schedule(nowMs + this.periodMs, this.onSync);
  };

  reconcile(nowMs: number): void {
    const { perPod, workload } = this.metrics.take(nowMs);
    const podMetrics = (values: SignalValues | undefined) => {
      const out: Record<string, number> = {};
      if (!values) return out;
      for (const metric of this.hpa.measured)
        if (metric.scope === 'pod') out[metric.name] = values[metric.signal];
      return out;
    };
    const pods: HpaPodSample[] = this.pods.pods.map((pod) => ({
      phase: pod.phase === 'pending' ? 'Pending' : 'Running',
      ready: pod.phase === 'ready',
      deleting: pod.phase === 'terminating',
      startedSecondsAgo: pod.boundAtMs === -1 ? null : (nowMs - pod.boundAtMs) / 1000,
      readyTransitionSecondsAgo:
        pod.boundAtMs === -1 ? null : (nowMs - (pod.readyAtMs !== -1 ? pod.readyAtMs : pod.boundAtMs)) / 1000,
      requests: { cpu: this.requests.cpu, memory: this.requests.memory },
      metrics: podMetrics(perPod.get(pod)),
    }));
    const workloadMetrics: Record<string, number> = {};
    for (const metric of this.hpa.measured)
      if (metric.scope === 'workload') workloadMetrics[metric.name] = workload[metric.signal];
    const decision = this.controller.reconcile({
      nowSeconds: nowMs / 1000,
      currentReplicas: this.pods.desired,
      pods,
      workloadMetrics,
    });
    if (decision.desiredReplicas === this.pods.desired) return;
    if (decision.desiredReplicas > this.pods.desired) this.sim.milestone('firstScaleUpMs', nowMs);
    this.pods.scaleTo(decision.desiredReplicas);
  }
}
