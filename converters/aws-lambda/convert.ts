import type { WorkloadReport } from '../../analyzers/report.ts';
import { TARGET_LIMITS } from '../../core/limits/targets.ts';
import { cacheLayer, loadOnce, mb, quantizeOrOnnx } from '../cold-start/recommendations.ts';
import { mainContainers } from '../common/environment.ts';
import { commonNotCarried } from '../common/not-carried.ts';
import { blockedResult } from '../common/run.ts';
import type { ConversionResult, ConvertContext, GeneratedFile, Recommendation } from '../types.ts';
import { lambdaDeploy } from './deploy.ts';
import { lambdaNotes, lambdaWords } from './notes.ts';
import { type LambdaPlan, planFunction } from './plan.ts';
import { serverlessYaml } from './serverless.ts';
import { DEFAULT_TMP_MB, INIT_LIMIT_SECONDS } from './sizing.ts';
import { samTemplate } from './template.ts';

const LIMITS = TARGET_LIMITS['aws-lambda'];

/**
 * One workload → an AWS SAM template, the equivalent serverless.yml, and the facts MIGRATION.md is
 * made of. Pure: everything it knows is in the workload report and the context.
 */
export function convertToLambda(workload: WorkloadReport, context: ConvertContext): ConversionResult {
  if (mainContainers(workload).length === 0)
    return blockedResult(
      [
        {
          rule: 'no-container',
          message: 'the analysis found no main container to run',
          source: workload.sources[0] ?? null,
        },
      ],
      ['Check the manifests: a workload without a main container has nothing to convert.'],
    );
  const plan = planFunction(workload, context);
  const packaging = plan.packaging;
  const files: GeneratedFile[] = [
    { path: 'template.yaml', content: samTemplate(plan, workload, context.version) },
    { path: 'serverless.yml', content: serverlessYaml(plan, workload, context.version) },
    ...(packaging.kind === 'zip' ? packaging.files : []),
  ];
  return {
    status: 'converted',
    files,
    settings: plan.settings,
    names:
      packaging.kind === 'image'
        ? [
            ...plan.names,
            {
              kind: 'image (Amazon ECR)',
              original: packaging.original ?? '(none: supplied by the serving platform)',
              emitted: `${packaging.repository}:${packaging.tag}`,
              rule: 'repository after the image name, tag + "-lambda": the image is rebuilt for Lambda (Docker image reference grammar)',
            },
          ]
        : plan.names,
    warm: plan.warm,
    notCarried: [
      ...commonNotCarried(workload, context.related, lambdaWords(plan), {
        mappedMounts: new Set(plan.model.kind === 'efs' ? [plan.model.mountPath] : []),
      }),
      ...plan.notCarried,
    ],
    recommendations: recommendations(plan, workload),
    reasons: [],
    alternatives: [],
    notes: [...lambdaNotes(plan, workload), ...plan.notes],
    deploy: lambdaDeploy(plan, workload),
  };
}

const PYTHON_SERVERS = new Set([
  'kserve-sklearn',
  'kserve-xgboost',
  'kserve-lightgbm',
  'kserve-huggingface',
  'kserve-pmml',
  'mlserver',
  'bentoml',
  'ray-serve',
  'seldon',
]);

function recommendations(plan: LambdaPlan, workload: WorkloadReport): Recommendation[] {
  const list: (Recommendation | null)[] = [
    loadOnce(
      `Lambda's Init phase, before the first request; limited to ${INIT_LIMIT_SECONDS} s except under provisioned concurrency`,
    ),
    quantizeOrOnnx(workload, {
      bytes: LIMITS.maxPackageBytes!,
      label: `Lambda's ${mb(LIMITS.maxPackageBytes!)} zip package limit`,
    }),
  ];
  const model = plan.model;
  if (model.kind === 'tmp' && (model.sizeBytes === null || model.sizeBytes > DEFAULT_TMP_MB * 2 ** 20)) {
    const size = model.sizeBytes === null ? 'of unknown size' : mb(model.sizeBytes);
    list.push({
      id: 'efs-for-model',
      title: 'Mount the model from EFS (or bake it into the image) instead of downloading it',
      reason: `${model.uri} (${size}) is downloaded by every new execution environment, inside an Init limited to ${INIT_LIMIT_SECONDS} s (platform-facts.md e.1); an EFS access point (FileSystemConfigs) shares one copy across environments, and an image (up to ${LIMITS.labels.artifact}) removes the download`,
    });
  }
  const python =
    (workload.ml.server !== null && PYTHON_SERVERS.has(workload.ml.server)) ||
    mainContainers(workload).some((container) => /python/.test(container.command[0] ?? ''));
  if (python)
    list.push({
      id: 'snapstart',
      title: 'SnapStart, if the handler moves to the managed Python runtime',
      reason: `SnapStart restores a snapshot taken after Init instead of running it, on the managed runtimes Java 11+, Python 3.12+ and .NET 8+ (platform-facts.md e.1); this function is a container image, so it means packaging a Python 3.12+ handler as a zip (${mb(LIMITS.maxPackageBytes!)} unzipped) with the model on S3. It cannot be combined with provisioned concurrency or EFS, and needs /tmp ≤ 512 MB`,
    });
  if (plan.url)
    list.push(
      cacheLayer(
        workload,
        'CloudFront in front of the Function URL (for GET requests) or a result cache keyed by a hash of the input (DynamoDB, ElastiCache)',
      ),
    );
  return list.filter((entry): entry is Recommendation => entry !== null);
}
