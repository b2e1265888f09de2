import { record, stringMap } from './common/fields.ts';
import { relatedIdentity } from './common/related.ts';
import type { KindReader } from './types.ts';

export const service: KindReader = {
  id: 'service',
  title: 'Service (v1)',
  matches: [{ group: '', versions: ['v1'], kind: 'Service' }],
  read(object, context) {
    const spec = record(object.obj.spec);
    return {
      type: 'related',
      related: relatedIdentity(object, context, 'service'),
      link: { selector: stringMap(spec.selector), sessionAffinity: spec.sessionAffinity === 'ClientIP' },
    };
  },
};
