import { describe, expect, it } from 'vitest';
import { analyseText, relatedById } from './common/testing.ts';

describe('persistentvolume', () => {
  it('attaches through its claimRef to the workloads mounting that claim; without one it says why not', () => {
    const analysed = analyseText(`
apiVersion: v1
kind: PersistentVolume
metadata: { name: models-pv }
spec:
  capacity: { storage: 100Gi }
  accessModes: [ReadOnlyMany]
  claimRef: { namespace: ml, name: models }
  nfs: { server: nfs.example, path: /models }
---
apiVersion: v1
kind: PersistentVolume
metadata: { name: loose }
spec: { capacity: { storage: 1Gi }, hostPath: { path: /data } }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: server, namespace: ml }
spec:
  template:
    spec:
      containers: [{ name: c, image: example/c }]
      volumes: [{ name: m, persistentVolumeClaim: { claimName: models } }]
`);
    expect(relatedById(analysed, 'PersistentVolume/models-pv')).toMatchObject({
      role: 'storage',
      namespace: '',
      attachedTo: ['ml/Deployment/server'],
      link: 'bound to claim ml/models',
    });
    expect(relatedById(analysed, 'PersistentVolume/loose')).toMatchObject({
      attachedTo: [],
      link: 'no spec.claimRef: a claim binds it by volumeName, which is not followed',
    });
  });
});
