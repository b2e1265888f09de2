import { describe, expect, it } from 'vitest';
import { hostAccess } from './host-access.ts';
import { container, context, pod, src, workload } from './test-helpers.ts';

describe('host-access', () => {
  it('blocks every target, naming each use of the host', () => {
    const hostPod = pod({
      hostNetwork: true,
      hostPID: true,
      volumes: [
        {
          name: 'models',
          source: { type: 'hostPath', path: '/mnt/models' },
          sourceRef: src(50, 'spec.template.spec.volumes.0'),
        },
      ],
      containers: [
        container({ name: 'agent', privileged: true, source: src(22, 'spec.template.spec.containers.0') }),
      ],
    });
    const findings = hostAccess.check(workload({ pod: hostPod }), context());
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      rule: 'host-access',
      severity: 'block',
      targets: ['aws-lambda', 'cloud-run', 'azure-functions'],
    });
    const message = findings[0]!.message;
    expect(message).toContain('hostNetwork (manifests/app.yaml:1)');
    expect(message).toContain('hostPID (manifests/app.yaml:1)');
    expect(message).toContain(
      'hostPath volume models (/mnt/models) (manifests/app.yaml:50 (spec.template.spec.volumes.0))',
    );
    expect(message).toContain(
      'privileged main container agent (manifests/app.yaml:22 (spec.template.spec.containers.0))',
    );
  });

  it('stays silent on a sandboxed pod', () => {
    const plain = pod({
      volumes: [
        { name: 'tmp', source: { type: 'emptyDir', medium: null, sizeLimitBytes: null }, sourceRef: src(50) },
      ],
    });
    expect(hostAccess.check(workload({ pod: plain }), context())).toEqual([]);
  });
});
