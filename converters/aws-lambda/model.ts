import type { WorkloadReport } from '../../analyzers/report.ts';
import { formatSource, type RelatedObject } from '../../core/model/index.ts';
import { mainContainers } from '../common/environment.ts';
import { NAME_RULES, sanitizeName } from '../common/names.ts';
import { DEFAULT_TMP_MB, MAX_TMP_MB } from './sizing.ts';

/**
 * Where the model lives once the workload is a Lambda function:
 * - `efs`: it was on a PersistentVolumeClaim: an EFS access point takes the volume's place;
 * - `tmp`: it is downloaded at start-up (object store, Hugging Face, URL): staged in /tmp, sized by
 *   EphemeralStorage when the model's size is known;
 * - `image`: it ships in an image (OCI model image, or a path not on any volume): bake it in;
 * - `unknown`: the manifests do not say.
 */
export type ModelPlacement =
  | {
      kind: 'efs';
      volume: string;
      claim: string | null;
      mountPath: string;
      localMountPath: string;
      sizeBytes: number | null;
    }
  | {
      kind: 'tmp';
      uri: string;
      scheme: 's3' | 'gcs' | 'hf' | 'http' | 'azure' | 'other';
      sizeBytes: number | null;
    }
  | { kind: 'image'; uri: string }
  | { kind: 'unknown'; uri: string | null };

const MiB = 2 ** 20;

export function modelPlacement(workload: WorkloadReport, related: readonly RelatedObject[]): ModelPlacement {
  const model = workload.ml.model;
  const uri = model?.uri ?? null;
  if (uri === null) return { kind: 'unknown', uri };
  const size = model?.sizeBytes ?? null;
  if (uri.startsWith('pvc://')) {
    const claim = uri.slice('pvc://'.length).split('/')[0] ?? 'model';
    return {
      kind: 'efs',
      volume: claim,
      claim,
      mountPath: uri,
      localMountPath: mountPathFor(claim),
      sizeBytes: size,
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
    if (mount && (model?.sizeEvidence === 'pvc' || claim)) {
      return {
        kind: 'efs',
        volume: mount.name,
        claim: claim?.name ?? null,
        mountPath: mount.mountPath,
        localMountPath: mountPathFor(mount.name),
        sizeBytes: size,
      };
    }
    return { kind: 'image', uri };
  }
  if (/^oci(\+native)?:\/\//.test(uri)) return { kind: 'image', uri };
  const scheme = uri.startsWith('s3://')
    ? 's3'
    : uri.startsWith('gs://')
      ? 'gcs'
      : uri.startsWith('hf://') || /^[A-Za-z0-9][\w.-]*\/[\w.-]+$/.test(uri)
        ? 'hf'
        : /^(wasbs?|abfss?):\/\/|^https:\/\/[^/]+\.blob\.core\.windows\.net\//.test(uri)
          ? 'azure'
          : /^https?:\/\//.test(uri)
            ? 'http'
            : null;
  if (scheme === null) return { kind: 'unknown', uri };
  return { kind: 'tmp', uri, scheme, sizeBytes: size };
}

/** Lambda mounts file systems under /mnt only (FileSystemConfig.LocalMountPath pattern ^/mnt/[a-zA-Z0-9-_.]+$). */
function mountPathFor(name: string): string {
  return `/mnt/${sanitizeName(name, NAME_RULES.slug) || 'model'}`;
}

/** EphemeralStorage for a model staged in /tmp: the model plus the 512 MB Lambda gives by default. */
export function ephemeralStorage(
  workload: WorkloadReport,
  placement: ModelPlacement,
): { mb: number; source: string } | null {
  if (placement.kind !== 'tmp' || placement.sizeBytes === null) return null;
  const modelMb = Math.ceil(placement.sizeBytes / MiB);
  const wanted = modelMb + DEFAULT_TMP_MB;
  const mb = Math.min(MAX_TMP_MB, wanted);
  const sizeFrom = workload.ml.model?.sizeSource ? ` (${formatSource(workload.ml.model.sizeSource)})` : '';
  return {
    mb,
    source: `the model is downloaded into /tmp at start-up: its size ${modelMb.toLocaleString('en-US')} MB${sizeFrom} + the ${DEFAULT_TMP_MB} MB Lambda gives by default for everything else${wanted > MAX_TMP_MB ? `, clamped to the ${MAX_TMP_MB.toLocaleString('en-US')} MB maximum` : ''} (/tmp 512–10,240 MB, platform-facts.md e.1)`,
  };
}
