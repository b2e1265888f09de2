import { clusterScopedIdentity } from './common/cluster-scoped.ts';
import type { KindReader } from './types.ts';

/** A Namespace carries no workload facts; it is listed so the inventory accounts for it. */
export const namespace: KindReader = {
  id: 'namespace',
  title: 'Namespace (v1)',
  matches: [{ group: '', versions: ['v1'], kind: 'Namespace' }],
  read(object, context) {
    return {
      type: 'related',
      related: clusterScopedIdentity(object, context, 'other'),
      link: { namespaceMembers: true },
    };
  },
};
