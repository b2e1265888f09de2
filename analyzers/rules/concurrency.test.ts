import { describe, expect, it } from 'vitest';
import { concurrency } from './concurrency.ts';
import { context, GiB, noGpu, src, workload } from './test-helpers.ts';

const serving = (containerConcurrency: number | null) => ({
  containerConcurrency,
  source: src(14, 'spec.template.spec.containerConcurrency'),
});

describe('concurrency', () => {
  it('explains that each concurrent request becomes its own Lambda environment', () => {
    const findings = concurrency.check(
      workload({ serving: serving(10), resources: { cpuMillis: 2_000 } }),
      context(),
    );
    expect(findings.map((finding) => [finding.severity, finding.targets])).toEqual([
      ['info', ['aws-lambda']],
      ['info', ['azure-functions']],
    ]);
    expect(findings[0]!.message).toContain(
      'serves 10 concurrent requests per replica (manifests/app.yaml:14 (spec.template.spec.containerConcurrency))',
    );
    expect(findings[0]!.message).toContain('its own copy of the model in memory');
    expect(findings[1]!.message).toContain(
      'Flex Consumption sets HTTP per-instance concurrency by instance size (values not in our sources)',
    );
  });

  it("warns above Cloud Run's 1,000 per instance and notes unlimited concurrency", () => {
    const over = concurrency
      .check(workload({ serving: serving(2_000) }), context())
      .find((finding) => finding.targets.includes('cloud-run'));
    expect(over).toMatchObject({ severity: 'warn' });
    expect(over!.message).toContain('serves 2,000 concurrent requests per replica (manifests/app.yaml:14');
    expect(over!.message).toContain('allows at most 1,000 per instance (default 80)');
    const unlimited = concurrency
      .check(workload({ serving: serving(0) }), context())
      .find((finding) => finding.targets.includes('cloud-run'));
    expect(unlimited).toMatchObject({ severity: 'info' });
    expect(unlimited!.message).toContain(
      'unlimited concurrent requests per replica (containerConcurrency 0) (manifests/app.yaml:14',
    );
  });

  it('notes that Cloud Run needs concurrency 1 below 1 vCPU', () => {
    const small = workload({
      serving: serving(4),
      resources: { cpuMillis: 500, memoryBytes: GiB, gpu: noGpu() },
    });
    const note = concurrency.check(small, context()).find((finding) => finding.targets.includes('cloud-run'));
    expect(note).toMatchObject({ severity: 'info' });
    expect(note!.message).toContain(
      'serves 4 concurrent requests per replica (manifests/app.yaml:14 (spec.template.spec.containerConcurrency)) on 500m',
    );
    expect(note!.message).toContain('requires concurrency 1 below 1 vCPU');
  });

  it('does not cite the SLO annotation as evidence when serving.source points at it', () => {
    const shared = workload({
      serving: {
        containerConcurrency: 8,
        sloMs: 150,
        source: src(9, 'metadata.annotations.migrate.dev/slo-ms'),
      },
    });
    const [lambda] = concurrency.check(shared, context());
    expect(lambda!.source).toEqual(src(1));
    expect(lambda!.message).toContain('serves 8 concurrent requests per replica (manifests/app.yaml:1)');
  });

  it('stays silent without a declared concurrency or at one request per replica', () => {
    expect(concurrency.check(workload(), context())).toEqual([]);
    expect(concurrency.check(workload({ serving: serving(1) }), context())).toEqual([]);
  });
});
