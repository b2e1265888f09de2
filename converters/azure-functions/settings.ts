import type { WorkloadReport } from '../../analyzers/report.ts';
import type { SettingRow } from '../types.ts';
import { EXTENSION_BUNDLE, hasServeFunction, SERVE_FUNCTION } from './host.ts';
import type { AzurePlan } from './plan.ts';
import { FACTS, hhmmss } from './sizing.ts';
import { PARAMS, SYMBOLS } from './symbols.ts';
import { warmSummary } from './warm.ts';

/**
 * One provenance row per emitted value (MIGRATION.md's Settings table). `path` starts at the Bicep
 * symbol of the resource that holds the value, so main.bicep carries the source as a comment above it.
 */
export function settingsOf(plan: AzurePlan, workload: WorkloadReport): SettingRow[] {
  return [
    ...appRows(plan, workload),
    ...scaleRows(plan),
    ...plan.appSettings.map(
      (setting, index): SettingRow => ({
        name: `siteConfig.appSettings.${setting.name}`,
        value: setting.shown,
        source: setting.source,
        path: [SYMBOLS.site, 'properties', 'siteConfig', 'appSettings', index],
      }),
    ),
    ...hostRows(plan),
  ];
}

const site = (...path: string[]) => [SYMBOLS.site, 'properties', ...path];
const scale = (...path: string[]) => site('functionAppConfig', 'scaleAndConcurrency', ...path);

function appRows(plan: AzurePlan, workload: WorkloadReport): SettingRow[] {
  const flex = plan.hosting.kind === 'flex';
  const runtime = plan.packaging.runtime;
  const rows: SettingRow[] = [
    {
      name: 'name (function app)',
      value: plan.names.app,
      source: `namespace-name of ${workload.id}, made valid (see Names); the default of parameter ${PARAMS.app}, since the name must be globally unique`,
    },
    {
      name: 'plan sku',
      value: flex
        ? 'FC1 (FlexConsumption)'
        : `${plan.hosting.kind === 'premium' ? plan.hosting.sku : ''} (ElasticPremium)`,
      source: plan.sources.hosting,
      path: [SYMBOLS.plan, 'sku'],
    },
    flex
      ? {
          name: 'functionAppConfig.runtime',
          value: `${runtime.name} ${runtime.version}`,
          source: runtime.source,
          path: site('functionAppConfig', 'runtime'),
        }
      : {
          name: 'siteConfig.linuxFxVersion',
          value: runtime.linuxFxVersion || '(empty)',
          source: runtime.source,
          path: site('siteConfig', 'linuxFxVersion'),
        },
  ];
  if (flex)
    rows.push({
      name: 'functionAppConfig.deployment.storage',
      value: `https://<${PARAMS.storage}>.blob.core.windows.net/${plan.names.container} (SystemAssignedIdentity)`,
      source: `Flex Consumption deploys the app from a package in a blob container; the app reads it with its managed identity (role assignment ${SYMBOLS.role})`,
      path: site('functionAppConfig', 'deployment'),
    });
  return [...rows, ...accessRows(plan)];
}

/** Identity, transport, storage keys and the tag: the same on every plan but for the storage key. */
function accessRows(plan: AzurePlan): SettingRow[] {
  const flex = plan.hosting.kind === 'flex';
  return [
    {
      name: 'identity.type',
      value: 'SystemAssigned',
      source:
        'the app reaches its storage, Key Vault and App Configuration as itself: no keys or passwords in its settings (the pod used its service account)',
      path: [SYMBOLS.site, 'identity'],
    },
    {
      name: 'httpsOnly, siteConfig.minTlsVersion, siteConfig.ftpsState',
      value: 'true, 1.2, Disabled',
      source:
        'HTTPS only with TLS 1.2 or later and no FTP: the app is reachable from the internet, unlike a ClusterIP Service, so only encrypted, key-authenticated requests (authLevel function) reach it',
      path: site('httpsOnly'),
    },
    {
      name: 'storage properties.allowSharedKeyAccess',
      value: String(!flex),
      source: flex
        ? 'false: on Flex the app uses its managed identity for host storage and deployment, so no key is needed'
        : "true: a Premium plan's content share (Azure Files) authenticates with the account key",
      path: [SYMBOLS.storage, 'properties', 'allowSharedKeyAccess'],
    },
    {
      name: 'tags.migrate-workload',
      value: plan.tags['migrate-workload']!,
      source: 'the way back from Azure to the manifest',
      path: [SYMBOLS.site, 'tags'],
    },
  ];
}

function scaleRows(plan: AzurePlan): SettingRow[] {
  const warm = warmSummary(plan.warm);
  if (plan.hosting.kind === 'premium')
    return [
      {
        name: 'plan properties.maximumElasticWorkerCount',
        value: `${plan.maxInstances}`,
        source: plan.sources.maxInstances,
        path: [SYMBOLS.plan, 'properties', 'maximumElasticWorkerCount'],
      },
      {
        name: 'siteConfig.minimumElasticInstanceCount',
        value: `${plan.alwaysReady}`,
        source: warm,
        path: site('siteConfig', 'minimumElasticInstanceCount'),
      },
    ];
  const rows: SettingRow[] = [
    {
      name: 'functionAppConfig.scaleAndConcurrency.instanceMemoryMB',
      value: `${plan.hosting.memoryMb}`,
      source: plan.sources.hosting,
      path: scale('instanceMemoryMB'),
    },
    {
      name: 'functionAppConfig.scaleAndConcurrency.maximumInstanceCount',
      value: `${plan.maxInstances}`,
      source: plan.sources.maxInstances,
      path: scale('maximumInstanceCount'),
    },
  ];
  if (plan.alwaysReady > 0)
    rows.push({
      name: 'functionAppConfig.scaleAndConcurrency.alwaysReady[http].instanceCount',
      value: `${plan.alwaysReady}`,
      source: `${warm}; the http group holds every HTTP function of the app (${FACTS})`,
      path: scale('alwaysReady'),
    });
  if (plan.http)
    rows.push({
      name: 'functionAppConfig.scaleAndConcurrency.triggers.http.perInstanceConcurrency',
      value: `${plan.concurrency}`,
      source: plan.sources.concurrency,
      path: scale('triggers'),
    });
  return rows;
}

function hostRows(plan: AzurePlan): SettingRow[] {
  const rows: SettingRow[] = [
    { name: 'host.json functionTimeout', value: hhmmss(plan.timeoutSeconds), source: plan.sources.timeout },
    {
      name: 'host.json extensionBundle',
      value: `${EXTENSION_BUNDLE.id} ${EXTENSION_BUNDLE.version}`,
      source:
        'the bindings (triggers other than HTTP) of the v4 host, as the Azure handler scaffold names them',
    },
  ];
  const custom =
    plan.packaging.kind === 'code' && plan.packaging.runtime.name === 'custom' ? plan.packaging : null;
  if (plan.http)
    rows.push(
      {
        name: 'host.json extensions.http.maxConcurrentRequests',
        value: `${plan.concurrency}`,
        source:
          'the per-instance concurrency (see above): an instance runs at most what it was sized for, the rest wait or go to another instance',
      },
      {
        name: 'host.json extensions.http.routePrefix',
        value: custom ? '(empty)' : 'api',
        source: custom
          ? 'empty, with the catch-all route of serve/function.json: requests reach the server at the paths it served on the cluster'
          : "the Functions default: the scaffold's function answers at /api/predict",
      },
    );
  if (custom?.executable)
    rows.push({
      name: 'host.json customHandler.description',
      value: [custom.executable, ...custom.arguments].join(' '),
      source: `${custom.executableSource}; the host starts it on each instance${plan.http ? ' and forwards every HTTP request to it as it came (enableForwardingHttpRequest)' : ''}`,
    });
  if (hasServeFunction(plan))
    rows.push({
      name: `${SERVE_FUNCTION}/function.json`,
      value: 'httpTrigger route {*path}, authLevel function',
      source:
        'one catch-all HTTP function: every path goes to the custom handler; authLevel function requires a function key, as a ClusterIP Service was not open to the internet',
    });
  return rows;
}
