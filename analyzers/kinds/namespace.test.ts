import { describe, expect, it } from 'vitest';
import { analyseText, relatedById } from './common/testing.ts';

describe('namespace', () => {
  it('is a cluster-scoped related object attached to the workloads in it', () => {
    const analysed = analyseText(`
apiVersion: v1
kind: Namespace
metadata: { name: serving }
---
apiVersion: v1
kind: Namespace
metadata: { name: empty }
---
apiVersion: v1
kind: Pod
metadata: { name: p, namespace: serving }
spec: { containers: [{ name: c, image: example/c }] }
`);
    expect(relatedById(analysed, 'Namespace/serving')).toMatchObject({
      role: 'other',
      namespace: '',
      attachedTo: ['serving/Pod/p'],
    });
    expect(relatedById(analysed, 'Namespace/empty')).toMatchObject({
      attachedTo: [],
      link: 'no workload in the input is in this namespace',
    });
    expect(analysed.skipped).toEqual([]);
  });
});
