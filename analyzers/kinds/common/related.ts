import type { RelatedObject } from '../../../core/model/index.ts';
import type { ManifestObject } from '../../sources/index.ts';
import type { ReadContext } from '../types.ts';
import { metadataOf, text } from './fields.ts';
import { workloadId } from './workload.ts';

/** The identity every related object carries; readers add what it links to. */
export function relatedIdentity(
  object: ManifestObject,
  context: ReadContext,
  role: RelatedObject['role'],
): Omit<RelatedObject, 'attachedTo' | 'link'> {
  const kind = text(object.obj.kind) ?? '';
  const namespace = context.namespaceOf(object);
  const name = metadataOf(object.obj).name ?? '(unnamed)';
  return {
    id: workloadId(namespace, kind, name),
    kind,
    apiVersion: text(object.obj.apiVersion) ?? '',
    namespace,
    name,
    source: { file: object.file, line: object.line },
    role,
  };
}
