import { describe, expect, it } from 'vitest';
import { latencySlo } from './latency-slo.ts';
import { context, modelServer, src, workload } from './test-helpers.ts';

const annotated = (sloMs: number) => ({ sloMs, source: src(6, 'metadata.annotations.migrate.dev/slo-ms') });

describe('latency-slo', () => {
  it('keeps a workload with an SLO under 10 ms on the cluster', () => {
    const findings = latencySlo.check(workload({ serving: annotated(5) }), context());
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      rule: 'latency-slo',
      severity: 'block',
      targets: [],
      source: src(6, 'metadata.annotations.migrate.dev/slo-ms'),
    });
    expect(findings[0]!.message).toBe(
      'latency SLO is 5 ms (manifests/app.yaml:6 (metadata.annotations.migrate.dev/slo-ms)); under 10 ms the workload stays on the cluster (decision-rules.md)',
    );
  });

  it('warns a model server with an SLO under 100 ms about cold starts, from --slo-ms too', () => {
    const own = latencySlo.check(modelServer({ serving: annotated(50) }), context());
    expect(own).toMatchObject([{ severity: 'warn', targets: [] }]);
    expect(own[0]!.message).toContain('latency SLO is 50 ms (manifests/app.yaml:6');
    expect(own[0]!.message).toContain('Lambda Init up to 10 s');
    const flag = latencySlo.check(modelServer(), context({ sloMs: 80 }));
    expect(flag).toMatchObject([{ severity: 'warn', source: null }]);
    expect(flag[0]!.message).toContain('latency SLO is 80 ms (--slo-ms)');
  });

  it('names the SLO annotation even when serving.source points at another serving field', () => {
    const shared = workload({
      serving: { sloMs: 5, containerConcurrency: 8, source: src(14, 'spec.predictor.containerConcurrency') },
    });
    const [finding] = latencySlo.check(shared, context());
    expect(finding!.source).toEqual(src(1, 'metadata.annotations.migrate.dev/slo-ms'));
    expect(finding!.message).toContain(
      'latency SLO is 5 ms (manifests/app.yaml:1 (metadata.annotations.migrate.dev/slo-ms))',
    );
  });

  it("lets the workload's own SLO win over --slo-ms", () => {
    expect(latencySlo.check(workload({ serving: annotated(500) }), context({ sloMs: 5 }))).toEqual([]);
  });

  it('stays silent without an SLO, above 100 ms, or under 100 ms without a model server', () => {
    expect(latencySlo.check(modelServer(), context())).toEqual([]);
    expect(latencySlo.check(modelServer({ serving: annotated(250) }), context())).toEqual([]);
    expect(latencySlo.check(workload({ serving: annotated(50) }), context())).toEqual([]);
  });
});
