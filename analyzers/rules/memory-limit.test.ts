import { describe, expect, it } from 'vitest';
import { memoryLimit } from './memory-limit.ts';
import { container, context, GiB, noGpu, pod, src, workload } from './test-helpers.ts';

function withMemory(bytes: number) {
  const server = container({
    requests: { cpuMillis: 1_000, memoryBytes: bytes },
    source: src(24, 'spec.template.spec.containers.0'),
  });
  return workload({
    resources: { cpuMillis: 1_000, memoryBytes: bytes, gpu: noGpu() },
    pod: pod({ containers: [server] }),
  });
}

describe('memory-limit', () => {
  it('blocks Lambda and Azure Functions above their largest instance', () => {
    const findings = memoryLimit.check(withMemory(24 * GiB), context());
    expect(findings.map((finding) => [finding.severity, finding.targets])).toEqual([
      ['block', ['aws-lambda']],
      ['block', ['azure-functions']],
    ]);
    expect(findings[0]!.message).toBe(
      "needs 24 GiB memory per replica (manifests/app.yaml:24 (spec.template.spec.containers.0)); AWS Lambda's maximum is 10,240 MB",
    );
    expect(findings[1]!.message).toContain("Azure Functions' maximum is 14 GB (Premium EP3)");
  });

  it('blocks Cloud Run above 32 GiB', () => {
    const cloudRun = memoryLimit
      .check(withMemory(40 * GiB), context())
      .find((finding) => finding.targets.includes('cloud-run'));
    expect(cloudRun).toMatchObject({ severity: 'block', source: src(24, 'spec.template.spec.containers.0') });
    expect(cloudRun!.message).toContain('needs 40 GiB memory per replica (manifests/app.yaml:24');
    expect(cloudRun!.message).toContain("Google Cloud Run's maximum is 32 GiB");
  });

  it('warns for Azure Functions above Flex Consumption but within Premium', () => {
    const findings = memoryLimit.check(withMemory(6 * GiB), context());
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity: 'warn', targets: ['azure-functions'] });
    expect(findings[0]!.message).toContain('needs 6 GiB memory per replica (manifests/app.yaml:24');
    expect(findings[0]!.message).toContain(
      "above Flex Consumption's largest instance (4,096 MB): only the Premium plan fits it (from Premium EP2: 2 cores, 7 GB)",
    );
  });

  it('uses the largest pod of the workload, naming its component', () => {
    const worker = {
      name: 'workers',
      role: 'worker',
      replicas: 2,
      minReplicas: 1,
      maxReplicas: 4,
      pod: pod(),
      resources: { cpuMillis: 1_000, memoryBytes: 20 * GiB, gpu: noGpu() },
    };
    const findings = memoryLimit.check(workload({ components: [worker] }), context());
    expect(findings[0]!.message).toContain(
      'needs 20 GiB memory per replica in component workers (manifests/app.yaml:20',
    );
  });

  it('says when memory is unknown', () => {
    const findings = memoryLimit.check(
      workload({ resources: { cpuMillis: null, memoryBytes: null, gpu: noGpu() } }),
      context(),
    );
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity: 'info', targets: [] });
    expect(findings[0]!.message).toContain('no memory request or limit (manifests/app.yaml:20');
  });

  it('stays silent when every target fits the replica', () => {
    expect(memoryLimit.check(withMemory(2 * GiB), context())).toEqual([]);
  });
});
