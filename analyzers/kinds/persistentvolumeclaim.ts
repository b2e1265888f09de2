import { record, strings } from './common/fields.ts';
import { quantityOrReport } from './common/pod-template.ts';
import { relatedIdentity } from './common/related.ts';
import type { KindReader } from './types.ts';

/** A PVC's requested size is an upper bound on the model it holds; its access modes say who writes it. */
export const persistentvolumeclaim: KindReader = {
  id: 'persistentvolumeclaim',
  title: 'PersistentVolumeClaim (v1)',
  matches: [{ group: '', versions: ['v1'], kind: 'PersistentVolumeClaim' }],
  read(object, context) {
    const spec = record(object.obj.spec);
    const path = ['spec', 'resources', 'requests', 'storage'];
    const sizeBytes = quantityOrReport(
      record(record(spec.resources).requests).storage,
      object,
      path,
      context,
    );
    return {
      type: 'related',
      related: relatedIdentity(object, context, 'storage'),
      link: {
        storage: { sizeBytes, accessModes: strings(spec.accessModes), sizeSource: object.locate(path) },
      },
    };
  },
};
