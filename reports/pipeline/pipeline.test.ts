import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { assess } from '../../analyzers/assess.ts';
import { buildInventory } from '../../analyzers/inventory.ts';
import { loadInputs } from '../../analyzers/sources/index.ts';
import { MigrateError } from '../../core/errors.ts';
import { NODE_TYPES } from '../../core/pricing/nodes.ts';
import { spikeProfile } from '../../core/traffic/index.ts';
import { runReplay } from '../../loadtests/engine/replay.ts';
import { TARGET_IDS } from '../../loadtests/platforms/index.ts';
import { analyzeOptions } from '../../test/helpers/analyze.ts';
import { renderJob, runArgsForJob } from './emit-job.ts';
import { parseShard, planWorkloads, shardSlice } from './plan.ts';
import { runTasks } from './pool.ts';
import { replayInputFor } from './replay-input.ts';
import { mergeReplays, replayTasks } from './replay-tasks.ts';

async function exampleInputs() {
  const inventory = buildInventory(await loadInputs(['examples/k8s'], analyzeOptions()), {
    defaultNamespace: 'default',
  });
  const assessments = assess(inventory, { sloMs: null });
  const profile = spikeProfile('trending:baseline=2,peak=10,lead=1m,ramp=20s,hold=1m,decay=1m,tail=30s', 3);
  const ids = ['ml/Deployment/llm-chat', 'ml/InferenceService/fraud-scoring'];
  return ids.map((id) =>
    replayInputFor(
      inventory.workloads.find((workload) => workload.id === id)!,
      assessments.get(id)!.findings,
      profile,
      {
        targets: TARGET_IDS,
        seed: 5,
        window: { text: undefined, maxSeconds: 150 },
        serviceMs: { default: { kind: 'lognormal', p50Ms: 80, p99Ms: 600 }, byWorkload: {} },
        podConcurrency: { default: null, byWorkload: { 'ml/Deployment/llm-chat': 4 } },
        timeoutMs: null,
        sloMs: null,
        lb: 'least-outstanding',
        nodeType: null,
        nodeTypes: NODE_TYPES,
        maxNodes: null,
        calibration: null,
        version: 'test',
      },
    ),
  );
}

describe('planning and sharding', () => {
  const workload = (id: string, server = true) => {
    const [namespace, kind, name] = id.split('/') as [string, string, string];
    return { id, namespace, kind, name, ml: { isModelServer: server } };
  };

  it('plans every model server sorted by id, with folder names that never collide', () => {
    const plan = planWorkloads(
      [
        workload('b/Deployment/x'),
        workload('a/Deployment/y'),
        workload('a/Job/z', false),
        workload('a/Deployment/y.'),
        workload('a/Deployment/y_'),
      ],
      null,
    );
    expect(plan.map((entry) => entry.id)).toEqual([
      'a/Deployment/y',
      'a/Deployment/y.',
      'a/Deployment/y_',
      'b/Deployment/x',
    ]);
    expect(new Set(plan.map((entry) => entry.slug)).size).toBe(4);
    expect(plan[3]!.slug).toBe('b-deployment-x');
  });

  it('names unknown --workload ids and the known ones', () => {
    expect(() => planWorkloads([workload('a/Deployment/y')], ['a/Deployment/q'])).toThrow(
      /--workload a\/Deployment\/q is not in the input/,
    );
  });

  it('slices round-robin over the sorted plan: every workload exactly once over all shards', () => {
    const plan = [...Array(10).keys()];
    const slices = [0, 1, 2].map((index) => shardSlice(plan, { index, count: 3 }));
    expect(slices).toEqual([
      [0, 3, 6, 9],
      [1, 4, 7],
      [2, 5, 8],
    ]);
    expect(parseShard('2/3')).toEqual({ index: 2, count: 3 });
    for (const bad of ['3/3', '1/0', 'a/2', '1']) expect(() => parseShard(bad)).toThrow(MigrateError);
  });
});

describe('replay tasks', () => {
  it('merges per-target tasks into exactly the one-process replay of all targets, on worker threads too', async () => {
    const inputs = await exampleInputs();
    const tasks = replayTasks(inputs, ['shared', 'shared']);
    expect(tasks).toHaveLength(inputs.length * TARGET_IDS.length);
    const inline = await runTasks(tasks, 1);
    const threaded = await runTasks(tasks, 2);
    expect(JSON.stringify(threaded)).toBe(JSON.stringify(inline));
    inputs.forEach((input, index) => {
      const merged = mergeReplays(
        input,
        inline.filter((_, task) => tasks[task]!.workload === index),
      );
      expect(JSON.stringify(merged)).toBe(JSON.stringify(runReplay(input)));
    });
  });
});

describe('the Indexed Job', () => {
  it('runs the same command in every pod with --shard $(JOB_COMPLETION_INDEX)/N, on a shared volume', () => {
    const argv = [
      './k8s',
      '--out',
      'out',
      '--emit-job',
      'job.yaml',
      '--shards=4',
      '--image',
      'img:1',
      '--spike',
      'trending',
      '--shard',
      '0/2',
    ];
    const runArgs = runArgsForJob(argv, ['emit-job', 'shards', 'image']);
    expect(runArgs).toEqual(['./k8s', '--out', 'out', '--spike', 'trending']);
    const job = parse(
      renderJob({
        runArgs,
        shards: 4,
        image: 'img:1',
        name: 'fleet',
        namespace: 'ml',
        claim: 'work',
        mountPath: '/work',
        cpu: '2',
        memory: '4Gi',
      }),
    );
    expect(job).toMatchObject({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'fleet', namespace: 'ml' },
      spec: {
        completionMode: 'Indexed',
        completions: 4,
        parallelism: 4,
        template: { spec: { restartPolicy: 'Never' } },
      },
    });
    const container = job.spec.template.spec.containers[0];
    expect(container.args).toEqual([
      'run',
      './k8s',
      '--out',
      'out',
      '--spike',
      'trending',
      '--shard',
      '$(JOB_COMPLETION_INDEX)/4',
    ]);
    expect(container.volumeMounts).toEqual([{ name: 'work', mountPath: '/work' }]);
    expect(job.spec.template.spec.volumes).toEqual([
      { name: 'work', persistentVolumeClaim: { claimName: 'work' } },
    ]);
    expect(() =>
      renderJob({
        runArgs,
        shards: 2,
        image: 'i',
        name: 'Bad_Name',
        namespace: null,
        claim: 'w',
        mountPath: '/w',
        cpu: '1',
        memory: '1Gi',
      }),
    ).toThrow(/not a valid Kubernetes name/);
  });
});
