/**
 * The calls that make the deployed app match the converted template. Pure: the subscription is the one
 * connect resolved (--subscription, else AZURE_SUBSCRIPTION_ID); a plan made without a session (tests)
 * falls back to the same default.
 *
 * - Nothing deployed: PUT the plan, then PUT the app — the template's definitions, as
 *   `az deployment group create` would send them (a PUT is create-or-update, so an existing plan of that
 *   name is set to the template's definition too). Each is a long-running operation the SDK waits for.
 * - Deployed and different, only what differs:
 *   - Flex Consumption scale (memory, maximum, always-ready, per-instance concurrency): PUT the app with
 *     the template's definition but no siteConfig. The SDK's PATCH body (SitePatchResource, v19) has no
 *     functionAppConfig, so create-or-update is the documented way; siteConfig is left out so the PUT lists
 *     no app settings (a PUT that lists them replaces them all), and the app stays on its plan.
 *   - Premium always-ready (minimumElasticInstanceCount), functionAppScaleLimit, image: PATCH siteConfig.
 *   - Premium SKU or maximumElasticWorkerCount: PUT the plan.
 *   - host.json timeout (and Premium concurrency): merge into the app settings (host-settings.ts).
 * - Equal: no calls. Never a delete.
 */

import { MigrateError } from '../../core/errors.ts';
import { settingMatches } from '../diff.ts';
import type {
  ApiCall,
  CloudFlags,
  DesiredConfig,
  LiveConfig,
  ResolvedAccount,
  SettingName,
  SettingValue,
} from '../types.ts';
import { fillPlaceholders, parseResourceId } from './arm-expression.ts';
import { armEndpointOf, resourceGroupOf, subscriptionOf } from './client.ts';
import type { AzureDesired, Json } from './desired.ts';
import { HOST_SETTINGS } from './host-settings.ts';
import { assertResolvedName } from './live.ts';

export const OPERATIONS = {
  planPut: 'web.serverfarms.createOrUpdate',
  sitePut: 'web.sites.createOrUpdate',
  sitePatch: 'web.sites.update',
  appSettings: 'web.sites.updateApplicationSettings',
} as const;

const FLEX_SCALE: SettingName[] = ['memoryMb', 'maxInstances', 'warmInstances', 'concurrency'];

export function planAzure(
  desired: DesiredConfig,
  live: LiveConfig | null,
  flags: CloudFlags,
  resolved: ResolvedAccount = {},
): ApiCall[] {
  const resource = desired.resource as AzureDesired;
  assertResolvedName(desired.name);
  const resourceGroupName = resourceGroupOf(flags);
  const subscriptionId = resolved.subscription ?? subscriptionOf(flags);
  const fill = <T>(value: T): T =>
    fillPlaceholders(value, {
      subscriptionId,
      resourceGroup: resourceGroupName,
      storageSuffix: storageSuffixOf(armEndpointOf(flags)),
    });
  return live === null
    ? planCreate(desired, resource, { subscriptionId, resourceGroupName }, flags, fill)
    : planUpdate(desired, resource, live, resourceGroupName, fill);
}

function planCreate(
  desired: DesiredConfig,
  resource: AzureDesired,
  { subscriptionId, resourceGroupName }: { subscriptionId: string; resourceGroupName: string },
  flags: CloudFlags,
  fill: <T>(value: T) => T,
): ApiCall[] {
  const location = resource.location ?? flags.region;
  if (!location)
    throw new MigrateError(
      `${desired.folder}: the template puts ${desired.name} in its resource group's region ([resourceGroup().location]), which apply does not read`,
      { hint: 'pass --region with the Azure region to create it in (e.g. --region westeurope)' },
    );
  const plan = fill(resource.plan.definition);
  const sku = plan.sku as { name?: string; tier?: string } | undefined;
  const { siteConfig, ...site } = fill(resource.site);
  const appSettings = [
    ...resource.appSettings,
    ...Object.entries(resource.hostSettings).map(([name, value]) => ({ name, value })),
  ];
  const planId = `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroupName}/providers/Microsoft.Web/serverfarms/${resource.plan.name}`;
  return [
    {
      operation: OPERATIONS.planPut,
      summary: `create or update plan ${resource.plan.name}: ${sku?.name} (${sku?.tier}) in ${location}, the template's definition (a PUT, as deploying the template would)`,
      input: { resourceGroupName, name: resource.plan.name, appServicePlan: { location, ...plan } },
    },
    {
      operation: OPERATIONS.sitePut,
      summary: `create function app ${desired.name} on ${resource.plan.name}: ${describe(desired)}; ${appSettings.length} app setting(s) (${appSettings.map((setting) => setting.name).join(', ')})`,
      input: {
        resourceGroupName,
        name: desired.name,
        siteEnvelope: {
          location,
          ...site,
          serverFarmId: planId,
          siteConfig: { ...(siteConfig as Json | undefined), appSettings },
        },
      },
    },
  ];
}

function planUpdate(
  desired: DesiredConfig,
  resource: AzureDesired,
  live: LiveConfig,
  resourceGroupName: string,
  fill: <T>(value: T) => T,
): ApiCall[] {
  const differs = (field: SettingName) => {
    const want = desired.settings[field];
    return want !== undefined && !settingMatches(want.value, live.settings[field] ?? null);
  };
  const livePlan = live.settings.plan ?? null;
  const wantPlan = desired.settings.plan?.value ?? null;
  if (livePlan !== null && wantPlan !== null && (livePlan === 'FC1') !== (wantPlan === 'FC1'))
    throw new MigrateError(
      `${desired.name} runs on ${livePlan}; the converted template says ${wantPlan}: an app cannot move between Flex Consumption and Premium in place`,
      {
        hint: 'create it under another name (--name) and move traffic; apply never deletes the old app',
      },
    );
  const calls: ApiCall[] = [];
  const changed = (fields: SettingName[]) => fields.filter(differs);

  if (resource.hosting === 'premium') {
    const planFields = changed([
      'plan',
      ...(resource.maxInstancesFrom === 'plan' ? (['maxInstances'] as const) : []),
    ]);
    if (planFields.length) {
      const farm = parseResourceId(live.facts.serverFarmId ?? '');
      const planGroup = farm?.resourceGroup ?? resourceGroupName;
      calls.push({
        operation: OPERATIONS.planPut,
        summary: `update plan ${farm?.name ?? resource.plan.name}: ${changes(desired, live, planFields)} (a PUT of the template's plan; every app on the plan shares it)`,
        input: {
          resourceGroupName: planGroup,
          name: farm?.name ?? resource.plan.name,
          appServicePlan: {
            location: live.facts.planLocation || live.facts.location,
            ...fill(resource.plan.definition),
          },
        },
      });
    }
    const siteFields = changed([
      'warmInstances',
      ...(resource.maxInstancesFrom === 'site' ? (['maxInstances'] as const) : []),
      'image',
    ]);
    if (siteFields.length) {
      const siteConfig: Json = {};
      if (siteFields.includes('warmInstances'))
        siteConfig.minimumElasticInstanceCount = desired.settings.warmInstances!.value;
      if (siteFields.includes('maxInstances'))
        siteConfig.functionAppScaleLimit = desired.settings.maxInstances!.value;
      if (siteFields.includes('image')) siteConfig.linuxFxVersion = `DOCKER|${desired.settings.image!.value}`;
      calls.push({
        operation: OPERATIONS.sitePatch,
        summary: `update ${desired.name}: ${changes(desired, live, siteFields)} (PATCH of siteConfig only)`,
        input: { resourceGroupName, name: desired.name, siteEnvelope: { siteConfig } },
      });
    }
  } else {
    const scaleFields = changed(FLEX_SCALE);
    if (scaleFields.length) {
      const { siteConfig: _kept, ...site } = fill(resource.site);
      calls.push({
        operation: OPERATIONS.sitePut,
        summary: `update ${desired.name}: ${changes(desired, live, scaleFields)} — a PUT of the template's app without siteConfig (app settings stay), on its current plan; the SDK's PATCH cannot carry functionAppConfig`,
        input: {
          resourceGroupName,
          name: desired.name,
          siteEnvelope: { location: live.facts.location, ...site, serverFarmId: live.facts.serverFarmId },
        },
      });
    }
  }

  const hostFields = changed([
    'timeoutSeconds',
    ...(resource.hosting === 'premium' ? (['concurrency'] as const) : []),
  ]);
  if (hostFields.length) {
    const set: Record<string, string> = {};
    if (hostFields.includes('timeoutSeconds'))
      set[HOST_SETTINGS.timeout] = resource.hostSettings[HOST_SETTINGS.timeout]!;
    if (hostFields.includes('concurrency'))
      set[HOST_SETTINGS.concurrency] = resource.hostSettings[HOST_SETTINGS.concurrency]!;
    calls.push({
      operation: OPERATIONS.appSettings,
      summary: `update ${desired.name}: ${changes(desired, live, hostFields)} as host.json override app settings — list the app settings, set these, write the set back (the others are kept and never shown)`,
      input: { resourceGroupName, name: desired.name, set },
    });
  }
  return calls;
}

/** The storage endpoint suffix of the cloud an ARM endpoint belongs to (ARM's environment().suffixes.storage). */
export function storageSuffixOf(endpoint: string): string {
  if (/usgovcloudapi\.net/i.test(endpoint)) return 'core.usgovcloudapi.net';
  if (/chinacloudapi\.cn/i.test(endpoint)) return 'core.chinacloudapi.cn';
  return 'core.windows.net';
}

function changes(desired: DesiredConfig, live: LiveConfig, fields: SettingName[]): string {
  return fields
    .map(
      (field) => `${field} ${show(live.settings[field] ?? null)} → ${show(desired.settings[field]!.value)}`,
    )
    .join(', ');
}

function describe(desired: DesiredConfig): string {
  return (Object.keys(desired.settings).sort() as SettingName[])
    .map((field) => `${field} ${show(desired.settings[field]!.value)}`)
    .join(', ');
}

const show = (value: SettingValue) => (value === null ? 'unset' : String(value));
