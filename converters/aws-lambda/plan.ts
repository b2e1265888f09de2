import type { WorkloadReport } from '../../analyzers/report.ts';
import { formatSource } from '../../core/model/index.ts';
import { AWS_LAMBDA_PRICING } from '../../core/pricing/aws-lambda.ts';
import { warmCapacityPrice } from '../cold-start/price.ts';
import { sizeWarmCapacity } from '../cold-start/size.ts';
import { mainContainers } from '../common/environment.ts';
import { mapName, NAME_RULES } from '../common/names.ts';
import type { ConvertContext, NameMapping, NotCarried, SettingRow, WarmResult } from '../types.ts';
import { type LambdaVariable, lambdaEnvironment, type StoreEntry } from './environment.ts';
import { ephemeralStorage, type ModelPlacement, modelPlacement } from './model.ts';
import { type Packaging, packagingFor, packagingRows } from './packaging.ts';
import { clusterMinReplicas, memorySize, reservedConcurrency, timeout } from './sizing.ts';

/**
 * Everything the Lambda function will be, decided once: template.yaml and serverless.yml are two
 * renderings of this plan, so they cannot disagree. Each value has its setting row (the provenance).
 */
export interface LambdaPlan {
  logicalId: string;
  functionName: string;
  service: string;
  /** The pod's image rebuilt for Lambda, or the ONNX handler scaffold as a Node.js zip package. */
  packaging: Packaging;
  architecture: 'x86_64';
  memoryMb: number;
  timeoutSeconds: number;
  ephemeralMb: number | null;
  reserved: number | null;
  provisioned: number;
  alias: string;
  url: boolean;
  variables: LambdaVariable[];
  stores: StoreEntry[];
  model: ModelPlacement;
  /** Bucket of an s3:// model, for a read policy. */
  s3Bucket: string | null;
  description: string;
  tags: Record<string, string>;
  settings: SettingRow[];
  names: NameMapping[];
  warm: WarmResult;
  notes: string[];
  notCarried: NotCarried[];
}

export const ALIAS = 'live';
const FACTS = 'platform-facts.md e.1';

export function planFunction(workload: WorkloadReport, context: ConvertContext): LambdaPlan {
  const main = mainContainers(workload)[0];
  const fn = mapName(`${workload.namespace}-${workload.name}`, NAME_RULES.lambdaFunction);
  const logical = mapName(`${workload.name}-function`, NAME_RULES.cfnLogicalId);
  const service = mapName(`${workload.namespace}-${workload.name}`, NAME_RULES.cfnStack);
  const memory = memorySize(workload);
  const time = timeout(workload);
  const reserved = reservedConcurrency(workload);
  const model = modelPlacement(workload, context.related);
  const packaging = packagingFor(workload, model, context, main?.image ?? null);
  const tmp = ephemeralStorage(workload, model);
  const env = lambdaEnvironment(workload, context.related);
  const cluster = clusterMinReplicas(workload);
  const capacity = sizeWarmCapacity({
    traffic: context.traffic,
    serviceMs: context.serviceMs,
    quantile: context.warmQuantile,
    concurrencyPerInstance: 1,
    concurrencyPerInstanceFrom: `one request per execution environment, ${FACTS}`,
    clusterMinReplicas: cluster.count,
    clusterMinFrom: cluster.from,
    maxInstances: reserved.value,
    maxInstancesFrom: reserved.value === null ? null : 'ReservedConcurrentExecutions',
  });
  const warm: WarmResult = {
    term: 'provisioned concurrency',
    capacity,
    price: warmCapacityPrice('aws-lambda', {
      instances: Math.max(1, capacity.instances),
      memoryMb: memory.value,
      vcpu: null,
      architecture: 'x86_64',
    }),
  };
  if (capacity.instances === 0 && warm.price) {
    // Priced for one so the reviewer sees what a single warm environment would cost at this size.
    warm.price = {
      ...warm.price,
      usdPerMonth: 0,
      formula: `none kept; one environment at this size would cost ${warm.price.formula}`,
    };
  }
  const variables = [...env.variables];
  if (packaging.kind === 'zip' && !variables.some((entry) => entry.name === 'MODEL_URI'))
    variables.push({
      name: 'MODEL_URI',
      value: packaging.modelUri,
      source: `where the handler scaffold loads the ONNX model from: ${workload.ml.model?.uri}${workload.ml.model?.source ? ` (${formatSource(workload.ml.model.source)})` : ''}${model.kind === 'efs' ? `, on the EFS mount ${model.localMountPath}` : ''}`,
    });
  const notes = [...memory.notes, ...time.notes, ...reserved.notes, ...env.notes];
  if (model.kind === 'tmp' && model.scheme === 'hf' && !variables.some((entry) => entry.name === 'HF_HOME')) {
    variables.push({
      name: 'HF_HOME',
      value: '/tmp/huggingface',
      source: `added: the model ${model.uri} is fetched from Hugging Face at start-up, and /tmp is the function's only writable disk (${FACTS})`,
    });
  }
  const s3Bucket =
    model.kind === 'tmp' && model.scheme === 's3' ? (model.uri.slice(5).split('/')[0] ?? null) : null;
  const origin = workload.sources[0] ? `${workload.sources[0].file}:${workload.sources[0].line}` : 'stdin';
  const plan: LambdaPlan = {
    logicalId: logical.name,
    functionName: fn.name,
    service: service.name,
    packaging,
    architecture: 'x86_64',
    memoryMb: memory.value,
    timeoutSeconds: time.value,
    ephemeralMb: tmp?.mb ?? null,
    reserved: reserved.value,
    provisioned: capacity.instances,
    alias: ALIAS,
    url: servesHttp(workload, context),
    variables,
    stores: env.stores,
    model,
    s3Bucket,
    description: truncate(`${workload.id} (${origin}), converted by migrate`, 256),
    tags: { 'migrate:workload': workload.id.slice(0, 256) },
    settings: [],
    names: [fn.mapping, logical.mapping, service.mapping],
    warm,
    notes,
    notCarried: env.notCarried,
  };
  plan.settings = settingsOf(plan, workload, {
    memory: memory.source,
    timeout: time.source,
    reserved: reserved.source,
    tmp: tmp?.source ?? null,
  });
  return plan;
}

/** An HTTP entry point when the pods listened on a port or sat behind a Service; queue workers get none. */
function servesHttp(workload: WorkloadReport, context: ConvertContext): boolean {
  if (mainContainers(workload).some((container) => container.ports.length > 0)) return true;
  if (context.related.some((object) => object.role === 'service' || object.role === 'ingress')) return true;
  // Serving CRDs put an HTTP endpoint in front of the model without declaring a port.
  return (
    HTTP_KINDS.has(workload.kind) ||
    ['knative', 'kserve', 'ray-serve', 'keda-http'].includes(workload.autoscaling.kind)
  );
}

const HTTP_KINDS = new Set([
  'InferenceService',
  'LLMInferenceService',
  'Service',
  'RayService',
  'SeldonDeployment',
  'NIMService',
  'VLLMRuntime',
  'Workspace',
]);

function settingsOf(
  plan: LambdaPlan,
  workload: WorkloadReport,
  sources: { memory: string; timeout: string; reserved: string; tmp: string | null },
): SettingRow[] {
  const at = (key: string) => ['Resources', plan.logicalId, 'Properties', key];
  const rows: SettingRow[] = [
    {
      name: 'FunctionName',
      value: plan.functionName,
      source: `namespace-name of ${workload.id}, made valid for Lambda (see Names)`,
      path: at('FunctionName'),
    },
    ...packagingRows(plan, at),
    {
      name: 'Architectures',
      value: plan.architecture,
      source: `Lambda's default; the manifests do not say which architectures the image is built for. arm64 costs $${AWS_LAMBDA_PRICING.durationArmUsdPerGbSecond} instead of $${AWS_LAMBDA_PRICING.durationX86UsdPerGbSecond} per GB-s (${AWS_LAMBDA_PRICING.reference}) if the image is built for it`,
      path: at('Architectures'),
    },
    { name: 'MemorySize', value: `${plan.memoryMb}`, source: sources.memory, path: at('MemorySize') },
    { name: 'Timeout', value: `${plan.timeoutSeconds}`, source: sources.timeout, path: at('Timeout') },
  ];
  if (plan.ephemeralMb !== null && sources.tmp)
    rows.push({
      name: 'EphemeralStorage.Size',
      value: `${plan.ephemeralMb}`,
      source: sources.tmp,
      path: at('EphemeralStorage'),
    });
  if (plan.reserved !== null)
    rows.push({
      name: 'ReservedConcurrentExecutions',
      value: `${plan.reserved}`,
      source: sources.reserved,
      path: at('ReservedConcurrentExecutions'),
    });
  rows.push({
    name: 'AutoPublishAlias',
    value: plan.alias,
    source:
      'every deploy publishes a version and points the alias at it: roll back by pointing it at the previous version',
    path: at('AutoPublishAlias'),
  });
  if (plan.provisioned > 0)
    rows.push({
      name: 'ProvisionedConcurrencyConfig.ProvisionedConcurrentExecutions',
      value: `${plan.provisioned}`,
      source: `${plan.warm.capacity.reason}${plan.warm.price?.usdPerMonth != null ? `; $${plan.warm.price.usdPerMonth.toFixed(2)}/month` : ''}`,
      path: at('ProvisionedConcurrencyConfig'),
    });
  if (plan.url)
    rows.push({
      name: 'FunctionUrlConfig.AuthType',
      value: 'AWS_IAM',
      source:
        'the pods served HTTP; a Function URL replaces the Service. AWS_IAM keeps it private like a ClusterIP Service: callers sign requests (SigV4)',
      path: at('FunctionUrlConfig'),
    });
  if (plan.model.kind === 'efs')
    rows.push({
      name: 'FileSystemConfigs[0].LocalMountPath',
      value: plan.model.localMountPath,
      source: `the model volume ${plan.model.volume}${plan.model.claim ? ` (PVC ${plan.model.claim})` : ''} mounted at ${plan.model.mountPath}; an EFS access point replaces it, and Lambda mounts under /mnt only`,
      path: at('FileSystemConfigs'),
    });
  for (const variable of plan.variables)
    rows.push({
      name: `Environment.Variables.${variable.name}`,
      value: variable.value,
      source: variable.source,
    });
  return rows;
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
