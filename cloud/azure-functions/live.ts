/**
 * What is deployed: the function app (Web Apps - Get), its plan (App Service Plans - Get, for the SKU
 * and Premium's maximumElasticWorkerCount) and the two host.json overrides among its app settings
 * (Web Apps - List Application Settings). Other app settings are read by that call but dropped at
 * once: they may hold secrets and nothing here needs them.
 */

import type { AppServicePlan, Site } from '@azure/arm-appservice';
import { FLEX_SIZES, PREMIUM_SKUS } from '../../converters/azure-functions/sizing.ts';
import { MigrateError } from '../../core/errors.ts';
import type { LiveConfig, SettingName, SettingValue } from '../types.ts';
import { parseResourceId } from './arm-expression.ts';
import type { AzureSession } from './client.ts';
import { toMigrateError } from './errors.ts';
import { HOST_SETTINGS, parseFunctionTimeout } from './host-settings.ts';

/** The app settings live settings are read from (only these are kept). */
export type HostOverrides = Partial<Record<(typeof HOST_SETTINGS)[keyof typeof HOST_SETTINGS], string>>;

/** Refuses a name the template could not resolve (it still holds the expression). */
export function assertResolvedName(name: string): void {
  if (name.startsWith('['))
    throw new MigrateError(
      `the function app's name is the template expression ${name}, known only once deployed: pass --name`,
      {
        hint: 'pass the deployed (or wanted) name with --name',
      },
    );
}

export async function readAzureLive(session: AzureSession, name: string): Promise<LiveConfig | null> {
  assertResolvedName(name);
  const { client, resourceGroup } = session;
  const options = { requestOptions: { timeout: session.requestTimeoutMs } };
  let site: Site;
  try {
    site = await client.webApps.get(resourceGroup, name, options);
  } catch (error) {
    if (isResourceNotFound(error)) return null;
    throw toMigrateError(error, { operation: 'web.sites.get', name, endpoint: session.endpoint });
  }
  const farm = site.serverFarmId ? parseResourceId(site.serverFarmId) : null;
  let plan: AppServicePlan | null = null;
  if (farm)
    try {
      plan = await client.appServicePlans.get(farm.resourceGroup ?? resourceGroup, farm.name, options);
    } catch (error) {
      if (!isResourceNotFound(error))
        throw toMigrateError(error, {
          operation: 'web.serverfarms.get',
          name: farm.name,
          endpoint: session.endpoint,
        });
    }
  let overrides: HostOverrides | null = null;
  try {
    const all = (await client.webApps.listApplicationSettings(resourceGroup, name, options)).properties ?? {};
    overrides = Object.fromEntries(
      Object.values(HOST_SETTINGS)
        .filter((key) => all[key] !== undefined)
        .map((key) => [key, all[key]!]),
    );
  } catch (error) {
    // Reading app settings needs Microsoft.Web/sites/config/list/action, which Reader lacks: verify still
    // compares everything else, and says why the timeout is unknown.
    if ((error as { statusCode?: number }).statusCode !== 403)
      throw toMigrateError(error, {
        operation: 'web.sites.listApplicationSettings',
        name,
        endpoint: session.endpoint,
      });
  }
  return liveFromSite(site, plan, overrides);
}

/** The settings of a deployed app, in the units verify compares. Pure. */
export function liveFromSite(
  site: Site,
  plan: AppServicePlan | null,
  overrides: HostOverrides | null,
): LiveConfig {
  const settings: Partial<Record<SettingName, SettingValue>> = {};
  const sku = plan?.sku?.name ?? null;
  settings.plan = sku;
  const config = site.siteConfig ?? {};
  if (sku === 'FC1') {
    const scale = site.functionAppConfig?.scaleAndConcurrency ?? {};
    const memoryMb = scale.instanceMemoryMB ?? null;
    settings.memoryMb = memoryMb;
    settings.cpuMillis = FLEX_SIZES.find((size) => size.memoryMb === memoryMb)?.cpuMillis ?? null;
    settings.maxInstances = scale.maximumInstanceCount ?? null;
    // No `http` entry: the platform keeps none ready (default 0, platform-facts.md g).
    settings.warmInstances = scale.alwaysReady?.find((entry) => entry.name === 'http')?.instanceCount ?? 0;
    settings.concurrency = scale.triggers?.http?.perInstanceConcurrency ?? null;
  } else {
    const premium = PREMIUM_SKUS.find((entry) => entry.sku === sku);
    if (premium) {
      settings.memoryMb = premium.memoryMb;
      settings.cpuMillis = premium.cpuMillis;
    }
    settings.warmInstances = config.minimumElasticInstanceCount ?? null;
    // The app's own limit when it has one, else the plan's burst (maximumElasticWorkerCount).
    settings.maxInstances =
      config.functionAppScaleLimit && config.functionAppScaleLimit > 0
        ? config.functionAppScaleLimit
        : (plan?.maximumElasticWorkerCount ?? null);
    const concurrency = overrides?.[HOST_SETTINGS.concurrency];
    settings.concurrency = concurrency === undefined ? null : Number(concurrency);
    const fx = config.linuxFxVersion ?? '';
    settings.image = /^DOCKER\|/i.test(fx) ? fx.replace(/^DOCKER\|/i, '') : null;
  }
  const timeout = overrides?.[HOST_SETTINGS.timeout];
  settings.timeoutSeconds = timeout === undefined ? null : parseFunctionTimeout(timeout);
  const facts: Record<string, string> = {
    id: site.id ?? '',
    defaultHostName: site.defaultHostName ?? '',
    state: site.state ?? '',
    location: site.location,
    sku: plan?.sku ? `${plan.sku.name ?? '?'} (${plan.sku.tier ?? '?'})` : 'plan not readable',
    kind: site.kind ?? '',
    serverFarmId: site.serverFarmId ?? '',
    planLocation: plan?.location ?? '',
  };
  if (overrides === null)
    facts.appSettings =
      'not readable (Microsoft.Web/sites/config/list/action denied): timeoutSeconds and Premium concurrency unknown';
  else if (timeout === undefined)
    facts.timeoutSeconds = `no ${HOST_SETTINGS.timeout} app setting: the timeout is host.json's in the deployed package, which ARM cannot read`;
  return { name: site.name ?? '', id: site.id ?? '', settings, facts };
}

/** 404 ResourceNotFound (ARM) or NotFound (App Service): the resource is absent; a missing group is an error. */
export function isResourceNotFound(error: unknown): boolean {
  const { statusCode, code } = (error ?? {}) as { statusCode?: number; code?: string };
  return statusCode === 404 && code !== 'ResourceGroupNotFound' && code !== 'SubscriptionNotFound';
}
