import { list, record, text } from './common/fields.ts';
import { podControllerReader } from './common/pod-kind.ts';

/** A StatefulSet keeps identity and, through volumeClaimTemplates, per-replica disks written at run time. */
export const statefulset = podControllerReader({
  id: 'statefulset',
  title: 'StatefulSet (apps/v1)',
  kind: 'StatefulSet',
  group: 'apps',
  versions: ['v1', 'v1beta1', 'v1beta2'],
  templatePath: ['spec', 'template'],
  replicasPath: ['spec', 'replicas'],
  defaultReplicas: 1,
  refine(workload, obj) {
    workload.state.statefulSet = true;
    const claims = list(record(obj.spec).volumeClaimTemplates)
      .map((claim) => text(record(record(claim).metadata).name))
      .filter((name): name is string => name !== null);
    workload.state.writablePvcs.push(...claims.map((name) => `${name} (volumeClaimTemplate)`));
  },
});
