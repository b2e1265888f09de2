import { podControllerReader } from './common/pod-kind.ts';

/** One pod per node: its replica count is the node count, which manifests do not say. */
export const daemonset = podControllerReader({
  id: 'daemonset',
  title: 'DaemonSet (apps/v1)',
  kind: 'DaemonSet',
  group: 'apps',
  versions: ['v1', 'v1beta2'],
  templatePath: ['spec', 'template'],
  replicasPath: null,
  defaultReplicas: null,
});
