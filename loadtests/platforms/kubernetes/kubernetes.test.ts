import { describe, expect, it } from 'vitest';
import { buildTrafficProfile, spikeProfile, type TrafficProfile } from '../../../core/traffic/index.ts';
import { deploymentYaml, expectConsistent, replayOne, workloadFromYaml } from '../../engine/testing.ts';

/** Counts per second: `seconds` of `rate`, for exact, repeatable shapes. */
function steps(...segments: [seconds: number, rate: number][]): TrafficProfile {
  const requests = segments.flatMap(([seconds, rate]) => new Array<number>(seconds).fill(rate));
  return buildTrafficProfile({
    series: { startMs: 0, timeBase: 'relative', stepSeconds: 1, requests, missingSteps: [] },
    origin: { kind: 'synthetic', spec: 'test steps', seed: 1 },
  });
}

const column = (run: ReturnType<typeof replayOne>, name: string) =>
  run.timeline.rows.map((row) => row[run.timeline.columns.indexOf(name)]!);

const hpa = (name: string, body: string) => `---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: { name: ${name}, namespace: ml }
spec:
  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: ${name} }
${body}`;

describe('kubernetes: node provisioning', () => {
  const gpuModel = workloadFromYaml(
    deploymentYaml({
      replicas: 1,
      gpus: 1,
      extra: hpa(
        'model',
        `  minReplicas: 1
  maxReplicas: 4
  metrics:
    - type: Pods
      pods:
        metric: { name: requests_in_flight }
        target: { type: AverageValue, averageValue: "2" }`,
      ),
    }),
  );
  const start = { schedulingSeconds: 2, imagePullSeconds: 90, modelLoadSeconds: 60 };

  it('a spike beyond the nodes waits for a new node: first new pod ready = node request + provisioning + pod start', () => {
    const run = replayOne({
      workload: gpuModel,
      profile: steps([60, 1], [600, 20]),
      target: 'kubernetes',
      service: { kind: 'fixed', ms: 1000 },
      settings: { podConcurrency: 4, pod: start, nodeProvisioningSeconds: 360 },
    });
    const {
      firstScaleUpSeconds,
      firstNodeRequestedSeconds,
      firstNewNodeReadySeconds,
      firstNewPodReadySeconds,
    } = run.milestones;
    // The HPA reconciles every 15 s; the cluster autoscaler scans every 10 s.
    expect(firstScaleUpSeconds! % 15).toBe(0);
    expect(firstNodeRequestedSeconds! % 10).toBe(0);
    expect(firstNodeRequestedSeconds! - firstScaleUpSeconds!).toBeLessThan(10);
    expect(firstNewNodeReadySeconds).toBe(firstNodeRequestedSeconds! + 360);
    expect(firstNewPodReadySeconds).toBe(firstNodeRequestedSeconds! + 360 + 2 + 90 + 60);
    expect(run.nodes.max).toBe(4);
    expect(run.gpu!.allocatedSeconds).toBeGreaterThan(run.gpu!.busySeconds);
    expectConsistent(run);
  });

  it('aligns readiness to the readiness probe: the first probe after the model has loaded', () => {
    const probed = workloadFromYaml(
      deploymentYaml({
        replicas: 1,
        gpus: 1,
        probes: `
          readinessProbe:
            httpGet: { path: /health, port: 8000 }
            initialDelaySeconds: 5
            periodSeconds: 10`,
        extra: hpa(
          'model',
          `  minReplicas: 1
  maxReplicas: 2
  metrics:
    - type: Pods
      pods:
        metric: { name: requests_in_flight }
        target: { type: AverageValue, averageValue: "2" }`,
        ),
      }),
    );
    const run = replayOne({
      workload: probed,
      profile: steps([600, 20]),
      target: 'kubernetes',
      service: { kind: 'fixed', ms: 1000 },
      settings: { podConcurrency: 4, pod: start, nodeProvisioningSeconds: 360 },
    });
    // Container start = node ready + 2 + 90; model loaded 60 s later; probes at +5, +15, …, +65.
    expect(run.milestones.firstNewPodReadySeconds).toBe(
      run.milestones.firstNewNodeReadySeconds! + 2 + 90 + 65,
    );
  });
});

describe('kubernetes: the HPA', () => {
  const cpuModel = workloadFromYaml(
    deploymentYaml({
      replicas: 1,
      extra: hpa(
        'model',
        `  minReplicas: 1
  maxReplicas: 10
  metrics:
    - type: Resource
      resource: { name: cpu, target: { type: Utilization, averageUtilization: 50 } }`,
      ),
    }),
  );

  it('scales on CPU to the replica count the load needs, then back to the minimum after the stabilisation window', () => {
    // 20 req/s × 100 ms = 2 pods busy; at a 50 % CPU target that is 4 pods.
    const run = replayOne({
      workload: cpuModel,
      profile: steps([900, 20], [900, 0]),
      target: 'kubernetes',
      service: { kind: 'fixed', ms: 100 },
      settings: { podConcurrency: 1 },
    });
    const ready = column(run, 'readyMean');
    const stepSeconds = run.timeline.stepSeconds;
    const at = (seconds: number) => ready[Math.floor(seconds / stepSeconds)]!;
    expect(at(850)).toBeGreaterThanOrEqual(4);
    expect(at(850)).toBeLessThanOrEqual(5);
    // The downscale stabilisation window (5 min) holds the pods after the load stops at 900 s.
    expect(at(1150)).toBeGreaterThanOrEqual(4);
    expect(at(1790)).toBe(1);
    expectConsistent(run);
  });

  it('drops what a pod still serves when its termination grace period ends, and nothing with a longer grace', () => {
    const scaleDownAtOnce = (grace: number) =>
      workloadFromYaml(
        deploymentYaml({
          replicas: 4,
          extra: hpa(
            'model',
            `  minReplicas: 1
  maxReplicas: 4
  metrics:
    - type: External
      external:
        metric: { name: requests_per_second }
        target: { type: AverageValue, averageValue: "1" }
  behavior:
    scaleDown:
      stabilizationWindowSeconds: 0
      policies: [{ type: Percent, value: 100, periodSeconds: 15 }]`,
          ),
        }).replace('      containers:', `      terminationGracePeriodSeconds: ${grace}\n      containers:`),
      );
    const profile = steps([10, 4], [200, 0]);
    const run = (grace: number) =>
      replayOne({
        workload: scaleDownAtOnce(grace),
        profile,
        target: 'kubernetes',
        service: { kind: 'fixed', ms: 100_000 },
        settings: { podConcurrency: 20, timeoutMs: 1e6 },
      });
    const short = run(30);
    expect(short.requests.dropped).toBeGreaterThan(0);
    expectConsistent(short);
    const long = run(200);
    expect(long.requests.dropped).toBe(0);
    expect(long.requests.served).toBe(40);
  });
});

describe('kubernetes: KEDA', () => {
  const worker = workloadFromYaml(`${deploymentYaml({ name: 'worker', replicas: 0 })}
---
apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata: { name: worker, namespace: ml }
spec:
  scaleTargetRef: { name: worker }
  pollingInterval: 15
  cooldownPeriod: 60
  minReplicaCount: 0
  maxReplicaCount: 5
  triggers:
    - type: rabbitmq
      metadata: { queueName: jobs, mode: QueueLength, value: "5" }
`);

  it('activates from zero at a poll, buffers meanwhile, and returns to zero after the cooldown', () => {
    const run = replayOne({
      workload: worker,
      profile: steps([100, 0], [60, 10], [400, 0]),
      target: 'kubernetes',
      service: { kind: 'fixed', ms: 200 },
      settings: {
        podConcurrency: 1,
        initialNodes: 1,
        pod: { schedulingSeconds: 1, imagePullSeconds: 5, modelLoadSeconds: 4 },
      },
    });
    // Nothing runs until the first poll after the first request (t = 105 s).
    expect(run.milestones.firstScaleUpSeconds).toBe(105);
    expect(run.requests.dropped).toBe(0);
    expect(run.requests.served).toBe(600);
    expect(run.coldStartWaits.requests).toBeGreaterThan(0);
    const instances = column(run, 'instancesMax');
    expect(instances[0]).toBe(0);
    expect(instances.at(-1)).toBe(0);
    expectConsistent(run);
  });
});

describe('kubernetes: the cluster autoscaler removes unneeded nodes after 10 minutes', () => {
  it('keeps added nodes while busy, then removes the empty ones', () => {
    const model = workloadFromYaml(
      deploymentYaml({
        replicas: 1,
        gpus: 1,
        extra: hpa(
          'model',
          `  minReplicas: 1
  maxReplicas: 3
  metrics:
    - type: Pods
      pods:
        metric: { name: requests_in_flight }
        target: { type: AverageValue, averageValue: "1" }
  behavior:
    scaleDown:
      stabilizationWindowSeconds: 0`,
        ),
      }),
    );
    const run = replayOne({
      workload: model,
      profile: steps([900, 3], [2400, 0]),
      target: 'kubernetes',
      service: { kind: 'fixed', ms: 1000 },
      settings: { podConcurrency: 1, nodeProvisioningSeconds: 120 },
    });
    const nodes = column(run, 'nodesMax');
    const stepSeconds = run.timeline.stepSeconds;
    const at = (seconds: number) => nodes[Math.floor(seconds / stepSeconds)]!;
    expect(at(850)).toBe(3);
    // Pods go at ~915 s; nodes are unneeded from then and removed 10 min later.
    expect(at(1450)).toBe(3);
    expect(at(1600)).toBe(1);
    expect(run.cost.totalUsd).toBeGreaterThan(0);
    expect(run.cost.lines[0]!.unit).toBe('node-hours');
  });
});

describe('kubernetes: load balancing', () => {
  it('random routing with a queue per pod waits longer than one shared queue', () => {
    const workload = workloadFromYaml(deploymentYaml({ replicas: 4 }));
    const profile = spikeProfile('constant:rate=32,duration=1h', 5);
    const shared = replayOne({
      workload,
      profile,
      target: 'kubernetes',
      service: { kind: 'exp', meanMs: 100 },
      settings: { podConcurrency: 1 },
    });
    const random = replayOne({
      workload,
      profile,
      target: 'kubernetes',
      service: { kind: 'exp', meanMs: 100 },
      settings: { podConcurrency: 1, lb: 'random' },
    });
    expect(random.waitMs.mean!).toBeGreaterThan(2 * shared.waitMs.mean!);
    expectConsistent(random);
  });
});
