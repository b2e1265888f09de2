import { record } from './common/fields.ts';
import { relatedIdentity } from './common/related.ts';
import type { KindReader } from './types.ts';

/**
 * Only the Secret's identity is read. Its `data` and `stringData` values never enter the model, so no
 * output can leak them; workloads refer to it by name.
 */
export const secret: KindReader = {
  id: 'secret',
  title: 'Secret (v1): names and keys only',
  matches: [{ group: '', versions: ['v1'], kind: 'Secret' }],
  read(object, context) {
    const keys = [
      ...Object.keys(record(object.obj.data)),
      ...Object.keys(record(object.obj.stringData)),
    ].sort();
    return { type: 'related', related: { ...relatedIdentity(object, context, 'secret'), keys } };
  },
};
