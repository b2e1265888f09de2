import type { TargetLimits } from '../../core/limits/targets.ts';
import type { Finding, SourceRef, TargetId } from '../../core/model/index.ts';
import {
  at,
  commandLine,
  inComponent,
  podShapes,
  prose,
  reporter,
  sourceOf,
  targetIds,
  truncate,
} from './format.ts';
import type { Rule } from './types.ts';

/** Command lines that fetch a model. */
const DOWNLOAD_COMMAND =
  /\b(huggingface-cli|hf)\s+download\b|snapshot_download|hf_hub_download|\bgsutil\b.*\b(cp|rsync)\b|\bgcloud\s+storage\s+(cp|rsync)\b|\baws\s+s3\s+(cp|sync)\b|\bs5cmd\b|\bazcopy\b|\brclone\s+(copy|sync)\b|\bollama\s+pull\b|\bgit\s+lfs\s+pull\b|\b(wget|curl)\b[^;&|]*(model|\.bin\b|\.onnx|\.pt\b|\.pth|\.safetensors|\.gguf|\.tar|huggingface|s3\.amazonaws|storage\.googleapis)/i;
/** Images whose only job is moving models. */
const DOWNLOAD_IMAGE =
  /storage-initializer|gcs-?fuse|rclone|amazon\/aws-cli|google\/cloud-sdk|cloud-sdk|azcopy/;
/** CSI drivers that mount a bucket as a file system (the model is read over the network). */
const BUCKETS: Record<string, string> = {
  'gcsfuse.csi.storage.gke.io': 'Cloud Storage FUSE',
  's3.csi.aws.com': 'Mountpoint for Amazon S3',
  'blob.csi.azure.com': 'Azure Blob',
};
/** KServe's storage-initializer downloads these storage URIs before the server starts. */
const REMOTE_URI = /^(gs|s3|hf|https?):\/\//;
const KSERVE = /serving\.kserve\.io/;

function advice(target: TargetId, limits: TargetLimits): string {
  // platform-facts.md e.1: image 10 GB, /tmp up to 10,240 MB, Init phase limited to 10 s.
  if (target === 'aws-lambda') {
    return `${limits.title} has no init containers: bake the model into the image (up to ${limits.labels.artifact}) or load it from S3 or EFS into /tmp (up to ${limits.labels.scratch}) in the function's Init, which is limited to ${limits.initTimeoutSeconds} s`;
  }
  // platform-facts.md g: Flex Consumption app init time-out 30 s.
  if (target === 'azure-functions') {
    return `on ${limits.title} the download must move into the app's start-up (Flex app init time-out ${limits.initTimeoutSeconds} s) or into the image`;
  }
  return `on ${limits.title} the download must move into the container start-up, with a startup probe holding traffic until the model is loaded`;
}

/** Init containers, sidecars and mounts that fetch the model before serving: each target does it differently. */
export const modelDownload: Rule = {
  id: 'model-download',
  title: 'Model download before serving',
  description:
    'Init containers, sidecars and bucket mounts that fetch models; other sidecars must merge or go.',
  check(workload, context) {
    const say = reporter(this.id);
    const downloads: string[] = [];
    const sources: (SourceRef | null)[] = [];
    const add = (what: string, source: SourceRef | null) =>
      downloads.push(`${what}${at(sources[sources.push(source) - 1])}`);
    const findings: Finding[] = [];
    for (const shape of podShapes(workload)) {
      for (const container of shape.pod.containers.filter((entry) => entry.role !== 'main')) {
        const line = commandLine(container);
        const name = `${container.role === 'init' ? 'init container' : 'sidecar'} ${container.name}${inComponent(shape)}`;
        if (DOWNLOAD_COMMAND.test(line)) add(`${name} runs \`${truncate(line, 60)}\``, container.source);
        else if (DOWNLOAD_IMAGE.test(container.image ?? ''))
          add(`${name} (${container.image})`, container.source);
        else if (container.role === 'sidecar') {
          const message = `${name} (${container.image ?? 'no image'})${at(container.source)} runs beside the server: on a serverless target its work becomes part of the main container, a separate service, or is dropped`;
          findings.push(say.info(message, container.source));
        }
      }
      for (const volume of shape.pod.volumes) {
        const bucket = volume.source.type === 'csi' ? BUCKETS[volume.source.driver] : undefined;
        if (bucket)
          add(`volume ${volume.name} is a ${bucket} bucket mount${inComponent(shape)}`, volume.sourceRef);
      }
    }
    const env = workload.pod.containers.flatMap((container) => container.env);
    const storageEnv = env.find((entry) => entry.name === 'STORAGE_URI')?.value;
    const uri = KSERVE.test(workload.apiVersion) ? (workload.ml.model?.uri ?? storageEnv) : storageEnv;
    if (
      uri &&
      REMOTE_URI.test(uri) &&
      !downloads.some((download) => download.includes('storage-initializer'))
    ) {
      add(
        `KServe's storage-initializer fetches ${uri} before the server starts`,
        sourceOf(workload, workload.ml.model?.source),
      );
    }
    if (downloads.length === 0) return findings;
    const fetches = `fetches the model before serving: ${prose(downloads)}`;
    const perTarget = targetIds(context.limits).map((target) =>
      say.warn(`${fetches}; ${advice(target, context.limits[target])}`, sources[0] ?? null, [target]),
    );
    return [...perTarget, ...findings];
  },
};
