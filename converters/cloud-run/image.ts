import type { WorkloadReport } from '../../analyzers/report.ts';
import { modelFramework } from '../cold-start/recommendations.ts';
import { mapName, NAME_RULES } from '../common/names.ts';
import type { ConvertContext, GeneratedFile, NameMapping } from '../types.ts';
import { REGISTRIES_SOURCE } from './limits.ts';

/**
 * The image the service runs. Cloud Run pulls from Docker Hub, Artifact Registry and Container
 * Registry: an image there is used as is; one elsewhere (ghcr.io, nvcr.io, a private registry) is
 * copied into Artifact Registry under the same name and tag. A pod without an image of its own (KServe's
 * stock runtimes) needs one built. An ONNX model the handler scaffold can fetch gets the scaffold.
 * Artifact Registry paths carry `${REGION}` and `${PROJECT_ID}`, which the deploy step fills with envsubst.
 */
export type RunImage =
  | { kind: 'pod'; reference: string; original: string }
  | { kind: 'copy'; reference: string; original: string; repository: string }
  | { kind: 'build'; reference: string; original: null; repository: string }
  | {
      kind: 'scaffold';
      reference: string;
      original: string | null;
      repository: string;
      modelUri: string;
      files: GeneratedFile[];
    };

/** The deploy-time variables in an image path, as envsubst reads them. */
export const PLACEHOLDERS = { region: '${REGION}', project: '${PROJECT_ID}' } as const;
export const REGISTRY = `${PLACEHOLDERS.region}-docker.pkg.dev/${PLACEHOLDERS.project}`;
/** The envsubst command that fills them (only those two, so nothing else in the file is touched). */
export const ENVSUBST = `envsubst '${PLACEHOLDERS.region} ${PLACEHOLDERS.project}' < service.yaml > service.deploy.yaml`;
const DOCKER_HUB = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);

/** The registry host of an image reference, or null for Docker Hub's short form (`vllm/vllm-openai:v1`). */
export function registryHost(reference: string): string | null {
  const first = reference.split('/')[0] ?? '';
  return reference.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost')
    ? first
    : null;
}

export function pullableAsIs(reference: string): boolean {
  const host = registryHost(reference);
  return (
    host === null ||
    DOCKER_HUB.has(host) ||
    host === 'gcr.io' ||
    host.endsWith('.gcr.io') ||
    host.endsWith('-docker.pkg.dev')
  );
}

export function imageFor(
  workload: WorkloadReport,
  original: string | null,
  context: ConvertContext,
): { image: RunImage; names: NameMapping[] } {
  const repository = mapName(workload.namespace, NAME_RULES.dnsLabel);
  const repo = repository.name;
  const scaffold = scaffoldFor(workload, context);
  if (scaffold) {
    const name = mapName(workload.name, NAME_RULES.imageName);
    return {
      image: {
        kind: 'scaffold',
        reference: `${REGISTRY}/${repo}/${name.name}:onnx-server`,
        original,
        repository: repo,
        ...scaffold,
      },
      names: [withKind(repository.mapping), withKind(name.mapping)],
    };
  }
  if (original === null) {
    const name = mapName(workload.name, NAME_RULES.imageName);
    return {
      image: {
        kind: 'build',
        reference: `${REGISTRY}/${repo}/${name.name}:cloud-run`,
        original,
        repository: repo,
      },
      names: [withKind(repository.mapping), withKind(name.mapping)],
    };
  }
  if (pullableAsIs(original)) return { image: { kind: 'pod', reference: original, original }, names: [] };
  const [withoutDigest, digest] = original.split('@') as [string, string | undefined];
  const lastSlash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  const tag = colon > lastSlash ? withoutDigest.slice(colon + 1) : null;
  const path = colon > lastSlash ? withoutDigest.slice(0, colon) : withoutDigest;
  const name = mapName(path.slice(path.lastIndexOf('/') + 1), NAME_RULES.imageName);
  const suffix = digest ? `@${digest}` : `:${tag ?? 'latest'}`;
  return {
    image: {
      kind: 'copy',
      reference: `${REGISTRY}/${repo}/${name.name}${suffix}`,
      original,
      repository: repo,
    },
    names: [withKind(repository.mapping), withKind(name.mapping)],
  };
}

function withKind(mapping: NameMapping): NameMapping {
  return mapping.kind === NAME_RULES.dnsLabel.kind
    ? {
        ...mapping,
        kind: 'Artifact Registry repository',
        rule: `${mapping.rule}; Artifact Registry repository ids follow the same rule`,
      }
    : mapping;
}

/**
 * The onnxruntime-node server scaffold, when the model is ONNX and the server can fetch it: https://
 * directly, gs:// with the Cloud Storage fetcher its README shows (see Notes).
 */
function scaffoldFor(
  workload: WorkloadReport,
  context: ConvertContext,
): { modelUri: string; files: GeneratedFile[] } | null {
  if (!context.scaffolds || modelFramework(workload) !== 'onnx') return null;
  const uri = workload.ml.model?.uri ?? '';
  if (!/^(https?|gs):\/\//.test(uri)) return null;
  const files = context.scaffolds('cloud-run', { modelUri: uri });
  return files.length ? { modelUri: uri, files } : null;
}

export function imageSource(image: RunImage): string {
  switch (image.kind) {
    case 'pod':
      return `the pod's image ${image.original}, pulled as is: ${REGISTRIES_SOURCE}`;
    case 'copy':
      return `the pod's image ${image.original}, copied into Artifact Registry: ${REGISTRIES_SOURCE}, not from ${registryHost(image.original)}`;
    case 'build':
      return 'the pod names no image (its serving platform supplies the runtime): build one that serves the model and push it to Artifact Registry (see Notes)';
    case 'scaffold':
      return `the onnxruntime-node server scaffold written beside this page (converters/cold-start/scaffolds, docs/scaffolds.md), built with buildpacks and pushed to Artifact Registry; it serves the ONNX model ${image.modelUri}`;
  }
}
