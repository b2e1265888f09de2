import { describe, expect, it } from 'vitest';
import { createHpaController, DEFAULT_HPA_CONTROLLER_OPTIONS } from './controller.ts';
import type { HpaObservation, HpaPodSample, HpaSpec } from './controller-types.ts';

const CPU_REQUEST_MILLICORES = 1000;

/** `count` long-running ready pods, each using `cpuMillicores`. */
function pods(count: number, cpuMillicores: number): HpaPodSample[] {
  return Array.from({ length: count }, () => ({
    phase: 'Running',
    ready: true,
    deleting: false,
    startedSecondsAgo: 3600,
    readyTransitionSecondsAgo: 3600,
    requests: { cpu: CPU_REQUEST_MILLICORES },
    metrics: { cpu: cpuMillicores },
  }));
}

function observe(nowSeconds: number, currentReplicas: number, cpuMillicores: number): HpaObservation {
  return { nowSeconds, currentReplicas, pods: pods(currentReplicas, cpuMillicores), workloadMetrics: {} };
}

const cpuSpec = (behavior: HpaSpec['behavior']): HpaSpec => ({
  minReplicas: 1,
  maxReplicas: 100,
  metrics: [{ type: 'Resource', name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } }],
  behavior,
});

/** Reconciles every 15 s at a fixed per-pod CPU usage, applying each decision; returns the sizes. */
function run(spec: HpaSpec, startReplicas: number, cpuMillicores: number, reconciles: number): number[] {
  const controller = createHpaController(spec);
  const sizes: number[] = [];
  let replicas = startReplicas;
  for (let i = 0; i < reconciles; i++) {
    replicas = controller.reconcile(observe(i * 15, replicas, cpuMillicores)).desiredReplicas;
    sizes.push(replicas);
  }
  return sizes;
}

describe('createHpaController', () => {
  it('defaults to the production kube-controller-manager flags', () => {
    const controller = createHpaController(cpuSpec(null));

    expect(controller.options).toEqual(DEFAULT_HPA_CONTROLLER_OPTIONS);
    expect(DEFAULT_HPA_CONTROLLER_OPTIONS).toMatchObject({
      syncPeriodSeconds: 15,
      tolerance: 0.1,
      downscaleStabilizationSeconds: 300,
      cpuInitializationPeriodSeconds: 300,
      delayOfInitialReadinessStatusSeconds: 30,
    });
  });

  it('CPU spike on the legacy path: at most max(2x, 4) per reconcile', () => {
    // 400 % of request against a 50 % target: every pass wants 8x the current size.
    const sizes = run(cpuSpec(null), 1, 4000, 4);

    expect(sizes).toEqual([4, 8, 16, 32]);
  });

  it('CPU spike with default behavior: at most max(+4 pods, +100 %) per 15 s', () => {
    const sizes = run(cpuSpec({}), 1, 4000, 5);

    expect(sizes).toEqual([5, 10, 20, 40, 80]);
  });

  it('reports the proposal and the limit that held it back', () => {
    const decision = createHpaController(cpuSpec({})).reconcile(observe(0, 10, 4000));

    expect(decision).toEqual({ desiredReplicas: 20, limitingCondition: 'ScaleUpLimit', proposal: 80 });
  });

  it('counts scale-ups made earlier in the policy period', () => {
    const controller = createHpaController(cpuSpec({}));
    controller.reconcile(observe(0, 10, 4000));

    // 5 s later the +10 of the first pass is still inside the 15 s period: no room left.
    expect(controller.reconcile(observe(5, 20, 4000)).desiredReplicas).toBe(20);
    // At 15 s it has aged out (inside means strictly younger than the period).
    expect(controller.reconcile(observe(15, 20, 4000)).desiredReplicas).toBe(40);
  });

  it.each([
    ['legacy path', null],
    ['default behavior', {}],
  ] as const)('holds scale-down for the 300 s stabilisation window (%s)', (_name, behavior) => {
    const controller = createHpaController(cpuSpec(behavior));
    expect(controller.reconcile(observe(0, 4, 1000)).desiredReplicas).toBe(8);

    const held = [15, 150, 285].map((t) => controller.reconcile(observe(t, 8, 50)));
    expect(held.map((d) => d.desiredReplicas)).toEqual([8, 8, 8]);
    expect(held[0]?.limitingCondition).toBe('ScaleDownStabilized');
    // The 8 recorded at t=0 has left the window by the next sync after 300 s; what remains wants 1 pod.
    expect(controller.reconcile(observe(315, 8, 50)).desiredReplicas).toBe(1);
  });

  it('keeps the size within tolerance (±10 %)', () => {
    const decision = createHpaController(cpuSpec(null)).reconcile(observe(0, 4, 540));

    expect(decision.desiredReplicas).toBe(4);
  });

  it('is disabled while the target is scaled to zero with minReplicas > 0', () => {
    const decision = createHpaController(cpuSpec(null)).reconcile(observe(0, 0, 0));

    expect(decision).toEqual({ desiredReplicas: 0, limitingCondition: 'ScalingDisabled', proposal: null });
  });

  it('returns into [min, max] without metrics or rate limits', () => {
    const spec = { ...cpuSpec(null), minReplicas: 3, maxReplicas: 10 };

    expect(createHpaController(spec).reconcile(observe(0, 40, 0))).toMatchObject({ desiredReplicas: 10 });
    expect(createHpaController(spec).reconcile(observe(0, 1, 4000))).toMatchObject({ desiredReplicas: 3 });
  });

  it('does not scale down when another metric cannot be read, but still scales up', () => {
    const spec: HpaSpec = {
      ...cpuSpec(null),
      metrics: [
        ...cpuSpec(null).metrics,
        { type: 'External', name: 'queue_depth', target: { type: 'AverageValue', averageValue: 10 } },
      ],
    };

    const down = createHpaController(spec).reconcile(observe(0, 4, 50));
    expect(down).toMatchObject({ desiredReplicas: 4, limitingCondition: 'FailedGetExternalMetric' });
    expect(createHpaController(spec).reconcile(observe(0, 4, 1000)).desiredReplicas).toBe(8);
  });

  it('takes the largest proposal across metrics', () => {
    const spec: HpaSpec = {
      ...cpuSpec(null),
      metrics: [
        ...cpuSpec(null).metrics,
        { type: 'External', name: 'queue_depth', target: { type: 'AverageValue', averageValue: 10 } },
      ],
    };
    const observation = { ...observe(0, 4, 500), workloadMetrics: { queue_depth: 60 } };

    // CPU is on target (4 pods); 60 queued at 10 per pod wants 6.
    expect(createHpaController(spec).reconcile(observation)).toMatchObject({
      desiredReplicas: 6,
      proposal: 6,
    });
  });

  it('scales up on a Pods metric (in-flight requests per pod, in plain units)', () => {
    const spec: HpaSpec = {
      minReplicas: 1,
      maxReplicas: 20,
      metrics: [{ type: 'Pods', name: 'inflight', target: { type: 'AverageValue', averageValue: 4 } }],
      behavior: null,
    };
    const busy = pods(2, 0).map((pod) => ({ ...pod, metrics: { inflight: 8 } }));

    expect(
      createHpaController(spec).reconcile({
        nowSeconds: 0,
        currentReplicas: 2,
        pods: busy,
        workloadMetrics: {},
      }),
    ).toMatchObject({ desiredReplicas: 4, proposal: 4 });
  });
});
