import { describe, expect, it } from 'vitest';
import { gpuRequired } from './gpu-required.ts';
import { context, GiB, noGpu, pod, src, workload } from './test-helpers.ts';

const l4 = {
  count: 1,
  resource: 'nvidia.com/gpu',
  model: 'nvidia-l4',
  evidence: ['resources' as const],
  source: src(41),
};

describe('gpu-required', () => {
  it('blocks Lambda and Azure Functions and sizes Cloud Run to the L4 minimum', () => {
    const findings = gpuRequired.check(
      workload({ resources: { cpuMillis: 2_000, memoryBytes: 10 * GiB, gpu: l4 } }),
      context(),
    );
    const [noGpu, cloudRun] = findings;
    expect(findings).toHaveLength(2);
    expect(noGpu).toMatchObject({
      rule: 'gpu-required',
      severity: 'block',
      targets: ['aws-lambda', 'azure-functions'],
      source: src(41),
    });
    expect(noGpu!.message).toContain(
      'needs 1 nvidia.com/gpu on nvidia-l4 per replica (manifests/app.yaml:41)',
    );
    expect(noGpu!.message).toContain('AWS Lambda and Azure Functions offer no GPUs');
    expect(cloudRun).toMatchObject({ severity: 'warn', targets: ['cloud-run'] });
    expect(cloudRun!.message).toContain('manifests/app.yaml:41');
    expect(cloudRun!.message).toContain(
      'at least 4 vCPU and 16 GiB per instance (this replica asks for 2 vCPU / 10 GiB: raise it)',
    );
  });

  it('blocks Cloud Run too when a replica needs several GPUs', () => {
    const findings = gpuRequired.check(workload({ resources: { gpu: { ...l4, count: 2 } } }), context());
    expect(findings.map((finding) => [finding.severity, finding.targets])).toEqual([
      ['block', ['aws-lambda', 'azure-functions']],
      ['block', ['cloud-run']],
    ]);
    expect(findings[1]!.message).toContain(
      'needs 2 nvidia.com/gpu on nvidia-l4 per replica (manifests/app.yaml:41); Cloud Run gives one GPU per instance',
    );
  });

  it('counts a GPU named only by a node selector or an operator field', () => {
    const bySelector = {
      count: 1,
      resource: null,
      model: 'nvidia-tesla-t4',
      evidence: ['node-selector' as const],
      source: src(30, 'spec.template.spec.nodeSelector'),
    };
    const [selector] = gpuRequired.check(workload({ resources: { gpu: bySelector } }), context());
    expect(selector).toMatchObject({ severity: 'block', targets: ['aws-lambda', 'azure-functions'] });
    expect(selector!.message).toContain(
      'needs a GPU node (node selector nvidia-tesla-t4) per replica (manifests/app.yaml:30 (spec.template.spec.nodeSelector))',
    );

    const byInstanceType = {
      count: 0,
      resource: null,
      model: 'Standard_NC6s_v3',
      evidence: ['instance-type' as const],
      source: src(7),
    };
    const [instance] = gpuRequired.check(workload({ resources: { gpu: byInstanceType } }), context());
    expect(instance).toMatchObject({ severity: 'block', targets: ['aws-lambda', 'azure-functions'] });
    expect(instance!.message).toContain('a GPU VM on Standard_NC6s_v3 per replica (manifests/app.yaml:7)');
  });

  it('blocks Cloud Run for accelerators other than NVIDIA', () => {
    const findings = gpuRequired.check(
      workload({ resources: { gpu: { ...l4, resource: 'amd.com/gpu', model: null } } }),
      context(),
    );
    expect(findings[1]).toMatchObject({ severity: 'block', targets: ['cloud-run'] });
    expect(findings[1]!.message).toContain(
      '1 amd.com/gpu per replica (manifests/app.yaml:41); Cloud Run offers NVIDIA GPUs only',
    );
  });

  it('finds GPUs in a component such as a Ray worker group', () => {
    const worker = {
      name: 'gpu-group',
      role: 'worker',
      replicas: 1,
      minReplicas: 1,
      maxReplicas: 1,
      pod: pod(),
      resources: { cpuMillis: 8_000, memoryBytes: 32 * GiB, gpu: l4 },
    };
    const [block] = gpuRequired.check(workload({ components: [worker] }), context());
    expect(block!.message).toContain('per replica in component gpu-group (manifests/app.yaml:41)');
  });

  it('stays silent on a CPU-only workload and only notes a GPU toleration', () => {
    expect(gpuRequired.check(workload(), context())).toEqual([]);
    const tolerates = gpuRequired.check(
      workload({ resources: { gpu: { ...noGpu(), evidence: ['toleration'] } } }),
      context(),
    );
    expect(tolerates.map((finding) => finding.severity)).toEqual(['info']);
    expect(tolerates[0]!.message).toContain('tolerates GPU nodes but requests no GPU (manifests/app.yaml:1)');
  });
});
