import { describe, expect, it } from 'vitest';
import { multiHost } from './multi-host.ts';
import { container, context, GiB, modelServer, noGpu, pod, src, workload } from './test-helpers.ts';

describe('multi-host', () => {
  it('keeps a LeaderWorkerSet group on the cluster', () => {
    const findings = multiHost.check(
      modelServer({ kind: 'LeaderWorkerSet', ml: { multiHost: true } }),
      context(),
    );
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: 'multi-host', severity: 'block', targets: [] });
    expect(findings[0]!.message).toContain(
      'the LeaderWorkerSet runs one model across several hosts (manifests/app.yaml:1)',
    );
  });

  it('finds multi-node torchrun and tensor parallelism', () => {
    const torchrun = container({
      command: ['/bin/sh', '-c', 'torchrun --nnodes 2 --nproc_per_node 1 serve.py'],
      source: src(27),
    });
    const [nodes] = multiHost.check(
      workload({ kind: 'StatefulSet', pod: pod({ containers: [torchrun] }) }),
      context(),
    );
    expect(nodes).toMatchObject({ severity: 'block', targets: [], source: src(27) });
    expect(nodes!.message).toContain('torchrun spans 2 nodes (container server) (manifests/app.yaml:27)');

    const sharded = modelServer({
      ml: {
        tensorParallel: 2,
        model: {
          uri: 'google/gemma-7b',
          format: null,
          sizeBytes: null,
          sizeSource: null,
          sizeEvidence: null,
          source: src(34),
        },
      },
    });
    const [tensor] = multiHost.check(sharded, context());
    expect(tensor!.message).toContain('tensor parallelism over 2 GPUs (manifests/app.yaml:34)');
  });

  it('finds several GPUs per pod, in the main pod or a component', () => {
    const fourGpus = {
      count: 4,
      resource: 'nvidia.com/gpu',
      model: null,
      evidence: ['resources' as const],
      source: src(84),
    };
    const group = {
      name: 'gpu-group',
      role: 'worker',
      replicas: 1,
      minReplicas: 1,
      maxReplicas: 1,
      pod: pod(),
      resources: { cpuMillis: 32_000, memoryBytes: 32 * GiB, gpu: fourGpus },
    };
    const [finding] = multiHost.check(modelServer({ kind: 'RayService', components: [group] }), context());
    expect(finding).toMatchObject({ severity: 'block', targets: [], source: src(84) });
    expect(finding!.message).toContain('4 GPUs per pod in component gpu-group (manifests/app.yaml:84)');
  });

  it('finds a Ray GPU worker group of several pods', () => {
    const gpu = {
      count: 1,
      resource: 'nvidia.com/gpu',
      model: null,
      evidence: ['resources' as const],
      source: src(88),
    };
    const group = {
      name: 'gpu-group',
      role: 'worker',
      replicas: 1,
      minReplicas: 1,
      maxReplicas: 4,
      pod: pod(),
      resources: { cpuMillis: 4_000, memoryBytes: 16 * GiB, gpu },
    };
    const [finding] = multiHost.check(modelServer({ kind: 'RayService', components: [group] }), context());
    expect(finding).toMatchObject({ severity: 'block', targets: [] });
    expect(finding!.message).toContain(
      'GPU worker group gpu-group runs up to 4 pods (manifests/app.yaml:88)',
    );
  });

  it('stays silent on single-GPU, single-host serving and CPU worker groups', () => {
    expect(multiHost.check(modelServer({ ml: { tensorParallel: 1 } }), context())).toEqual([]);
    const cpuGroup = {
      name: 'cpu',
      role: 'worker',
      replicas: 1,
      minReplicas: 1,
      maxReplicas: 5,
      pod: pod(),
      resources: { cpuMillis: 1_000, memoryBytes: GiB, gpu: noGpu() },
    };
    expect(multiHost.check(workload({ components: [cpuGroup] }), context())).toEqual([]);
  });
});
