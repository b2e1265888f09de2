/**
 * What a metrics pipeline would report to an autoscaler, measured from the simulation: per-pod and
 * whole-workload averages over the window since the reader last looked (each reader — the HPA, the
 * KEDA operator — keeps its own window). Nothing is sampled per request: pods and queues keep time
 * integrals, and a window is a difference of two readings.
 *
 * Signals (docs/platforms/kubernetes.md#metrics):
 * - `running`: requests in service; `waiting`: requests queued (a pod's share of a shared queue);
 *   `concurrency`: both (in flight, as Knative and KEDA HTTP count it);
 * - `rps`: requests started (per pod) or arrived (workload) per second;
 * - `gpu`: GPU utilisation in percent = share of time with at least one request in service;
 * - `cpu`: millicores = busy fraction × CPU request, the busy fraction being slots in use ÷
 *   concurrency (or the GPU-style busy share when concurrency is unlimited).
 */

import type { Router } from './dispatch.ts';
import type { Pod, PodSet } from './pods.ts';

export const SIGNALS = ['running', 'waiting', 'concurrency', 'rps', 'gpu', 'cpu'] as const;
export type Signal = (typeof SIGNALS)[number];
export type SignalValues = Record<Signal, number>;

interface PodMark {
  atMs: number;
  slotMs: number;
  busyMs: number;
  started: number;
  queueMs: number;
}

export class WindowedMetrics {
  private readonly marks = new Map<Pod, PodMark>();
  private lastAtMs = 0;
  private lastQueueMs = 0;
  private lastArrivals = 0;

  constructor(
    private readonly pods: PodSet,
    private readonly router: Router,
    private readonly concurrency: number,
    private readonly cpuRequestMillis: number,
  ) {}

  /** Averages since the previous call (or the start), then starts a new window at `nowMs`. */
  take(nowMs: number): { perPod: Map<Pod, SignalValues>; workload: SignalValues } {
    const perPod = new Map<Pod, SignalValues>();
    const windowMs = nowMs - this.lastAtMs;
    const queueMs = this.router.queuedIntegralMs();
    const sharedWaiting = windowMs > 0 ? (queueMs - this.lastQueueMs) / windowMs : 0;
    const arrivals = this.router.arrivals - this.lastArrivals;
    const ready = this.pods.pods.filter((pod) => pod.phase === 'ready');
    const sharedShare =
      this.router.kind === 'least-outstanding' && ready.length > 0 ? sharedWaiting / ready.length : 0;
    const workload: SignalValues = {
      running: 0,
      waiting: sharedWaiting,
      concurrency: 0,
      rps: 0,
      gpu: 0,
      cpu: 0,
    };

    for (const pod of this.pods.pods) {
      pod.touch(nowMs);
      const queue = this.router.podQueueIntegralMs(pod);
      const mark = this.marks.get(pod);
      const next: PodMark = {
        atMs: nowMs,
        slotMs: pod.slotMs,
        busyMs: pod.busyMs,
        started: pod.started,
        queueMs: queue,
      };
      this.marks.set(pod, next);
      if (pod.phase !== 'ready' && pod.phase !== 'terminating') continue;
      const fromMs = Math.max(mark?.atMs ?? 0, pod.readyAtMs, 0);
      const spanMs = nowMs - fromMs;
      if (spanMs <= 0) continue;
      const running = (pod.slotMs - (mark?.slotMs ?? 0)) / spanMs;
      const busy = (pod.busyMs - (mark?.busyMs ?? 0)) / spanMs;
      const ownWaiting = (queue - (mark?.queueMs ?? 0)) / spanMs;
      const waiting = this.router.kind === 'random' ? ownWaiting : sharedShare;
      const slotsBusy = Number.isFinite(this.concurrency) ? Math.min(1, running / this.concurrency) : busy;
      const values: SignalValues = {
        running,
        waiting,
        concurrency: running + waiting,
        rps: ((pod.started - (mark?.started ?? 0)) * 1000) / spanMs,
        gpu: busy * 100,
        cpu: slotsBusy * this.cpuRequestMillis,
      };
      perPod.set(pod, values);
      workload.running += running;
      workload.gpu += values.gpu;
      workload.cpu += values.cpu;
    }
    for (const pod of [...this.marks.keys()]) if (pod.phase === 'gone') this.marks.delete(pod);

    workload.concurrency = workload.running + workload.waiting;
    workload.rps = windowMs > 0 ? (arrivals * 1000) / windowMs : 0;
    if (perPod.size > 0) {
      workload.gpu /= perPod.size;
      workload.cpu /= perPod.size;
    }
    this.lastAtMs = nowMs;
    this.lastQueueMs = queueMs;
    this.lastArrivals = this.router.arrivals;
    return { perPod, workload };
  }
}

/** Which signal a metric name means (docs/platforms/kubernetes.md#metrics); null: not recognised. */
export function signalForName(name: string): Signal | null {
  const text = name.toLowerCase();
  if (/gpu|duty_cycle|dcgm/.test(text)) return 'gpu';
  if (/^cpu$|cpu_usage|cpu_util/.test(text)) return 'cpu';
  if (/waiting|queue|pending|backlog|lag|depth|messages|length/.test(text)) return 'waiting';
  if (/running|ongoing|busy/.test(text)) return 'running';
  if (/in_?flight|active|concurren/.test(text)) return 'concurrency';
  if (/rps|qps|per_?second|_rate|throughput|requests_total|request_count|requests/.test(text)) return 'rps';
  return null;
}
