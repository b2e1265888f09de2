import { describe, expect, it } from 'vitest';
import { buildTrafficProfile, type TrafficProfile } from '../../../core/traffic/index.ts';
import { expectConsistent, replayOne, workloadFromYaml } from '../../engine/testing.ts';

function steps(...segments: [seconds: number, rate: number][]): TrafficProfile {
  const requests = segments.flatMap(([seconds, rate]) => new Array<number>(seconds).fill(rate));
  return buildTrafficProfile({
    series: { startMs: 0, timeBase: 'relative', stepSeconds: 1, requests, missingSteps: [] },
    origin: { kind: 'synthetic', spec: 'test steps', seed: 1 },
  });
}

const service = (annotations: string, containerConcurrency = 4) =>
  workloadFromYaml(`apiVersion: serving.knative.dev/v1
kind: Service
metadata: { name: scorer, namespace: ml }
spec:
  template:
    metadata:
      annotations:
${annotations}
    spec:
      containerConcurrency: ${containerConcurrency}
      containers:
        - image: example/scorer:1
          resources:
            requests: { cpu: 500m, memory: 1Gi }
`);

const column = (run: ReturnType<typeof replayOne>, name: string) =>
  run.timeline.rows.map((row) => row[run.timeline.columns.indexOf(name)]!);

const quickStart = { schedulingSeconds: 1, imagePullSeconds: 3, modelLoadSeconds: 2 };

describe('knative: the KPA and the activator', () => {
  it('starts from zero when the first request arrives, buffering it in the activator, and returns to zero after the grace period', () => {
    const run = replayOne({
      workload: service('        autoscaling.knative.dev/max-scale: "10"'),
      profile: steps([60, 0], [120, 5], [400, 0]),
      target: 'knative',
      service: { kind: 'fixed', ms: 200 },
      settings: { pod: quickStart, initialNodes: 1 },
    });
    // The activator pokes the autoscaler at the first request: no waiting for the 2-s tick.
    expect(run.milestones.firstScaleUpSeconds).toBeGreaterThanOrEqual(60);
    expect(run.milestones.firstScaleUpSeconds).toBeLessThan(61);
    // Scheduling 1 s + model load 2 s: the warm node already has the image, so there is no pull.
    expect(run.milestones.firstNewPodReadySeconds! - run.milestones.firstScaleUpSeconds!).toBeCloseTo(3, 6);
    expect(run.requests.dropped).toBe(0);
    expect(run.requests.served).toBe(600);
    expect(run.coldStartWaits.requests).toBeGreaterThan(0);
    const instances = column(run, 'instancesMax');
    const stepSeconds = run.timeline.stepSeconds;
    expect(instances[0]).toBe(0);
    // Traffic ends at 180 s: zero needs a stable window (60 s) with nothing, then the 30-s grace period.
    expect(instances[Math.floor(250 / stepSeconds)]).toBeGreaterThan(0);
    expect(instances[Math.floor(330 / stepSeconds)]).toBe(0);
    expectConsistent(run);
  });

  it('panics on a burst, then settles at the concurrency it sees over the target utilisation', () => {
    // 40 req/s × 1 s = 40 in flight; target 4 × 0.7 = 2.8 per pod → 15 pods. While pods start, the
    // requests the activator holds count as in flight too, so the panic overshoots first.
    const run = replayOne({
      workload: service('        autoscaling.knative.dev/min-scale: "1"'),
      profile: steps([120, 1], [300, 40]),
      target: 'knative',
      service: { kind: 'fixed', ms: 1000 },
      settings: { pod: quickStart, initialNodes: 3 },
    });
    expect(run.milestones.firstScaleUpSeconds).toBeLessThan(126);
    expect(run.instances.max).toBeGreaterThan(15);
    const ready = column(run, 'readyMean');
    expect(ready.at(-3)).toBeGreaterThanOrEqual(14);
    expect(ready.at(-3)).toBeLessThanOrEqual(17);
    expectConsistent(run);
  });

  it('throttles beyond the activator queue depth while no pod is ready', () => {
    const run = replayOne({
      workload: service('        autoscaling.knative.dev/max-scale: "1"', 1),
      profile: steps([2, 6000]),
      target: 'knative',
      service: { kind: 'fixed', ms: 10 },
      settings: { pod: quickStart, initialNodes: 1, timeoutMs: 600_000 },
    });
    expect(run.requests.throttled).toBe(2000);
    expectConsistent(run);
  });

  it('uses the revision’s own target and utilisation annotations', () => {
    const run = replayOne({
      workload: service(
        '        autoscaling.knative.dev/target: "2"\n        autoscaling.knative.dev/target-utilization-percentage: "50"\n        autoscaling.knative.dev/min-scale: "1"',
        10,
      ),
      profile: steps([300, 10]),
      target: 'knative',
      service: { kind: 'fixed', ms: 1000 },
      settings: { pod: quickStart, initialNodes: 2 },
    });
    // 10 in flight at 2 × 0.5 = 1 per pod: 10 pods.
    expect(run.assumptions.find((entry) => entry.name === 'kpa.target')!.value).toBe(
      'concurrency 1 per pod (total 2)',
    );
    expect(column(run, 'readyMean').at(-2)).toBeGreaterThanOrEqual(9);
  });
});
