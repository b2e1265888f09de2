/**
 * Every case of ../shared/vectors/hpa-replica-calculator.json and hpa-behavior.json (transcribed from
 * upstream kubernetes tests), one `it` per case. VECTORS_DIR overrides the vector directory.
 */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  calculateScaleDownLimitWithBehaviors,
  convertDesiredReplicasWithBehaviorRate,
  convertDesiredReplicasWithRules,
  getReplicasChangePerPeriod,
  type ScaleEvent,
  stabilizeRecommendation,
  stabilizeRecommendationWithBehaviors,
  storeScaleEvent,
} from './behavior.ts';
import { createHpaController } from './controller.ts';
import type { HpaMetricSpec, HpaPodSample, HpaScalingRules, HpaSpec } from './controller-types.ts';
import {
  type CalcPod,
  calculatePodRequest,
  calculateRequests,
  GO_ZERO_TIME_SECONDS,
  getAverageValueMetricReplicas,
  getExternalMetricReplicas,
  getExternalPerPodMetricReplicas,
  getObjectMetricReplicas,
  getPerPodUsage,
  getPlainMetricReplicas,
  getResourceReplicas,
  groupPods,
  type PodMetricSample,
  type RequestPod,
} from './replica-calculator.ts';

interface VectorCase {
  name: string;
  kind: string;
  // biome-ignore lint/suspicious/noExplicitAny: vector inputs are heterogeneous JSON, checked per kind below.
  inputs: any;
  // biome-ignore lint/suspicious/noExplicitAny: as above.
  expected: any;
}

const vectorsDir =
  process.env.VECTORS_DIR ?? fileURLToPath(new URL('../../../../../shared/vectors/', import.meta.url));
const loadCases = (file: string): VectorCase[] =>
  JSON.parse(readFileSync(join(vectorsDir, file), 'utf8')).cases;

/** "Now" for the cases: ages in the vectors are seconds before it. */
const NOW = 1_700_000_000;
/** Fixture timestamps: 'epoch' (or null) is Go's zero time, far in the past. */
const at = (secondsAgo: number | 'epoch' | null): number =>
  secondsAgo === null || secondsAgo === 'epoch' ? GO_ZERO_TIME_SECONDS : NOW - secondsAgo;
/** int64 edge values are written as decimal strings; they compare as their float64 value. */
const int64 = (value: number | string): number => Number(value);
const sorted = (values: Iterable<string>): string[] => [...values].sort();

const TESTING_TIMING = {
  nowSeconds: NOW,
  cpuInitializationPeriodSeconds: 120,
  delayOfInitialReadinessStatusSeconds: 10,
};

// biome-ignore lint/suspicious/noExplicitAny: fixture pod from the vector file.
function fixturePod(pod: any): CalcPod {
  return {
    name: pod.name,
    phase: pod.phase,
    deleting: pod.deleting,
    startTimeSeconds: at(pod.startedSecondsAgo),
    // Fixture Ready conditions have an unset (zero) lastTransitionTime.
    readyCondition: { ready: pod.ready, lastTransitionTimeSeconds: GO_ZERO_TIME_SECONDS },
    containers: (pod.containers ?? []).map((c: { name: string; requestMillicores: number | null }) => ({
      name: c.name,
      requestMilli: c.requestMillicores,
    })),
    initContainers: [],
    podLevelRequestMilli: null,
  };
}

const epochSample = (valueMilli: number): PodMetricSample => ({
  valueMilli,
  timestampSeconds: GO_ZERO_TIME_SECONDS,
  windowSeconds: 60,
});

/** The resource metrics API: a pod appears only when the container(s) asked for all have samples. */
// biome-ignore lint/suspicious/noExplicitAny: resourceUtilization inputs.
function resourceMetrics(inputs: any): Map<string, PodMetricSample> {
  const metrics = new Map<string, PodMetricSample>();
  for (const pod of inputs.pods) {
    const usages: (number | null)[] = pod.containers
      .filter((c: { name: string }) => inputs.container === null || c.name === inputs.container)
      .map((c: { usageMillicores: number | null }) => c.usageMillicores);
    if (usages.length === 0 || usages.some((u) => u === null)) continue;
    metrics.set(pod.name, epochSample(usages.reduce<number>((sum, u) => sum + (u ?? 0), 0)));
  }
  for (const extra of inputs.extraMetrics ?? []) {
    const containers = inputs.container === null ? 2 : 1;
    metrics.set(extra.name, epochSample(extra.usageMillicoresPerContainer * containers));
  }
  return metrics;
}

const replicaCalculatorChecks: Record<string, (c: VectorCase) => void> = {
  resourceUtilization: ({ inputs, expected }) => {
    const result = getResourceReplicas({
      currentReplicas: inputs.currentReplicas,
      targetUtilization: inputs.targetUtilizationPercent,
      resource: inputs.resource,
      container: inputs.container,
      tolerances: inputs.tolerance,
      pods: inputs.pods.map(fixturePod),
      metrics: resourceMetrics(inputs),
      timing: TESTING_TIMING,
    });
    if (expected.error !== undefined) {
      expect(result.ok ? 'no error' : result.error).toContain(expected.error);
      return;
    }
    expect(result).toEqual({
      ok: true,
      value: {
        replicas: expected.replicas,
        utilization: expected.utilizationPercent,
        rawAverageMilli: expected.rawAverageUsageMillicores,
      },
    });
  },
  podsMetric: ({ inputs, expected }) => {
    const metrics = new Map<string, PodMetricSample>();
    for (const pod of inputs.pods)
      if (pod.metricMilli !== null) metrics.set(pod.name, epochSample(pod.metricMilli));
    const result = getPlainMetricReplicas({
      currentReplicas: inputs.currentReplicas,
      targetAverageMilli: inputs.targetAverageValueMilli,
      resource: null,
      tolerances: inputs.tolerance,
      pods: inputs.pods.map(fixturePod),
      metrics,
      timing: TESTING_TIMING,
    });
    expect(result).toEqual({
      ok: true,
      value: { replicas: expected.replicas, usageMilli: expected.usageMilli },
    });
  },
  objectMetricValue: ({ inputs, expected }) => {
    const result = getObjectMetricReplicas({
      currentReplicas: inputs.currentReplicas,
      targetMilli: int64(inputs.targetValueMilli),
      tolerances: inputs.tolerance,
      pods: inputs.pods,
      usageMilli: int64(inputs.objectMetricMilli),
    });
    const value = { replicas: expected.replicas, usageMilli: int64(expected.usageMilli) };
    expect(result).toEqual({ ok: true, value });
  },
  objectMetricAverageValue: ({ inputs, expected }) => {
    const result = getAverageValueMetricReplicas({
      statusReplicas: inputs.currentReplicas,
      targetAverageMilli: int64(inputs.targetAverageValueMilli),
      tolerances: inputs.tolerance,
      usageMilli: int64(inputs.objectMetricMilli),
    });
    expect(result).toEqual({ replicas: expected.replicas, usageMilli: int64(expected.usageMilli) });
  },
  externalMetricValue: ({ inputs, expected }) => {
    const result = getExternalMetricReplicas({
      currentReplicas: inputs.currentReplicas,
      targetMilli: int64(inputs.targetValueMilli),
      tolerances: inputs.tolerance,
      pods: inputs.pods,
      samplesMilli: inputs.externalSamplesMilli.map(int64),
    });
    const value = { replicas: expected.replicas, usageMilli: int64(expected.usageMilli) };
    expect(result).toEqual({ ok: true, value });
  },
  externalMetricAverageValue: ({ inputs, expected }) => {
    const result = getExternalPerPodMetricReplicas({
      statusReplicas: inputs.currentReplicas,
      targetAverageMilli: int64(inputs.targetAverageValueMilli),
      tolerances: inputs.tolerance,
      samplesMilli: inputs.externalSamplesMilli.map(int64),
    });
    expect(result).toEqual({ replicas: expected.replicas, usageMilli: int64(expected.usageMilli) });
  },
  groupPods: ({ inputs, expected }) => {
    // biome-ignore lint/suspicious/noExplicitAny: groupPods fixture pod.
    const pods: CalcPod[] = inputs.pods.map((pod: any) => ({
      name: pod.name,
      phase: pod.phase,
      deleting: pod.deleting,
      startTimeSeconds: pod.startedSecondsAgo === null ? null : NOW - pod.startedSecondsAgo,
      readyCondition:
        pod.readyCondition === null
          ? null
          : {
              ready: pod.readyCondition.status,
              lastTransitionTimeSeconds: NOW - pod.readyCondition.lastTransitionSecondsAgo,
            },
    }));
    const metrics = new Map<string, PodMetricSample>();
    for (const [name, m] of Object.entries<{
      value: number;
      timestampSecondsAgo: number | null;
      windowSeconds: number | null;
    }>(inputs.metrics)) {
      metrics.set(name, {
        valueMilli: m.value,
        timestampSeconds: at(m.timestampSecondsAgo),
        windowSeconds: m.windowSeconds ?? 0,
      });
    }
    const groups = groupPods(pods, metrics, inputs.resource, { ...TESTING_TIMING, ...inputs.controller });
    expect({
      readyPodCount: groups.readyPodCount,
      unreadyPods: sorted(groups.unreadyPods),
      missingPods: sorted(groups.missingPods),
      ignoredPods: sorted(groups.ignoredPods),
    }).toEqual({
      ...expected,
      unreadyPods: sorted(expected.unreadyPods),
      missingPods: sorted(expected.missingPods),
      ignoredPods: sorted(expected.ignoredPods),
    });
  },
  calculateRequests: ({ inputs, expected }) => {
    if (inputs.pod === undefined) {
      const result = calculateRequests(inputs.pods, null, inputs.resource);
      expect(result.ok && Object.fromEntries(result.value)).toEqual(expected.requests);
      return;
    }
    const pod: RequestPod = {
      name: inputs.pod.name,
      containers: inputs.pod.containers.map((c: { name: string; requestMillicores: number | null }) => ({
        name: c.name,
        requestMilli: c.requestMillicores,
      })),
      initContainers: inputs.pod.initContainers.map(
        (c: { name: string; restartPolicy: 'Always' | null; requestMillicores: number | null }) => ({
          name: c.name,
          restartPolicy: c.restartPolicy,
          requestMilli: c.requestMillicores,
        }),
      ),
      podLevelRequestMilli: inputs.pod.podLevelRequestMillicores,
    };
    const result = calculatePodRequest(
      pod,
      inputs.container,
      inputs.resource,
      inputs.podLevelResourcesFeatureGate,
    );
    if (expected.error !== undefined) expect(result).toEqual({ ok: false, error: expected.error });
    else expect(result).toEqual({ ok: true, value: expected.requestMillicores });
  },
  perPodUsage: ({ inputs, expected }) => {
    expect(getPerPodUsage(int64(inputs.usageMilli), inputs.statusReplicas)).toBe(
      int64(expected.perPodUsageMilli),
    );
  },
};

const events = (list: { replicaChange: number; ageSeconds: number; outdated?: boolean }[]): ScaleEvent[] =>
  list.map((e) => ({
    replicaChange: e.replicaChange,
    timestampSeconds: NOW - e.ageSeconds,
    outdated: e.outdated ?? false,
  }));
const recommendations = (list: { replicas: number; ageSeconds: number }[]) =>
  list.map((r) => ({ replicas: r.replicas, timestampSeconds: NOW - r.ageSeconds }));

const behaviorChecks: Record<string, (c: VectorCase) => void> = {
  convertDesiredReplicasWithBehaviorRate: ({ inputs, expected }) => {
    const result = convertDesiredReplicasWithBehaviorRate({
      currentReplicas: inputs.currentReplicas,
      desiredReplicas: inputs.desiredReplicas,
      minReplicas: inputs.minReplicas,
      maxReplicas: inputs.maxReplicas,
      scaleUp: inputs.scaleUp,
      scaleDown: inputs.scaleDown,
      scaleUpEvents: events(inputs.scaleUpEvents),
      scaleDownEvents: events(inputs.scaleDownEvents),
      nowSeconds: NOW,
    });
    expect(result).toEqual({ replicas: expected.replicas, reason: expected.limitingCondition });
  },
  calculateScaleDownLimit: ({ inputs, expected }) => {
    const limit = calculateScaleDownLimitWithBehaviors({
      currentReplicas: inputs.currentReplicas,
      scaleUpEvents: events(inputs.scaleUpEvents),
      scaleDownEvents: events(inputs.scaleDownEvents),
      rules: inputs.rules,
      nowSeconds: NOW,
    });
    expect(limit).toBe(expected.limit);
  },
  'convertDesiredReplicasWithRules (no behavior)': ({ inputs, expected }) => {
    const result = convertDesiredReplicasWithRules(
      inputs.currentReplicas,
      inputs.desiredReplicas,
      inputs.minReplicas,
      inputs.maxReplicas,
      { factor: inputs.scaleUpLimitFactor, minimum: inputs.scaleUpLimitMinimum },
    );
    expect(result).toEqual({ replicas: expected.replicas, reason: expected.limitingCondition });
  },
  'stabilizeRecommendation (no behavior)': ({ inputs, expected }) => {
    const result = stabilizeRecommendation(
      recommendations(inputs.recommendations),
      NOW,
      inputs.downscaleStabilizationWindowSeconds,
      inputs.desiredReplicas,
    );
    expect(result.replicas).toBe(expected.stabilizedReplicas);
    expect(result.recommendations).toHaveLength(expected.recommendationLogLength);
  },
  stabilizeRecommendationWithBehaviors: ({ inputs, expected }) => {
    const result = stabilizeRecommendationWithBehaviors({
      recommendations: recommendations(inputs.recommendations),
      nowSeconds: NOW,
      currentReplicas: inputs.currentReplicas,
      desiredReplicas: inputs.desiredReplicas,
      scaleUpWindowSeconds: inputs.scaleUpStabilizationWindowSeconds,
      scaleDownWindowSeconds: inputs.scaleDownStabilizationWindowSeconds,
    });
    expect(result.replicas).toBe(expected.stabilizedReplicas);
    if (expected.storedRecommendations !== undefined) {
      expect(result.recommendations.map((r) => r.replicas)).toEqual(expected.storedRecommendations);
    }
  },
  storeScaleEvent: ({ inputs, expected }) => {
    const previous = events(inputs.previousEvents);
    const rules: HpaScalingRules | null = inputs.scalingRules;
    // Upstream runs each case once as a scale-up and once as a scale-down; one event list per direction.
    for (const _direction of ['up', 'down']) {
      expect(getReplicasChangePerPeriod(60, previous, NOW)).toBe(expected.replicasChangeInLast60sBeforeStore);
      const stored = storeScaleEvent(previous, rules, inputs.replicaChange, NOW);
      expect(stored.map(({ replicaChange, outdated }) => ({ replicaChange, outdated }))).toEqual(
        expected.eventsAfterStore,
      );
    }
  },
  reconcile: ({ inputs, expected }) => {
    const metrics: HpaMetricSpec[] = [
      {
        type: 'Resource',
        name: 'cpu',
        target: { type: 'Utilization', averageUtilization: inputs.cpuTargetUtilizationPercent },
      },
      ...(inputs.extraMetrics ?? []).map(
        (m: { type: 'External' | 'Object'; name: string; targetValueMilli: number }) => ({
          type: m.type,
          name: m.name,
          target: { type: 'Value', value: m.targetValueMilli / 1000 },
        }),
      ),
    ];
    const behavior: HpaSpec['behavior'] =
      typeof inputs.behavior === 'string'
        ? null
        : {
            scaleUp: typeof inputs.behavior.scaleUp === 'object' ? inputs.behavior.scaleUp : undefined,
            scaleDown: typeof inputs.behavior.scaleDown === 'object' ? inputs.behavior.scaleDown : undefined,
          };
    const spec: HpaSpec = {
      minReplicas: inputs.minReplicas,
      maxReplicas: inputs.maxReplicas,
      metrics,
      behavior,
    };
    const pods: HpaPodSample[] = inputs.podCpuUsageMillicores.map((usage: number, i: number) => ({
      phase: 'Running',
      ready: true,
      deleting: false,
      startedSecondsAgo: 3600,
      readyTransitionSecondsAgo: 3600,
      requests: { cpu: inputs.podCpuRequestMillicores[i] },
      metrics: { cpu: usage },
    }));
    const decision = createHpaController(spec).reconcile({
      nowSeconds: NOW,
      currentReplicas: inputs.specReplicas,
      statusReplicas: inputs.statusReplicas,
      pods,
      // The extra metrics' fetch fails: they are absent.
      workloadMetrics: {},
    });
    expect(decision.desiredReplicas).toBe(expected.desiredReplicas);
    if (expected.ScalingLimitedReason !== undefined)
      expect(decision.limitingCondition).toBe(expected.ScalingLimitedReason);
    if (expected.scaleUpdated !== undefined) {
      expect(decision.desiredReplicas !== inputs.specReplicas).toBe(expected.scaleUpdated);
    }
  },
};

function runVectorFile(file: string, checks: Record<string, (c: VectorCase) => void>): void {
  describe(`vectors: ${file}`, () => {
    for (const vectorCase of loadCases(file)) {
      it(vectorCase.name, () => {
        const check = checks[vectorCase.kind];
        if (check === undefined) throw new Error(`no check for case kind ${vectorCase.kind}`);
        check(vectorCase);
      });
    }
  });
}

runVectorFile('hpa-replica-calculator.json', replicaCalculatorChecks);
runVectorFile('hpa-behavior.json', behaviorChecks);
