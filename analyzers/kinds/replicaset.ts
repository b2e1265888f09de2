import { podControllerReader } from './common/pod-kind.ts';

export const replicaset = podControllerReader({
  id: 'replicaset',
  title: 'ReplicaSet (apps/v1)',
  kind: 'ReplicaSet',
  group: 'apps',
  versions: ['v1', 'v1beta2'],
  templatePath: ['spec', 'template'],
  replicasPath: ['spec', 'replicas'],
  defaultReplicas: 1,
});
