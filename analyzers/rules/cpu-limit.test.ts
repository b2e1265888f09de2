import { describe, expect, it } from 'vitest';
import { cpuLimit } from './cpu-limit.ts';
import { container, context, GiB, noGpu, pod, src, workload } from './test-helpers.ts';

function withCpu(cpuMillis: number) {
  const server = container({
    requests: { cpuMillis, memoryBytes: GiB },
    source: src(24, 'spec.template.spec.containers.0'),
  });
  return workload({
    resources: { cpuMillis, memoryBytes: GiB, gpu: noGpu() },
    pod: pod({ containers: [server] }),
  });
}

describe('cpu-limit', () => {
  it('blocks every target whose largest instance has fewer cores', () => {
    const findings = cpuLimit.check(withCpu(10_000), context());
    expect(findings.map((finding) => [finding.severity, finding.targets])).toEqual([
      ['block', ['aws-lambda']],
      ['block', ['cloud-run']],
      ['block', ['azure-functions']],
    ]);
    expect(findings[0]!.message).toBe(
      "needs 10 vCPU per replica (manifests/app.yaml:24 (spec.template.spec.containers.0)); AWS Lambda's maximum is 6 vCPUs",
    );
    expect(findings[1]!.message).toContain("Google Cloud Run's maximum is 8 vCPU");
    expect(findings[2]!.message).toContain("Azure Functions' maximum is 4 cores (Premium EP3)");
  });

  it('warns for Azure above Flex Consumption and sizes Lambda memory for the CPU', () => {
    const findings = cpuLimit.check(withCpu(3_000), context());
    expect(findings.map((finding) => [finding.severity, finding.targets])).toEqual([
      ['info', ['aws-lambda']],
      ['warn', ['azure-functions']],
    ]);
    expect(findings[0]!.message).toContain('needs 3 vCPU per replica (manifests/app.yaml:24');
    expect(findings[0]!.message).toContain('1,769 MB per vCPU), so configure at least 5,307 MB');
    expect(findings[1]!.message).toContain(
      "above Flex Consumption's largest instance (2 cores): only the Premium plan fits it (from Premium EP3: 4 cores, 14 GB)",
    );
  });

  it('says when CPU is unknown', () => {
    const findings = cpuLimit.check(
      workload({ resources: { cpuMillis: null, memoryBytes: null, gpu: noGpu() } }),
      context(),
    );
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity: 'info', targets: [] });
    expect(findings[0]!.message).toContain('no CPU request or limit (manifests/app.yaml:20');
  });

  it('stays silent on one vCPU or less', () => {
    expect(cpuLimit.check(withCpu(1_000), context())).toEqual([]);
    expect(cpuLimit.check(withCpu(250), context())).toEqual([]);
  });
});
