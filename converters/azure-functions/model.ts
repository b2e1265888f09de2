import type { WorkloadReport } from '../../analyzers/report.ts';
import type { RelatedObject } from '../../core/model/index.ts';
import { mainContainers } from '../common/environment.ts';
import { NAME_RULES, sanitizeName } from '../common/names.ts';

/**
 * Where the model lives once the workload is a function app:
 * - `files`: it was on a PersistentVolumeClaim: an Azure Files share mounted into the app takes the
 *   volume's place (mounted after deployment: the share's account and key are the deployer's);
 * - `download`: it is fetched at start-up (Blob Storage, https, Hugging Face, S3, GCS);
 * - `package`: it ships in an image or at a path on no volume: it goes into the deployment package;
 * - `unknown`: the manifests do not say.
 */
export type ModelPlacement =
  | { kind: 'files'; volume: string; claim: string | null; mountPath: string; modelPath: string }
  | { kind: 'download'; uri: string; scheme: 'azure' | 'http' | 'hf' | 's3' | 'gcs' }
  | { kind: 'package'; uri: string }
  | { kind: 'unknown'; uri: string | null };

export function modelPlacement(workload: WorkloadReport, related: readonly RelatedObject[]): ModelPlacement {
  const model = workload.ml.model;
  const uri = model?.uri ?? null;
  if (uri === null) return { kind: 'unknown', uri };
  if (uri.startsWith('pvc://')) {
    const [claim = 'model', ...rest] = uri.slice('pvc://'.length).split('/');
    // A KServe storageUri names no mount path: the share is mounted under /mounts/<claim>.
    const mountPath = `/mounts/${sanitizeName(claim, NAME_RULES.slug)}`;
    return {
      kind: 'files',
      volume: claim,
      claim,
      mountPath,
      modelPath: [mountPath, ...rest].filter(Boolean).join('/'),
    };
  }
  if (uri.startsWith('/')) {
    const mount = mainContainers(workload)
      .flatMap((container) => container.volumeMounts)
      .filter((entry) => uri === entry.mountPath || uri.startsWith(`${entry.mountPath.replace(/\/$/, '')}/`))
      .sort((a, b) => b.mountPath.length - a.mountPath.length)[0];
    const claim = related.find(
      (object) => object.kind === 'PersistentVolumeClaim' && object.role === 'storage',
    );
    if (mount && (model?.sizeEvidence === 'pvc' || claim))
      return {
        kind: 'files',
        volume: mount.name,
        claim: claim?.name ?? null,
        mountPath: mount.mountPath,
        modelPath: uri,
      };
    return { kind: 'package', uri };
  }
  if (/^oci(\+native)?:\/\//.test(uri)) return { kind: 'package', uri };
  const scheme = uri.startsWith('s3://')
    ? 's3'
    : uri.startsWith('gs://')
      ? 'gcs'
      : /^(wasbs?|abfss?):\/\/|^https:\/\/[^/]+\.blob\.core\.windows\.net\//.test(uri)
        ? 'azure'
        : uri.startsWith('hf://') || /^[A-Za-z0-9][\w.-]*\/[\w.-]+$/.test(uri)
          ? 'hf'
          : /^https?:\/\//.test(uri)
            ? 'http'
            : null;
  return scheme === null ? { kind: 'unknown', uri } : { kind: 'download', uri, scheme };
}

/** A URI the ONNX handler scaffold reads as is: a local path (the Azure Files mount) or https://. */
export function scaffoldModelUri(placement: ModelPlacement): string | null {
  if (placement.kind === 'files') return placement.modelPath;
  if (placement.kind === 'download' && (placement.scheme === 'http' || placement.scheme === 'azure'))
    return placement.uri.startsWith('https://') ? placement.uri : null;
  return null;
}
