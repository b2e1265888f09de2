import type { WorkloadReport } from '../../analyzers/report.ts';
import { TARGET_LIMITS } from '../../core/limits/targets.ts';
import { modelFramework } from '../cold-start/recommendations.ts';
import { mapName, NAME_RULES } from '../common/names.ts';
import type { ConvertContext, GeneratedFile, SettingRow } from '../types.ts';
import type { ModelPlacement } from './model.ts';
import type { LambdaPlan } from './plan.ts';

const FACTS = 'platform-facts.md e.1';

export type Packaging =
  | { kind: 'image'; repository: string; tag: string; original: string | null; scaffold: ScaffoldState }
  | {
      kind: 'zip';
      runtime: string;
      handler: string;
      modelUri: string;
      files: GeneratedFile[];
      original: string | null;
    };

/** Why no scaffold came with an image: the module is missing, or the model is not one it can serve. */
export type ScaffoldState = 'missing' | 'not-onnx' | 'unreachable' | 'empty';

/** What converters/cold-start/scaffolds/templates/aws-lambda/README.md asks for (docs/scaffolds.md). */
export const SCAFFOLD_RUNTIME = 'nodejs20.x';
export const SCAFFOLD_HANDLER = 'dist/src/handler.handler';

/**
 * A Node.js zip package with the ONNX handler scaffold when the model is ONNX and the handler can reach
 * it (a path on the EFS mount, https://, s3:// with the fetcher its README shows); otherwise the pod's
 * own image, rebuilt for Lambda.
 */
export function packagingFor(
  workload: WorkloadReport,
  model: ModelPlacement,
  context: ConvertContext,
  original: string | null,
): Packaging {
  const image = (scaffold: ScaffoldState): Packaging => ({
    kind: 'image',
    ...imageFor(original, workload),
    scaffold,
  });
  if (!context.scaffolds) return image('missing');
  if (modelFramework(workload) !== 'onnx') return image('not-onnx');
  const uri = workload.ml.model?.uri ?? '';
  const modelUri =
    model.kind === 'efs'
      ? `${model.localMountPath}${uri.startsWith('pvc://') ? uri.slice(`pvc://${model.claim ?? ''}`.length) : uri.slice(model.mountPath.length)}`
      : model.kind === 'tmp' && (model.scheme === 's3' || model.scheme === 'http')
        ? model.uri
        : null;
  if (modelUri === null) return image('unreachable');
  const files = context.scaffolds('aws-lambda', { modelUri });
  if (files.length === 0) return image('empty');
  return { kind: 'zip', runtime: SCAFFOLD_RUNTIME, handler: SCAFFOLD_HANDLER, modelUri, files, original };
}

/**
 * Lambda pulls images from Amazon ECR only, and the image must be rebuilt for Lambda, so the URI names
 * an ECR repository after the pod's image with a `-lambda` tag: the same deterministic name in both files.
 */
function imageFor(
  original: string | null,
  workload: WorkloadReport,
): { repository: string; tag: string; original: string | null } {
  if (original === null)
    return { repository: mapName(workload.name, NAME_RULES.ecrRepository).name, tag: 'lambda', original };
  const withoutDigest = original.split('@')[0]!;
  const lastSlash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  const hasTag = colon > lastSlash;
  const path = hasTag ? withoutDigest.slice(0, colon) : withoutDigest;
  const tag = hasTag ? withoutDigest.slice(colon + 1) : null;
  const name = path.slice(path.lastIndexOf('/') + 1);
  return {
    repository: mapName(name, NAME_RULES.ecrRepository).name,
    tag: mapName(tag ? `${tag}-lambda` : 'lambda', NAME_RULES.imageTag).name,
    original,
  };
}

export function packagingRows(plan: LambdaPlan, at: (key: string) => (string | number)[]): SettingRow[] {
  const packaging = plan.packaging;
  if (packaging.kind === 'zip') {
    const scaffold =
      'the onnxruntime-node handler scaffold written beside this page (converters/cold-start/scaffolds, docs/scaffolds.md)';
    return [
      {
        name: 'PackageType',
        value: 'Zip',
        source: `the model is ONNX, so ${scaffold} serves it: a Node.js package, no image to rebuild (zip ≤ ${TARGET_LIMITS['aws-lambda'].sources.package})`,
        path: at('PackageType'),
      },
      {
        name: 'CodeUri',
        value: '.',
        source: 'this folder, after `npm run build` and `npm run prune-ort` (see Deploy)',
        path: at('CodeUri'),
      },
      {
        name: 'Runtime',
        value: packaging.runtime,
        source: `what ${scaffold} is built for`,
        path: at('Runtime'),
      },
      {
        name: 'Handler',
        value: packaging.handler,
        source: `the entry point of ${scaffold}, compiled to dist/`,
        path: at('Handler'),
      },
    ];
  }
  return [
    {
      name: 'PackageType',
      value: 'Image',
      source: `${packaging.original ? `the pod runs the container image ${packaging.original}` : 'the pod runs in a container its serving platform supplies'}; Lambda takes images up to ${TARGET_LIMITS['aws-lambda'].labels.artifact} (${FACTS})`,
      path: at('PackageType'),
    },
    {
      name: 'ImageUri',
      value: `<account>.dkr.ecr.<region>.amazonaws.com/${packaging.repository}:${packaging.tag}`,
      source: packaging.original
        ? `the pod image ${packaging.original}, rebuilt for Lambda and pushed to Amazon ECR (Lambda pulls from ECR only)`
        : `the pod names no image (the serving platform supplies its runtime): build one for Lambda and push it to Amazon ECR`,
      path: at('ImageUri'),
    },
  ];
}
