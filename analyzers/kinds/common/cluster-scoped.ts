import type { RelatedObject } from '../../../core/model/index.ts';
import type { ManifestObject } from '../../sources/index.ts';
import type { ReadContext } from '../types.ts';
import { relatedIdentity } from './related.ts';

/**
 * Identity of a cluster-scoped object (Namespace, PersistentVolume, ClusterServingRuntime…): Kubernetes
 * ignores any namespace written on it, so the id carries none and cannot collide with a namespaced one.
 */
export function clusterScopedIdentity(
  object: ManifestObject,
  context: ReadContext,
  role: RelatedObject['role'],
): Omit<RelatedObject, 'attachedTo' | 'link'> {
  const identity = relatedIdentity(object, context, role);
  return { ...identity, namespace: '', id: `${identity.kind}/${identity.name}` };
}
