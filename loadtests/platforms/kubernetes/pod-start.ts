/**
 * How long a pod takes from being bound to a node to being Ready:
 *
 *   container start = bound + scheduling + image pull (only when the node does not have the image yet;
 *                     a second pod on a node that is still pulling waits for the same pull)
 *   app up          = container start + model load
 *   Ready           = the first readiness-probe tick at or after app up: probes run at
 *                     container start + initialDelaySeconds + k·periodSeconds; with a startup probe,
 *                     the first startup tick at or after app up, then the next readiness tick.
 *
 * Without a readiness probe Kubernetes marks the pod Ready when the container starts, before the model
 * is loaded; the model assumes the server only takes requests once app up (and says so).
 */

import type { Probe, Workload } from '../../../core/model/index.ts';
import type { Assumption, ReplaySettings } from '../types.ts';
import type { ClusterNode } from './cluster.ts';
import { podStartDefaults } from './defaults.ts';

interface ProbeTicks {
  initialDelayMs: number;
  periodMs: number;
}

export interface PodStartPlan {
  schedulingMs: number;
  imagePullMs: number;
  modelLoadMs: number;
  /** Fixed delay from app up to Ready (overrides the probes when set). */
  readinessDelayMs: number | null;
  startup: ProbeTicks | null;
  readiness: ProbeTicks | null;
}

const ticks = (probe: Probe | null): ProbeTicks | null =>
  probe
    ? { initialDelayMs: probe.initialDelaySeconds * 1000, periodMs: Math.max(1, probe.periodSeconds) * 1000 }
    : null;

/**
 * The plan from the manifests' probes, the settings (flags, calibration) and the documented defaults.
 * `probes: false` (Knative: queue-proxy probes the container every few ms) makes Ready = app up.
 */
export function podStartPlan(
  workload: Workload,
  settings: ReplaySettings,
  options: { probes: boolean },
  assumptions: Assumption[],
): PodStartPlan {
  const gpu = workload.resources.gpu.count > 0;
  const defaults = podStartDefaults(gpu);
  const pick = (key: 'schedulingSeconds' | 'imagePullSeconds' | 'modelLoadSeconds') => {
    const given = settings.pod[key];
    if (given !== undefined) {
      assumptions.push({ name: `pod.${key}`, value: `${given}`, source: 'flag or calibration file' });
      return given * 1000;
    }
    assumptions.push({ name: `pod.${key}`, value: `${defaults[key].value}`, source: defaults[key].source });
    return defaults[key].value * 1000;
  };
  const main = workload.pod.containers.find((container) => container.role === 'main');
  const readinessGiven = settings.pod.readinessDelaySeconds;
  const plan: PodStartPlan = {
    schedulingMs: pick('schedulingSeconds'),
    imagePullMs: pick('imagePullSeconds'),
    modelLoadMs: pick('modelLoadSeconds'),
    readinessDelayMs: readinessGiven !== undefined ? readinessGiven * 1000 : null,
    startup: options.probes ? ticks(main?.probes.startup ?? null) : null,
    readiness: options.probes ? ticks(main?.probes.readiness ?? null) : null,
  };
  if (plan.readinessDelayMs === null && options.probes && !plan.readiness) {
    assumptions.push({
      name: 'pod.readiness',
      value: 'ready when the model is loaded',
      source:
        'no readinessProbe in the manifests: Kubernetes would route requests as soon as the container starts; the model waits for the model to load',
    });
  }
  return plan;
}

/** First tick of a probe at or after `atMs`. */
function nextTick(containerStartMs: number, probe: ProbeTicks, atMs: number): number {
  const first = containerStartMs + probe.initialDelayMs;
  if (atMs <= first) return first;
  return first + Math.ceil((atMs - first) / probe.periodMs) * probe.periodMs;
}

/** Ready time of a pod bound to `node` at `boundAtMs`; records the image pull on the node. */
export function readyAt(plan: PodStartPlan, node: ClusterNode, boundAtMs: number): number {
  const scheduledMs = boundAtMs + plan.schedulingMs;
  if (node.imageReadyAtMs < 0) node.imageReadyAtMs = scheduledMs + plan.imagePullMs;
  const containerStartMs = Math.max(scheduledMs, node.imageReadyAtMs);
  const appUpMs = containerStartMs + plan.modelLoadMs;
  if (plan.readinessDelayMs !== null) return appUpMs + plan.readinessDelayMs;
  const started = plan.startup ? nextTick(containerStartMs, plan.startup, appUpMs) : appUpMs;
  return plan.readiness ? nextTick(containerStartMs, plan.readiness, started) : started;
}

/** Start-up of a pod on a node that already has the image, for reports (no probe alignment). */
export function nominalStartSeconds(plan: PodStartPlan, withPull: boolean): number {
  return (
    (plan.schedulingMs +
      (withPull ? plan.imagePullMs : 0) +
      plan.modelLoadMs +
      (plan.readinessDelayMs ?? 0)) /
    1000
  );
}
