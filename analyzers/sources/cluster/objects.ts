import type { SkippedObject, SourceRef } from '../../../core/model/index.ts';
import { isPlainObject } from '../parse.ts';
import type { ManifestObject } from '../types.ts';
import { apiVersionOf, type ClusterResource, sourceKindOf } from './resources.ts';

/** Written by `kubectl apply`: the whole manifest as applied, so on a Secret it holds the Secret's values. */
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

export interface ClusterObjects {
  objects: ManifestObject[];
  skipped: SkippedObject[];
}

/**
 * Turns the items of one list answer into manifest objects, pure. Items of built-in lists carry no
 * apiVersion or kind (the list does), and metadata-only items say `PartialObjectMetadata`, so both are
 * set from the resource asked for. What a cluster adds and a manifest never has is dropped —
 * managedFields and kubectl's last-applied copy (which repeats a Secret's values) — and a Secret keeps
 * nothing but its metadata, whatever the server sent. Objects a controller created (a Deployment's
 * ReplicaSets and Pods, the Deployment a KServe or Knative Service made, KEDA's HPA) are listed as
 * skipped: the object that owns them is the one a person wrote, and reading both would count a
 * workload twice.
 */
export function toClusterObjects(
  items: readonly unknown[],
  resource: ClusterResource,
  version: string,
  context: string,
  readKinds: ReadonlySet<string>,
): ClusterObjects {
  const apiVersion = apiVersionOf(resource.group, version);
  const result: ClusterObjects = { objects: [], skipped: [] };
  for (const item of items) {
    if (!isPlainObject(item)) continue;
    const metadata = cleanMetadata(item.metadata);
    const name = typeof metadata.name === 'string' ? metadata.name : null;
    const namespace = typeof metadata.namespace === 'string' ? metadata.namespace : null;
    const file = objectSource(
      context,
      resource.namespaced ? namespace : null,
      sourceKindOf(resource),
      name ?? '?',
    );
    const { apiVersion: _apiVersion, kind: _kind, metadata: _metadata, ...rest } = item;
    const obj: Record<string, unknown> = resource.metadataOnly
      ? { apiVersion, kind: resource.kind, metadata }
      : { apiVersion, kind: resource.kind, metadata, ...rest };
    const owner = controllerOf(metadata);
    if (owner) {
      const ownerKey = `${groupOf(owner.apiVersion)}/${owner.kind}`;
      result.skipped.push({
        source: { file, line: 1 },
        kind: resource.kind,
        apiVersion,
        name,
        reason:
          `created by its controller ${owner.kind} ${owner.name} (metadata.ownerReferences): ` +
          (readKinds.has(ownerKey)
            ? 'the owner is analysed instead'
            : `${owner.kind} (${owner.apiVersion}) is not a kind migrate reads; analyse what created it`),
      });
      continue;
    }
    const locate = (path: readonly (string | number)[]): SourceRef => ({
      file,
      line: 1,
      ...(path.length ? { field: path.join('.') } : {}),
    });
    result.objects.push({ obj, file, line: 1, locate });
  }
  return result;
}

/** `cluster:<context>/<namespace>/<Kind>/<name>`; cluster-scoped objects have no namespace segment. */
export function objectSource(context: string, namespace: string | null, kind: string, name: string): string {
  return `cluster:${context}/${namespace === null ? '' : `${namespace}/`}${kind}/${name}`;
}

/** The label of one list: `cluster:<context>/<namespace or *>/<Kind>`. */
export function listSource(
  context: string,
  namespace: string | null,
  kind: string,
  namespaced: boolean,
): string {
  return `cluster:${context}/${namespaced ? `${namespace ?? '*'}/` : ''}${kind}`;
}

function cleanMetadata(value: unknown): Record<string, unknown> {
  if (!isPlainObject(value)) return {};
  const { managedFields: _managedFields, ...metadata } = value;
  if (isPlainObject(metadata.annotations) && LAST_APPLIED in metadata.annotations) {
    const { [LAST_APPLIED]: _lastApplied, ...annotations } = metadata.annotations;
    if (Object.keys(annotations).length > 0) metadata.annotations = annotations;
    else delete metadata.annotations;
  }
  return metadata;
}

function controllerOf(
  metadata: Record<string, unknown>,
): { kind: string; name: string; apiVersion: string } | null {
  const references = Array.isArray(metadata.ownerReferences) ? metadata.ownerReferences : [];
  for (const reference of references) {
    if (
      isPlainObject(reference) &&
      reference.controller === true &&
      typeof reference.kind === 'string' &&
      typeof reference.name === 'string'
    ) {
      return {
        kind: reference.kind,
        name: reference.name,
        apiVersion: typeof reference.apiVersion === 'string' ? reference.apiVersion : '',
      };
    }
  }
  return null;
}

function groupOf(apiVersion: string): string {
  const slash = apiVersion.lastIndexOf('/');
  return slash === -1 ? '' : apiVersion.slice(0, slash);
}
