import { describe, expect, it } from 'vitest';
import { scaleToZero } from './scale-to-zero.ts';
import { context, src, workload } from './test-helpers.ts';

describe('scale-to-zero', () => {
  it('notes, as info, that a KEDA min of 0 already tolerates cold starts', () => {
    const keda = workload({
      autoscaling: {
        kind: 'keda',
        by: 'default/ScaledObject/app',
        minReplicas: 0,
        maxReplicas: 5,
        source: src(12, 'spec.minReplicaCount'),
      },
    });
    const findings = scaleToZero.check(keda, context());
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      rule: 'scale-to-zero',
      severity: 'info',
      targets: [],
      source: src(12, 'spec.minReplicaCount'),
    });
    expect(findings[0]!.message).toBe(
      'already scales to zero: KEDA min replicas 0, max 5 set by default/ScaledObject/app (manifests/app.yaml:12 (spec.minReplicaCount)); it tolerates cold starts today, which favours serverless',
    );
  });

  it('reads scale to zero from the serving settings too', () => {
    const knative = workload({
      serving: {
        scaleToZero: true,
        source: src(8, 'metadata.annotations.autoscaling.knative.dev/min-scale'),
      },
    });
    const [finding] = scaleToZero.check(knative, context());
    expect(finding).toMatchObject({ severity: 'info' });
    expect(finding!.message).toContain('already scales to zero (manifests/app.yaml:8');
  });

  it('stays silent when the workload keeps a replica running', () => {
    expect(
      scaleToZero.check(
        workload({ autoscaling: { kind: 'hpa', minReplicas: 1, maxReplicas: 5 } }),
        context(),
      ),
    ).toEqual([]);
    expect(scaleToZero.check(workload(), context())).toEqual([]);
  });
});
