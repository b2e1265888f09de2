import { clusterScopedIdentity } from './common/cluster-scoped.ts';
import { record, text } from './common/fields.ts';
import type { KindReader } from './types.ts';

/** A PersistentVolume attaches through the claim it is bound to; sizes are read from the claim. */
export const persistentvolume: KindReader = {
  id: 'persistentvolume',
  title: 'PersistentVolume (v1)',
  matches: [{ group: '', versions: ['v1'], kind: 'PersistentVolume' }],
  read(object, context) {
    const claim = record(record(object.obj.spec).claimRef);
    const name = text(claim.name);
    const claimRef = name ? { namespace: text(claim.namespace) ?? context.namespaceOf(object), name } : null;
    return {
      type: 'related',
      related: clusterScopedIdentity(object, context, 'storage'),
      link: { claimRef },
    };
  },
};
