/**
 * What `migrate convert --target azure-functions` wrote, read back for verify and apply: the function
 * app (Microsoft.Web/sites) and its plan (Microsoft.Web/serverfarms) from azuredeploy.json, the timeout
 * (and on Premium the HTTP concurrency) from host.json. Every setting names its `file:line (JSON pointer)`.
 * Pure: files arrive through `read`.
 *
 * The template's other resources (storage, monitoring, role assignments) and every value only the
 * deployment engine can compute are listed in notApplied with the reason and what to run instead.
 */

import { basename, dirname, join } from 'node:path';
import { FLEX_SIZES, PREMIUM_SKUS } from '../../converters/azure-functions/sizing.ts';
import { MigrateError } from '../../core/errors.ts';
import { readConfigFile } from '../config-dir.ts';
import type { DesiredConfig, DesiredSetting, SettingName } from '../types.ts';
import {
  type ArmScope,
  type ArmValue,
  evaluate,
  firstUnresolved,
  parseResourceId,
  Unresolved,
} from './arm-expression.ts';
import { HOST_SETTINGS, parseFunctionTimeout } from './host-settings.ts';
import { type JsonSource, parseJsonSource, pointer } from './json-source.ts';

export const CONFIG_FILE = 'azuredeploy.json';

export type Hosting = 'flex' | 'premium';

/** A JSON object the SDK serialises: the site and plan in the SDK's flattened shape (properties.* at the top). */
export type Json = Record<string, unknown>;

/** The target's own parsed form (DesiredConfig.resource), what planApply builds its calls from. */
export interface AzureDesired {
  hosting: Hosting;
  /** Why the app's name is not known before deploying (then `--name` supplies it); null when known. */
  nameUnresolved: string | null;
  /** The region, or null when the template leaves it to the resource group (then `--region`). */
  location: string | null;
  plan: { name: string; definition: Json };
  /** Microsoft.Web/sites without location and app settings (they go in `appSettings`). */
  site: Json;
  /** The app settings apply can set: literal or resolvable values, Key Vault references as references. */
  appSettings: { name: string; value: string }[];
  /** host.json values apply sets as AzureFunctionsJobHost__ app settings, which override host.json. */
  hostSettings: Record<string, string>;
  /** Where maxInstances lives: the site's functionAppScaleLimit, the plan's maximumElasticWorkerCount, or Flex. */
  maxInstancesFrom: 'flex' | 'site' | 'plan' | null;
}

type Node = Record<string, unknown>;
const isNode = (value: unknown): value is Node =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const HINT =
  'pass the folder `migrate convert --target azure-functions --out DIR` wrote (azuredeploy.json and host.json)';

/** Known role definitions the converter assigns (Azure built-in roles). */
const ROLES: Record<string, string> = {
  'b7e6dc6d-f1e8-4753-8033-0f276bb0955b': 'Storage Blob Data Owner',
  '4633458b-17de-408a-b874-0445c86b69e6': 'Key Vault Secrets User',
  '516239f1-63e1-4d78-a4de-a74fb236a071': 'App Configuration Data Reader',
};

export async function readAzureDesired(
  folder: string,
  read: (path: string) => Promise<string | null>,
): Promise<DesiredConfig> {
  const { file, text } = await readConfigFile(folder, CONFIG_FILE, 'azure-functions', read, HINT);
  const template = parseJsonSource(text, file, HINT);
  const hostFile = join(folder, 'host.json');
  const hostText = await read(hostFile);
  const host = hostText === null ? null : parseJsonSource(hostText, hostFile, HINT);
  return desiredFromTemplate(folder, template, host);
}

export function desiredFromTemplate(
  folder: string,
  template: JsonSource,
  host: JsonSource | null,
): DesiredConfig {
  const fail = (why: string, at?: string) =>
    new MigrateError(`${at ?? template.file}: ${why}`, { hint: HINT });
  const root = template.value;
  if (!isNode(root)) throw fail('not a JSON object (an ARM deployment template)');
  const scope: ArmScope = {
    parameters: isNode(root.parameters) ? root.parameters : {},
    variables: isNode(root.variables) ? root.variables : {},
  };
  const resources = Array.isArray(root.resources) ? root.resources : [];
  const siteIndex = resources.findIndex(
    (resource) => isNode(resource) && resource.type === 'Microsoft.Web/sites',
  );
  if (siteIndex < 0)
    throw fail('no Microsoft.Web/sites resource (the function app)', template.at('/resources'));
  const site = resources[siteIndex] as Node;
  const sitePath = pointer('resources', siteIndex);
  const siteProps = isNode(site.properties) ? site.properties : {};

  const farmId = evaluate(siteProps.serverFarmId, scope);
  const farmRef = typeof farmId === 'string' ? parseResourceId(farmId) : null;
  const planIndex = resources.findIndex(
    (resource) =>
      isNode(resource) &&
      resource.type === 'Microsoft.Web/serverfarms' &&
      farmRef !== null &&
      evaluate(resource.name, scope) === farmRef.name,
  );
  if (planIndex < 0)
    throw fail(
      "the function app's serverFarmId names no Microsoft.Web/serverfarms resource of this template",
      template.at(`${sitePath}/properties/serverFarmId`),
    );
  const plan = resources[planIndex] as Node;
  const planPath = pointer('resources', planIndex);
  const planName = farmRef!.name;

  const notApplied: DesiredConfig['notApplied'] = [];
  const dropped = (field: string, reason: string) => notApplied.push({ field, reason });

  // The name.
  const nameValue = evaluate(site.name, scope);
  const nameUnresolved =
    nameValue instanceof Unresolved || typeof nameValue !== 'string'
      ? `the function app's name ${String(site.name)} (${template.at(`${sitePath}/name`)}) is not known before deploying: ${nameValue instanceof Unresolved ? nameValue.reason : 'not a string'}`
      : null;
  const name = nameUnresolved === null ? (nameValue as string) : String(site.name);

  // Region: apply takes --region when the template leaves it to the resource group.
  const locationValue = evaluate(site.location, scope);
  const location = typeof locationValue === 'string' ? locationValue : null;

  // Hosting plan and its SKU.
  const skuName = evaluate(isNode(plan.sku) ? plan.sku.name : undefined, scope);
  const hosting: Hosting | null =
    skuName === 'FC1' ? 'flex' : PREMIUM_SKUS.some((sku) => sku.sku === skuName) ? 'premium' : null;
  if (hosting === null)
    throw fail(
      `plan SKU ${JSON.stringify(skuName instanceof Unresolved ? plan.sku : skuName)} is neither Flex Consumption (FC1) nor Premium (EP1–EP3)`,
      template.at(`${planPath}/sku/name`),
    );

  const planDefinition = strip(
    { kind: plan.kind, sku: plan.sku, tags: plan.tags, ...(isNode(plan.properties) ? plan.properties : {}) },
    planPath,
    scope,
    template,
    (at, why) => dropped(`Microsoft.Web/serverfarms ${planName} ${at}`, why),
  );
  const { appSettings: rawSettings, ...siteConfigRaw } = isNode(siteProps.siteConfig)
    ? siteProps.siteConfig
    : {};
  const { siteConfig: _siteConfig, ...otherProps } = siteProps;
  const siteDefinition = strip(
    {
      kind: site.kind,
      identity: site.identity,
      tags: site.tags,
      ...otherProps,
      siteConfig: siteConfigRaw,
    },
    sitePath,
    scope,
    template,
    (at, why) => dropped(`Microsoft.Web/sites ${name} ${at}`, why),
  );
  const appSettings = readAppSettings(
    rawSettings,
    `${sitePath}/properties/siteConfig/appSettings`,
    scope,
    template,
    dropped,
  );

  // The settings verify compares.
  const settings: Partial<Record<SettingName, DesiredSetting>> = {};
  const number = (raw: unknown, at: string, label: string): number => {
    const value = evaluate(raw, scope);
    if (value instanceof Unresolved) throw fail(`${label}: ${value.reason}`, template.at(at));
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
      throw fail(`${label} must be a non-negative number, got ${JSON.stringify(value)}`, template.at(at));
    return value;
  };
  settings.plan = { value: skuName as string, source: template.at(`${planPath}/sku/name`) };
  let maxInstancesFrom: AzureDesired['maxInstancesFrom'] = null;
  if (hosting === 'flex') {
    const configPath = `${sitePath}/properties/functionAppConfig`;
    const config = isNode(siteProps.functionAppConfig) ? siteProps.functionAppConfig : null;
    if (!config)
      throw fail('a Flex Consumption app needs properties.functionAppConfig', template.at(sitePath));
    const scale = isNode(config.scaleAndConcurrency) ? config.scaleAndConcurrency : {};
    const scalePath = `${configPath}/scaleAndConcurrency`;
    if (scale.instanceMemoryMB !== undefined) {
      const memoryMb = number(scale.instanceMemoryMB, `${scalePath}/instanceMemoryMB`, 'instanceMemoryMB');
      if (!FLEX_SIZES.some((size) => size.memoryMb === memoryMb))
        throw fail(
          `instanceMemoryMB ${memoryMb} is not a Flex Consumption size (${FLEX_SIZES.map((size) => size.memoryMb).join(', ')})`,
          template.at(`${scalePath}/instanceMemoryMB`),
        );
      settings.memoryMb = { value: memoryMb, source: template.at(`${scalePath}/instanceMemoryMB`) };
    }
    if (scale.maximumInstanceCount !== undefined) {
      const at = `${scalePath}/maximumInstanceCount`;
      settings.maxInstances = {
        value: number(scale.maximumInstanceCount, at, 'maximumInstanceCount'),
        source: template.at(at),
      };
      maxInstancesFrom = 'flex';
    }
    const ready = Array.isArray(scale.alwaysReady) ? scale.alwaysReady : [];
    const httpIndex = ready.findIndex((entry) => isNode(entry) && entry.name === 'http');
    if (httpIndex >= 0) {
      const at = `${scalePath}/alwaysReady/${httpIndex}/instanceCount`;
      settings.warmInstances = {
        value: number((ready[httpIndex] as Node).instanceCount, at, 'alwaysReady http instanceCount'),
        source: template.at(at),
      };
    }
    const http = isNode(scale.triggers) && isNode(scale.triggers.http) ? scale.triggers.http : {};
    if (http.perInstanceConcurrency !== undefined) {
      const at = `${scalePath}/triggers/http/perInstanceConcurrency`;
      settings.concurrency = {
        value: number(http.perInstanceConcurrency, at, 'perInstanceConcurrency'),
        source: template.at(at),
      };
    }
  } else {
    const configPath = `${sitePath}/properties/siteConfig`;
    if (siteConfigRaw.minimumElasticInstanceCount !== undefined) {
      const at = `${configPath}/minimumElasticInstanceCount`;
      settings.warmInstances = {
        value: number(siteConfigRaw.minimumElasticInstanceCount, at, 'minimumElasticInstanceCount'),
        source: template.at(at),
      };
    }
    const planProps = isNode(plan.properties) ? plan.properties : {};
    if (siteConfigRaw.functionAppScaleLimit !== undefined) {
      const at = `${configPath}/functionAppScaleLimit`;
      settings.maxInstances = {
        value: number(siteConfigRaw.functionAppScaleLimit, at, 'functionAppScaleLimit'),
        source: template.at(at),
      };
      maxInstancesFrom = 'site';
    } else if (planProps.maximumElasticWorkerCount !== undefined) {
      const at = `${planPath}/properties/maximumElasticWorkerCount`;
      settings.maxInstances = {
        value: number(planProps.maximumElasticWorkerCount, at, 'maximumElasticWorkerCount'),
        source: template.at(at),
      };
      maxInstancesFrom = 'plan';
    }
    const fx = evaluate(siteConfigRaw.linuxFxVersion, scope);
    if (typeof fx === 'string' && /^DOCKER\|/i.test(fx))
      settings.image = {
        value: fx.replace(/^DOCKER\|/i, ''),
        source: template.at(`${configPath}/linuxFxVersion`),
      };
  }

  // host.json: the timeout everywhere, the HTTP concurrency on Premium (Flex has perInstanceConcurrency).
  const hostSettings: Record<string, string> = {};
  if (host) {
    const hostRoot = isNode(host.value) ? host.value : {};
    if (typeof hostRoot.functionTimeout === 'string') {
      const seconds = parseFunctionTimeout(hostRoot.functionTimeout);
      if (seconds === null)
        throw fail(
          `functionTimeout ${JSON.stringify(hostRoot.functionTimeout)} is not HH:MM:SS or -1`,
          host.at('/functionTimeout'),
        );
      settings.timeoutSeconds = { value: seconds, source: host.at('/functionTimeout') };
      hostSettings[HOST_SETTINGS.timeout] = hostRoot.functionTimeout;
    }
    const http =
      isNode(hostRoot.extensions) && isNode(hostRoot.extensions.http) ? hostRoot.extensions.http : {};
    if (hosting === 'premium' && typeof http.maxConcurrentRequests === 'number') {
      settings.concurrency = {
        value: http.maxConcurrentRequests,
        source: host.at('/extensions/http/maxConcurrentRequests'),
      };
      hostSettings[HOST_SETTINGS.concurrency] = String(http.maxConcurrentRequests);
    }
    dropped(
      'host.json (the file)',
      `part of the app package that \`func azure functionapp publish\` deploys, not an ARM resource; apply sets only ${Object.keys(hostSettings).join(' and ') || 'none of it'} as app settings, which override host.json (https://learn.microsoft.com/azure/azure-functions/functions-host-json#override-hostjson-values)`,
    );
  }

  // Everything else in the template: resources apply does not create through the App Service SDK.
  resources.forEach((resource, index) => {
    if (!isNode(resource) || index === siteIndex || index === planIndex) return;
    dropped(
      `${String(resource.type)} ${displayName(resource.name, scope)}`,
      `${otherResourceReason(resource, scope, name)} (${template.at(pointer('resources', index))})`,
    );
  });

  const resource: AzureDesired = {
    hosting,
    nameUnresolved,
    location,
    plan: { name: planName, definition: planDefinition },
    site: siteDefinition,
    appSettings,
    hostSettings,
    maxInstancesFrom,
  };
  const tags = isNode(site.tags) ? site.tags : {};
  return {
    target: 'azure-functions',
    name,
    folder,
    workload:
      typeof tags['migrate-workload'] === 'string' ? tags['migrate-workload'] : basename(dirname(folder)),
    settings,
    notApplied,
    resource,
  };
}

/**
 * The value with every expression evaluated; a leaf that cannot be (a reference(), a parameter without
 * default) is left out and reported, so the request apply sends holds only what is known.
 */
function strip(
  value: Node,
  path: string,
  scope: ArmScope,
  template: JsonSource,
  report: (at: string, why: string) => void,
): Json {
  const walk = (raw: unknown, at: string, field: string): unknown => {
    if (isNode(raw)) {
      const out: Json = {};
      for (const [key, item] of Object.entries(raw)) {
        const child = walk(item, `${at}${pointer(key)}`, field ? `${field}.${key}` : key);
        if (child !== undefined) out[key] = child;
      }
      return out;
    }
    if (Array.isArray(raw))
      return raw
        .map((item, index) => walk(item, `${at}${pointer(index)}`, `${field}[${index}]`))
        .filter((item) => item !== undefined);
    if (raw === undefined) return undefined;
    const evaluated = evaluate(raw, scope);
    const blocked = firstUnresolved(evaluated);
    if (blocked) {
      report(field, `${blocked.reason} (${template.at(at)})`);
      return undefined;
    }
    return evaluated;
  };
  const out: Json = {};
  for (const [key, item] of Object.entries(value)) {
    // kind, sku, tags, identity sit beside `properties` in the template; the rest inside it.
    const at = ['kind', 'sku', 'tags', 'identity'].includes(key)
      ? `${path}${pointer(key)}`
      : `${path}/properties${pointer(key)}`;
    const child = walk(item, at, key);
    if (child !== undefined) out[key] = child;
  }
  return out;
}

function readAppSettings(
  raw: unknown,
  at: string,
  scope: ArmScope,
  template: JsonSource,
  dropped: (field: string, reason: string) => void,
): { name: string; value: string }[] {
  if (!Array.isArray(raw)) return [];
  const settings: { name: string; value: string }[] = [];
  raw.forEach((entry, index) => {
    if (!isNode(entry)) return;
    const where = template.at(`${at}/${index}`);
    const name = evaluate(entry.name, scope);
    const value = evaluate(entry.value, scope);
    const label = typeof name === 'string' ? name : String(entry.name);
    if (typeof name === 'string' && typeof value === 'string') {
      settings.push({ name, value });
      return;
    }
    if (typeof name === 'string' && (typeof value === 'number' || typeof value === 'boolean')) {
      settings.push({ name, value: String(value) });
      return;
    }
    const why =
      firstUnresolved(value as ArmValue)?.reason ??
      firstUnresolved(name as ArmValue)?.reason ??
      'not a string';
    dropped(`app setting ${label}`, `${appSettingAdvice(label, String(entry.value), why)} (${where})`);
  });
  return settings;
}

function appSettingAdvice(name: string, raw: string, why: string): string {
  if (/@Microsoft\.KeyVault\(/.test(raw))
    return `a Key Vault reference whose vault is not known before deploying (${why}); apply sets Key Vault references as they are once they are complete: create the vault, grant the app's identity Key Vault Secrets User, then \`az functionapp config appsettings set --settings ${name}=@Microsoft.KeyVault(SecretUri=https://<vault>.vault.azure.net/secrets/<secret>/)\``;
  if (/@Microsoft\.AppConfiguration\(/.test(raw))
    return `an App Configuration reference whose store is not known before deploying (${why}); set it once the store exists: \`az functionapp config appsettings set --settings ${name}=@Microsoft.AppConfiguration(Endpoint=https://<store>.azconfig.io; Key=<key>)\``;
  if (/listKeys\(/i.test(raw))
    return `${why}; deploy the template (az deployment group create) or set it yourself with a Key Vault reference instead of the key`;
  if (/Microsoft\.Insights\/components/.test(raw))
    return `${why}; create Application Insights (az monitor app-insights component create, or deploy the template), then \`az functionapp config appsettings set --settings ${name}=<its connection string>\``;
  return why;
}

function otherResourceReason(resource: Node, scope: ArmScope, app: string): string {
  const type = String(resource.type);
  const name = displayName(resource.name, scope);
  switch (type) {
    case 'Microsoft.Storage/storageAccounts':
      return `apply creates only the plan and the function app (App Service SDK); the app's host storage (on Flex also its package store) must exist before apply creates the app: \`az storage account create --name ${name} --resource-group <resource-group> --sku Standard_LRS --kind StorageV2 --min-tls-version TLS1_2\` (or deploy the template)`;
    case 'Microsoft.Storage/storageAccounts/blobServices':
      return 'created with the storage account';
    case 'Microsoft.Storage/storageAccounts/blobServices/containers': {
      const [account, , container] = name.split('/');
      return `the deployment package container must exist before the first publish: \`az storage container create --account-name ${account} --name ${container} --auth-mode login\``;
    }
    case 'Microsoft.Insights/components':
      return `Application Insights is another resource provider; create it with \`az monitor app-insights component create --app ${name} --resource-group <resource-group> --location <region> --workspace <workspace>\` and set APPLICATIONINSIGHTS_CONNECTION_STRING`;
    case 'Microsoft.OperationalInsights/workspaces':
      return `the Log Analytics workspace behind Application Insights: \`az monitor log-analytics workspace create --workspace-name ${name} --resource-group <resource-group>\``;
    case 'Microsoft.Authorization/roleAssignments': {
      const properties = isNode(resource.properties) ? resource.properties : {};
      const roleId = String(properties.roleDefinitionId ?? '');
      const role =
        Object.entries(ROLES).find(([id]) => roleId.includes(id))?.[1] ?? 'the role in the template';
      const scopeName = displayName(resource.scope, scope);
      return `a role assignment (Microsoft.Authorization, not the App Service SDK) for the app's managed identity, which exists only once the app does: after apply, \`az role assignment create --assignee $(az functionapp identity show -g <resource-group> -n ${app} --query principalId -o tsv) --role "${role}" --scope <the id of ${scopeName}>\``;
    }
    default:
      return 'not a resource the App Service SDK creates; deploy the template for it';
  }
}

function displayName(raw: unknown, scope: ArmScope): string {
  const value = evaluate(raw, scope);
  return typeof value === 'string' ? value : String(raw);
}
