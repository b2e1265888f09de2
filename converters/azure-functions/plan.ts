import type { WorkloadReport } from '../../analyzers/report.ts';
import { formatSource } from '../../core/model/index.ts';
import { mainContainers } from '../common/environment.ts';
import { mapName, NAME_RULES, sanitizeName } from '../common/names.ts';
import type { ConvertContext, NameMapping, NotCarried, SettingRow, WarmResult } from '../types.ts';
import { type AppSetting, appEnvironment, type StoreEntry } from './environment.ts';
import { type ModelPlacement, modelPlacement } from './model.ts';
import { type Packaging, packagingFor } from './packaging.ts';
import { settingsOf } from './settings.ts';
import {
  flexMaximumInstances,
  functionTimeout,
  type HostingPlan,
  hostingPlan,
  perInstanceConcurrency,
  premiumMaximumWorkers,
} from './sizing.ts';
import { PARAMS, SYMBOLS } from './symbols.ts';
import { builtin, format, param, propOf, storageKeyOf } from './template-model.ts';
import { alwaysReady, premiumSizingCap } from './warm.ts';

/**
 * Everything the function app will be, decided once: main.bicep, azuredeploy.json and host.json are
 * renderings of this plan (through one template model), so they cannot disagree. Each emitted value
 * has its setting row (the provenance).
 */
export interface AzurePlan {
  names: {
    app: string;
    storage: string;
    plan: string;
    insights: string;
    workspace: string;
    /** Flex deploys from a blob container; Premium has none. */
    container: string | null;
  };
  hosting: HostingPlan;
  timeoutSeconds: number;
  concurrency: number;
  concurrencyDeclared: boolean;
  /** Flex maximumInstanceCount, or Premium maximumElasticWorkerCount. */
  maxInstances: number;
  /** Flex `http` always-ready instances (0: none), or Premium minimumElasticInstanceCount. */
  alwaysReady: number;
  http: boolean;
  packaging: Packaging;
  model: ModelPlacement;
  /** Every app setting in emitted order: the platform's first, then the workload's. */
  appSettings: AppSetting[];
  stores: StoreEntry[];
  tags: Record<string, string>;
  settings: SettingRow[];
  nameMappings: NameMapping[];
  warm: WarmResult;
  notes: string[];
  notCarried: NotCarried[];
  sources: { hosting: string; timeout: string; concurrency: string; maxInstances: string };
}

export function planApp(workload: WorkloadReport, context: ConvertContext): AzurePlan | { blocked: string } {
  const hosting = hostingPlan(workload);
  if ('blocked' in hosting) return hosting;
  const plan = hosting.value;
  const names = namesOf(workload, plan);
  const time = functionTimeout(workload, plan);
  const concurrency = perInstanceConcurrency(workload);
  const http = servesHttp(workload, context);
  const model = modelPlacement(workload, context.related);
  const packaging = packagingFor(workload, model, context);
  const env = appEnvironment(workload, context.related);
  const scale = scaleOf(workload, context, plan, concurrency, http);
  const result: AzurePlan = {
    names: names.values,
    hosting: plan,
    timeoutSeconds: time.value,
    concurrency: concurrency.value,
    concurrencyDeclared: concurrency.declared,
    maxInstances: scale.max.value,
    alwaysReady: scale.warm.capacity.instances,
    http,
    packaging,
    model,
    appSettings: [...platformSettings(plan, packaging, names.values), ...env.settings],
    stores: env.stores,
    tags: { 'migrate-workload': workload.id.slice(0, 256) },
    settings: [],
    nameMappings: [...names.mappings, ...env.names],
    warm: scale.warm,
    notes: [
      ...hosting.notes,
      ...time.notes,
      ...(http ? concurrency.notes : []),
      ...scale.max.notes,
      ...env.notes,
    ],
    notCarried: env.notCarried,
    sources: {
      hosting: hosting.source,
      timeout: time.source,
      concurrency: concurrency.source,
      maxInstances: scale.max.source,
    },
  };
  if (packaging.kind === 'scaffold' && !result.appSettings.some((entry) => entry.name === 'MODEL_URI'))
    result.appSettings.push({
      name: 'MODEL_URI',
      value: packaging.modelUri,
      shown: packaging.modelUri,
      source: `where the handler scaffold loads the ONNX model from: ${workload.ml.model?.uri}${workload.ml.model?.source ? ` (${formatSource(workload.ml.model.source)})` : ''}${model.kind === 'files' ? `, on the Azure Files mount ${model.mountPath}` : ''}`,
    });
  result.settings = settingsOf(result, workload);
  return result;
}

/** The most instances and the always-ready ones; on Premium the burst ceiling follows the always-ready count. */
function scaleOf(
  workload: WorkloadReport,
  context: ConvertContext,
  plan: HostingPlan,
  concurrency: ReturnType<typeof perInstanceConcurrency>,
  http: boolean,
) {
  const concurrencyFrom = concurrency.declared
    ? 'the per-instance concurrency, see Settings'
    : 'assumed: 1 per instance, see Settings';
  if (plan.kind === 'flex') {
    const max = flexMaximumInstances(workload, plan.memoryMb);
    const warm = alwaysReady(workload, context, {
      hosting: plan,
      concurrency: concurrency.value,
      concurrencyFrom,
      maxInstances: max.value,
      maxInstancesFrom: 'maximumInstanceCount',
      http,
    });
    return { max, warm };
  }
  const cap = premiumSizingCap(workload);
  const warm = alwaysReady(workload, context, {
    hosting: plan,
    concurrency: concurrency.value,
    concurrencyFrom,
    maxInstances: cap.count,
    maxInstancesFrom: cap.from,
    http,
  });
  return { max: premiumMaximumWorkers(workload, warm.capacity.instances), warm };
}

function namesOf(
  workload: WorkloadReport,
  plan: HostingPlan,
): { values: AzurePlan['names']; mappings: NameMapping[] } {
  const app = mapName(`${workload.namespace}-${workload.name}`, NAME_RULES.azureFunctionApp);
  const rule = NAME_RULES.azureFunctionApp;
  const derived = (kind: string, suffix: string, why: string) => {
    const original = `${app.name}-${suffix}`;
    const emitted = sanitizeName(original, rule);
    return {
      emitted,
      mapping: { kind, original, emitted, rule: `the function app's name + "-${suffix}", ${why}` },
    };
  };
  // A storage account allows only lower-case letters and digits; "st" (the usual abbreviation) keeps it ≥ 3.
  const storageOriginal = `${workload.namespace}-${workload.name}`;
  const storage = sanitizeName(`st${workload.namespace}${workload.name}`, NAME_RULES.azureStorageAccount);
  const planName = derived(
    'App Service plan name',
    'plan',
    'within the same rule (1–60 of letters, digits, -)',
  );
  const insights = derived(
    'Application Insights name',
    'insights',
    'within the same rule (a subset of what it allows)',
  );
  const workspace = derived(
    'Log Analytics workspace name',
    'logs',
    'within the same rule (4–63 of letters, digits, -)',
  );
  const mappings: NameMapping[] = [
    app.mapping,
    {
      kind: NAME_RULES.azureStorageAccount.kind,
      original: storageOriginal,
      emitted: storage,
      rule: `${NAME_RULES.azureStorageAccount.rule}; "st" + namespace + name with - removed, a hash of the original when cut`,
    },
    planName.mapping,
    insights.mapping,
    workspace.mapping,
  ];
  let container: string | null = null;
  if (plan.kind === 'flex') {
    const original = `app-package-${app.name}`;
    container = sanitizeName(original, NAME_RULES.azureBlobContainer);
    mappings.push({
      kind: NAME_RULES.azureBlobContainer.kind,
      original,
      emitted: container,
      rule: NAME_RULES.azureBlobContainer.rule,
    });
  }
  return {
    values: {
      app: app.name,
      storage,
      plan: planName.emitted,
      insights: insights.emitted,
      workspace: workspace.emitted,
      container,
    },
    mappings,
  };
}

/** Settings the platform needs before the workload's own: host storage, monitoring, and on Premium the stack. */
function platformSettings(plan: HostingPlan, packaging: Packaging, names: AzurePlan['names']): AppSetting[] {
  const settings: AppSetting[] = [
    {
      name: 'AzureWebJobsStorage__accountName',
      value: param(PARAMS.storage),
      shown: `<${PARAMS.storage}> (${names.storage})`,
      source:
        "the host's storage (AzureWebJobsStorage) reached with the app's managed identity: an identity-based connection names the account only, no key (role assignment storageBlobRole)",
    },
    {
      name: 'APPLICATIONINSIGHTS_CONNECTION_STRING',
      value: propOf(SYMBOLS.insights, 'ConnectionString'),
      shown: `connection string of Application Insights ${names.insights}`,
      source:
        'Application Insights created beside the app, to watch cold starts, failures and latency (decision-rules.md, cold-start catalogue: Application Insights for cold-start monitoring)',
    },
  ];
  if (plan.kind === 'flex') return settings;
  const runtime = packaging.runtime;
  settings.push(
    {
      name: 'FUNCTIONS_EXTENSION_VERSION',
      value: '~4',
      shown: '~4',
      source:
        'the Functions v4 host (what the v4 programming models need); Flex Consumption takes its runtime from functionAppConfig instead, Premium from these settings',
    },
    {
      name: 'FUNCTIONS_WORKER_RUNTIME',
      value: runtime.name,
      shown: runtime.name,
      source: `the language worker: ${runtime.source}`,
    },
    {
      name: 'WEBSITE_CONTENTAZUREFILECONNECTIONSTRING',
      value: format(
        'DefaultEndpointsProtocol=https;AccountName={0};EndpointSuffix={1};AccountKey={2}',
        param(PARAMS.storage),
        builtin('environment().suffixes.storage'),
        storageKeyOf(SYMBOLS.storage),
      ),
      shown: `DefaultEndpointsProtocol=https;AccountName=<${PARAMS.storage}>;…;AccountKey=<read at deploy time with listKeys>`,
      source:
        "a Premium plan keeps the app's files on an Azure Files share, which takes the account key: the template reads it at deploy time (listKeys), so it is in no file here, but it is in the app's settings",
    },
    {
      name: 'WEBSITE_CONTENTSHARE',
      value: names.app,
      shown: names.app,
      source:
        "the Azure Files share holding the app's files, named after the app (the platform creates it on first deployment)",
    },
  );
  return settings;
}

/** An HTTP entry point when the pods listened on a port or sat behind a Service; queue workers get none. */
function servesHttp(workload: WorkloadReport, context: ConvertContext): boolean {
  if (mainContainers(workload).some((container) => container.ports.length > 0)) return true;
  if (context.related.some((object) => object.role === 'service' || object.role === 'ingress')) return true;
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
