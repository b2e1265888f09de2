import { podControllerReader } from './common/pod-kind.ts';

export const deployment = podControllerReader({
  id: 'deployment',
  title: 'Deployment (apps/v1)',
  kind: 'Deployment',
  group: 'apps',
  versions: ['v1', 'v1beta1', 'v1beta2'],
  templatePath: ['spec', 'template'],
  replicasPath: ['spec', 'replicas'],
  defaultReplicas: 1,
});
