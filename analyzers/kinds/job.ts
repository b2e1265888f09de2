import { podControllerReader } from './common/pod-kind.ts';

/** A batch Job runs to completion; `parallelism` is its width. */
export const job = podControllerReader({
  id: 'job',
  title: 'Job (batch/v1)',
  kind: 'Job',
  group: 'batch',
  versions: ['v1'],
  templatePath: ['spec', 'template'],
  replicasPath: ['spec', 'parallelism'],
  defaultReplicas: 1,
});
