import { podControllerReader } from './common/pod-kind.ts';

export const cronjob = podControllerReader({
  id: 'cronjob',
  title: 'CronJob (batch/v1)',
  kind: 'CronJob',
  group: 'batch',
  versions: ['v1', 'v1beta1'],
  templatePath: ['spec', 'jobTemplate', 'spec', 'template'],
  replicasPath: ['spec', 'jobTemplate', 'spec', 'parallelism'],
  defaultReplicas: 1,
});
