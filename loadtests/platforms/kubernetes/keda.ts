/**
 * KEDA's operator for one ScaledObject: every `pollingInterval` it asks the scalers whether the
 * workload is active (a trigger's metric above its activation threshold, 0 by default). Active at zero
 * replicas → scale to one (activation); inactive for `cooldownPeriod` since the last active poll →
 * scale to zero (only when minReplicaCount is 0). Between 1 and N the HPA KEDA creates does the work
 * (./hpa-driver.ts, with minReplicas = max(1, minReplicaCount)). Defaults: platform-facts.md a.5.
 *
 * Requests that arrive while there are no replicas wait (in the broker, or KEDA HTTP's interceptor)
 * rather than fail.
 */

import type { Workload } from '../../../core/model/index.ts';
import type { Simulation } from '../types.ts';
import type { MeasuredMetric } from './hpa-driver.ts';
import type { WindowedMetrics } from './metrics.ts';
import type { PodSet } from './pods.ts';

export const KEDA_DEFAULTS = {
  pollingIntervalSeconds: {
    value: 30,
    source: 'KEDA ScaledObject pollingInterval default 30 s (keda.sh; platform-facts.md a.5)',
  },
  cooldownPeriodSeconds: {
    value: 300,
    source: 'KEDA ScaledObject cooldownPeriod default 300 s (keda.sh; platform-facts.md a.5)',
  },
  activationThreshold: {
    value: 0,
    source: 'KEDA activation thresholds default 0 (keda.sh scaler docs) [unconfirmed in platform-facts.md]',
  },
};

export class KedaOperator {
  private readonly pollMs: number;
  private readonly cooldownMs: number;
  private lastActiveMs: number;
  private readonly minReplicaCount: number;

  constructor(
    private readonly sim: Simulation,
    workload: Workload,
    private readonly pods: PodSet,
    private readonly metrics: WindowedMetrics,
    private readonly measured: MeasuredMetric[],
  ) {
    const settings = workload.autoscaling.settings;
    const number = (value: unknown, fallback: number) => (typeof value === 'number' ? value : fallback);
    this.pollMs = number(settings.pollingIntervalSeconds, KEDA_DEFAULTS.pollingIntervalSeconds.value) * 1000;
    this.cooldownMs =
      number(settings.cooldownPeriodSeconds, KEDA_DEFAULTS.cooldownPeriodSeconds.value) * 1000;
    this.lastActiveMs = -number(settings.initialCooldownPeriodSeconds, 0) * 1000;
    this.minReplicaCount = workload.autoscaling.minReplicas ?? 0;
  }

  start(): void {
    this.sim.schedule(this.pollMs, this.onPoll);
  }

  private readonly onPoll = (nowMs: number) => {
    this.poll(nowMs);
    this.sim.schedule(nowMs + this.pollMs, this.onPoll);
  };

  private poll(nowMs: number): void {
    const { workload } = this.metrics.take(nowMs);
    const active = this.measured.some(
      (metric) =>
        (metric.scope === 'workload' ? workload[metric.signal] : workload.concurrency) >
        KEDA_DEFAULTS.activationThreshold.value,
    );
    if (active) this.lastActiveMs = nowMs;
    if (this.pods.desired === 0 && active) {
      this.sim.milestone('firstScaleUpMs', nowMs);
      this.pods.scaleTo(Math.max(1, this.minReplicaCount));
    } else if (
      this.pods.desired > 0 &&
      !active &&
      this.minReplicaCount === 0 &&
      nowMs - this.lastActiveMs >= this.cooldownMs
    ) {
      this.pods.scaleTo(0);
    }
  }
}
