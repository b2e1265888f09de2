import { record } from './common/fields.ts';
import { relatedIdentity } from './common/related.ts';
import type { KindReader } from './types.ts';

export const configmap: KindReader = {
  id: 'configmap',
  title: 'ConfigMap (v1)',
  matches: [{ group: '', versions: ['v1'], kind: 'ConfigMap' }],
  read(object, context) {
    const keys = [
      ...Object.keys(record(object.obj.data)),
      ...Object.keys(record(object.obj.binaryData)),
    ].sort();
    return { type: 'related', related: { ...relatedIdentity(object, context, 'config'), keys } };
  },
};
