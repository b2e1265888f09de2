import { list, record, text } from './common/fields.ts';
import { readPodSpec } from './common/pod-template.ts';
import { buildWorkload } from './common/workload.ts';
import type { KindReader } from './types.ts';

export const pod: KindReader = {
  id: 'pod',
  title: 'Pod (v1)',
  matches: [{ group: '', versions: ['v1'], kind: 'Pod' }],
  read(object, context) {
    const spec = readPodSpec(object, ['spec'], ['metadata', 'labels'], context);
    const workload = buildWorkload(object, context, { pod: spec, replicas: 1, podPath: ['spec'] });
    const restart = text(record(object.obj.spec).restartPolicy);
    if (restart === 'Never' || restart === 'OnFailure') {
      workload.notes.push({
        message: `a run-to-completion pod (restartPolicy ${restart}), not a server`,
        source: object.locate(['spec', 'restartPolicy']),
      });
    }
    if (list(record(object.obj.spec).containers).length === 0) {
      workload.notes.push({ message: 'pod has no containers', source: object.locate(['spec']) });
    }
    return { type: 'workload', workload };
  },
};
