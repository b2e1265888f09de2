import { describe, expect, it } from 'vitest';
import type { RelatedObject } from '../../core/model/index.ts';
import { stateful } from './stateful.ts';
import { container, context, pod, src, workload } from './test-helpers.ts';

const dataVolume = {
  name: 'data',
  source: { type: 'pvc' as const, claimName: 'data', readOnly: false },
  sourceRef: src(40, 'spec.template.spec.volumes.0'),
};
const mountsData = (readOnly: boolean) =>
  pod({
    containers: [container({ volumeMounts: [{ name: 'data', mountPath: '/data', readOnly }] })],
    volumes: [dataVolume],
  });

function related(kind: string, name: string, line: number): RelatedObject {
  return {
    id: `default/${kind}/${name}`,
    kind,
    apiVersion: 'v1',
    namespace: 'default',
    name,
    source: src(line),
    role: kind === 'Service' ? 'service' : 'storage',
    attachedTo: ['default/Deployment/app'],
    link: null,
  };
}

describe('stateful', () => {
  it('keeps a StatefulSet with volumeClaimTemplates on the cluster', () => {
    const set = workload({
      kind: 'StatefulSet',
      state: { statefulSet: true, writablePvcs: ['cache (volumeClaimTemplate)'] },
    });
    const findings = stateful.check(set, context());
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: 'stateful', severity: 'block', targets: [] });
    expect(findings[0]!.message).toContain(
      'StatefulSet writes persistent volumes at run time: cache (volumeClaimTemplate) (manifests/app.yaml:1)',
    );
  });

  it('blocks a Deployment that writes a PVC, naming the volume', () => {
    const findings = stateful.check(
      workload({ pod: mountsData(false), state: { writablePvcs: ['data'] } }),
      context({ related: [related('PersistentVolumeClaim', 'data', 3)] }),
    );
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      severity: 'block',
      targets: [],
      source: src(40, 'spec.template.spec.volumes.0'),
    });
    expect(findings[0]!.message).toContain(
      'writes persistent volumes at run time: data (manifests/app.yaml:40 (spec.template.spec.volumes.0))',
    );
  });

  it('warns on a StatefulSet without claims, on session affinity, and on a read-write claim not in the input', () => {
    const set = stateful.check(
      workload({ kind: 'StatefulSet', state: { statefulSet: true, writablePvcs: [] } }),
      context(),
    );
    expect(set.map((finding) => finding.severity)).toEqual(['warn']);
    expect(set[0]!.message).toContain('StatefulSet (manifests/app.yaml:1) without writable volumes');

    const sticky = stateful.check(
      workload({ serving: { sessionAffinity: true }, related: ['default/Service/app'] }),
      context({ related: [related('Service', 'app', 60)] }),
    );
    expect(sticky).toMatchObject([{ severity: 'warn', targets: [], source: src(60) }]);
    expect(sticky[0]!.message).toContain('session affinity pins clients to one pod (manifests/app.yaml:60)');

    const unknown = stateful.check(workload({ pod: mountsData(false) }), context());
    expect(unknown).toMatchObject([{ severity: 'warn', targets: [] }]);
    expect(unknown[0]!.message).toContain(
      'PVC data is mounted read-write (manifests/app.yaml:40 (spec.template.spec.volumes.0)) and is not in the input',
    );
  });

  it('stays silent on stateless workloads and read-only or known read-only claims', () => {
    expect(stateful.check(workload(), context())).toEqual([]);
    expect(stateful.check(workload({ pod: mountsData(true) }), context())).toEqual([]);
    expect(
      stateful.check(
        workload({ pod: mountsData(false) }),
        context({ related: [related('PersistentVolumeClaim', 'data', 3)] }),
      ),
    ).toEqual([]);
  });
});
