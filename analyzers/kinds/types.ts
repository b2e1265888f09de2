import type { Autoscaling, RelatedObject, SourceRef, Workload } from '../../core/model/index.ts';
import type { ManifestObject } from '../sources/index.ts';

/**
 * A kind reader turns one manifest object of the kinds it matches into a workload, a related object, or
 * a reasoned skip. Readers are pure and never throw on user input: a field they cannot use becomes a
 * note on the workload (or a `QuantityError` caught by the analyzer and reported with file and line).
 */
export interface KindReader {
  /** Equals the file name: `deployment` for deployment.ts. */
  id: string;
  title: string;
  /** API group ('' for core) with the versions understood, and the kind. */
  matches: { group: string; versions: readonly string[]; kind: string }[];
  read(object: ManifestObject, context: ReadContext): ReadResult;
}

export interface ReadContext {
  /** `namespace` from metadata, or the default the user chose. */
  namespaceOf(object: ManifestObject): string;
  /** Reports a bad field value (a malformed quantity, say) as an input error; reading goes on. */
  reportError(source: SourceRef, message: string): void;
}

/** What a related object asks the linker to do. */
export interface LinkRequest {
  /** An autoscaler: attach to the workload named by scaleTargetRef, merging its autoscaling. */
  scaleTarget?: {
    kind: string;
    name: string;
    apiVersion: string | null;
    autoscaling: Autoscaling;
    /** KEDA trigger authentications the autoscaler uses, so they attach to the same workload. */
    authenticationRefs?: { kind: string; name: string }[];
  };
  /** A Service: attach to workloads whose pod labels match. */
  selector?: Record<string, string>;
  /** A Service with `sessionAffinity: ClientIP` pins clients to pods. */
  sessionAffinity?: boolean;
  /** An Ingress or route: attach to the workloads behind these Services. */
  serviceNames?: string[];
  /** A PVC: its requested size and access modes, so workloads mounting it learn the model size. */
  storage?: { sizeBytes: number | null; accessModes: string[]; sizeSource: SourceRef };
  /** A KServe ServingRuntime: model formats it serves, so InferenceServices can resolve their runtime. */
  runtime?: { formats: string[]; image: string | null; cluster: boolean };
  /** A KEDA (Cluster)TriggerAuthentication: attach through the autoscalers whose triggers name it. */
  authentication?: { cluster: boolean };
  /** Attach to these workloads by kind and name in the same namespace (an InferenceGraph's steps). */
  workloadRefs?: { kind: string; name: string }[];
  /** A ServiceAccount: attach to the workloads whose pods run as it. */
  serviceAccount?: boolean;
  /** A Namespace: attach to the workloads in it. */
  namespaceMembers?: boolean;
  /** A PersistentVolume: attach to the workloads mounting the claim it is bound to. */
  claimRef?: { namespace: string; name: string } | null;
}

export type ReadResult =
  | { type: 'workload'; workload: Workload }
  | { type: 'related'; related: Omit<RelatedObject, 'attachedTo' | 'link'>; link?: LinkRequest }
  | { type: 'skipped'; reason: string };

export function apiGroupAndVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.lastIndexOf('/');
  return slash === -1
    ? { group: '', version: apiVersion }
    : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}
