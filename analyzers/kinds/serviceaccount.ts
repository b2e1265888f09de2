import { relatedIdentity } from './common/related.ts';
import type { KindReader } from './types.ts';

/**
 * A ServiceAccount is the pod's cloud identity (workload identity, IRSA, RRSA): a serverless target needs
 * an equivalent role, so it attaches to the workloads whose pods run as it. Its annotations name roles,
 * never secrets, and are not copied.
 */
export const serviceaccount: KindReader = {
  id: 'serviceaccount',
  title: 'ServiceAccount (v1)',
  matches: [{ group: '', versions: ['v1'], kind: 'ServiceAccount' }],
  read(object, context) {
    return {
      type: 'related',
      related: relatedIdentity(object, context, 'auth'),
      link: { serviceAccount: true },
    };
  },
};
