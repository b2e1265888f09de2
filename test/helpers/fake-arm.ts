import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type FakeFunctionHost,
  type FakeFunctionHostOptions,
  startFakeFunctionHost,
} from './fake-arm-functions.ts';
import { fakeTls } from './fake-arm-tls.ts';
import { fakeTokenEndpoint } from './fake-arm-token.ts';

/**
 * Azure Resource Manager for Microsoft.Web, the few operations `migrate verify|apply|measure
 * --target azure-functions` use, over HTTPS (self-signed, trusted through --ca-file), behind a bearer
 * token from the fake App Service managed-identity endpoint (fake-arm-token.ts). Requests are checked
 * strictly — token, api-version, path, JSON body, required fields, Flex Consumption rules — and answered
 * with ARM's shapes: `{ error: { code, message } }` for ARM errors, App Service's `{ Code, Message }`
 * envelope for its own validation errors, 201 + Azure-AsyncOperation for a created site (polled
 * InProgress, then Succeeded), 429 + Retry-After for throttling.
 *
 * REST reference (api-version 2025-05-01, the one @azure/arm-appservice 19 sends):
 * https://learn.microsoft.com/rest/api/appservice/web-apps and …/app-service-plans; async operations:
 * https://learn.microsoft.com/azure/azure-resource-manager/management/async-operations; throttling:
 * https://learn.microsoft.com/azure/azure-resource-manager/management/request-limits-and-throttling.
 */

export const API_VERSION = '2025-05-01';

export interface ArmCall {
  /** `web.sites.get`, `web.sites.createOrUpdate`, `web.operations.get`, … */
  operation: string;
  method: string;
  path: string;
  body: unknown;
}

export interface FakeArmOptions {
  subscriptionId?: string;
  resourceGroup?: string;
  /** InProgress answers to each Azure-AsyncOperation before Succeeded. */
  asyncPolls?: number;
  functions?: Partial<FakeFunctionHostOptions>;
}

type Json = Record<string, unknown>;

export interface FakeArm {
  /** The ARM endpoint: CloudFlags.endpoint / --endpoint. */
  endpoint: string;
  /** The certificate to trust: CloudFlags.caFile / --ca-file. */
  caFile: string;
  /** What makes DefaultAzureCredential's chain sign in here (App Service managed identity) + the subscription. */
  env: Record<string, string>;
  /** The only bearer token ARM accepts. */
  token: string;
  subscriptionId: string;
  resourceGroup: string;
  calls: ArmCall[];
  /** The next `times` requests of `operation` answer `status` (default bodies are ARM's for the status). */
  failNext(
    operation: string,
    status: number,
    body?: unknown,
    times?: number,
    headers?: Record<string, string>,
  ): void;
  /** A deployed plan / site in ARM's wire shape (properties nested), as Get returns them. */
  seedPlan(name: string, plan: Json, resourceGroup?: string): void;
  seedSite(name: string, site: Json, appSettings?: Record<string, string>, resourceGroup?: string): void;
  site(name: string, resourceGroup?: string): Json | undefined;
  plan(name: string, resourceGroup?: string): Json | undefined;
  appSettings(name: string, resourceGroup?: string): Record<string, string> | undefined;
  /** The app's HTTP front end (every site's defaultHostName). */
  functions: FakeFunctionHost;
  close(): Promise<void>;
}

const FLEX_MEMORY = [512, 2048, 4096];
/** App settings Flex Consumption rejects (learn.microsoft.com/azure/azure-functions/functions-app-settings, Flex notes). */
const FLEX_FORBIDDEN_SETTINGS = [
  'FUNCTIONS_WORKER_RUNTIME',
  'FUNCTIONS_EXTENSION_VERSION',
  'WEBSITE_CONTENTAZUREFILECONNECTIONSTRING',
  'WEBSITE_CONTENTSHARE',
  'WEBSITE_RUN_FROM_PACKAGE',
];

const ACTIONS: Record<string, string> = {
  'web.sites.get': 'Microsoft.Web/sites/read',
  'web.sites.createOrUpdate': 'Microsoft.Web/sites/write',
  'web.sites.update': 'Microsoft.Web/sites/write',
  'web.sites.listApplicationSettings': 'Microsoft.Web/sites/config/list/action',
  'web.sites.updateApplicationSettings': 'Microsoft.Web/sites/config/write',
  'web.sites.listHostKeys': 'Microsoft.Web/sites/host/listkeys/action',
  'web.sites.listFunctions': 'Microsoft.Web/sites/functions/read',
  'web.serverfarms.get': 'Microsoft.Web/serverfarms/read',
  'web.serverfarms.createOrUpdate': 'Microsoft.Web/serverfarms/write',
};

export async function startFakeArm(options: FakeArmOptions = {}): Promise<FakeArm> {
  const tls = fakeTls();
  const identity = await fakeTokenEndpoint();
  const subscriptionId = options.subscriptionId ?? '00000000-0000-0000-0000-0000000000a1';
  const defaultGroup = options.resourceGroup ?? 'rg-migrate';
  const groups = new Set([defaultGroup.toLowerCase()]);
  const asyncPolls = options.asyncPolls ?? 1;
  const keys = {
    master: `fake-master-${randomBytes(6).toString('hex')}`,
    fn: `fake-fn-${randomBytes(6).toString('hex')}`,
  };
  const functions = await startFakeFunctionHost(keys.fn, {
    coldMs: options.functions?.coldMs ?? 300,
    serviceMs: options.functions?.serviceMs ?? 20,
    perInstance: options.functions?.perInstance ?? 1,
  });
  const calls: ArmCall[] = [];
  const failures = new Map<string, { status: number; body: unknown; headers: Record<string, string> }[]>();
  const plans = new Map<string, Json>();
  const sites = new Map<string, { site: Json; appSettings: Record<string, string> }>();
  const operations = new Map<string, { remaining: number; key: string }>();
  let endpoint = '';
  const key = (group: string, name: string) => `${group}/${name}`.toLowerCase();
  const groupId = (group: string) => `/subscriptions/${subscriptionId}/resourceGroups/${group}`;

  const server = createServer({ cert: tls.cert, key: tls.key }, async (req, res) => {
    const url = new URL(req.url ?? '/', 'https://127.0.0.1');
    const text = await readBody(req);
    let body: unknown = null;
    const route = routeOf(req.method ?? 'GET', url.pathname);
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      calls.push({
        operation: route?.operation ?? 'unknown',
        method: req.method ?? '',
        path: url.pathname,
        body: text,
      });
      return armError(
        res,
        400,
        'InvalidRequestContent',
        'The request content was invalid and could not be deserialized.',
      );
    }
    calls.push({
      operation: route?.operation ?? 'unknown',
      method: req.method ?? '',
      path: url.pathname,
      body,
    });
    const auth = req.headers.authorization;
    if (!auth)
      return armError(
        res,
        401,
        'AuthenticationFailed',
        "Authentication failed. The 'Authorization' header is missing.",
      );
    if (auth !== `Bearer ${identity.token}`)
      return armError(res, 401, 'InvalidAuthenticationToken', 'The access token is invalid.');
    const apiVersion = url.searchParams.get('api-version');
    if (!apiVersion)
      return armError(
        res,
        400,
        'MissingApiVersionParameter',
        'The api-version query parameter (?api-version=) is required for all requests.',
      );
    if (apiVersion !== API_VERSION)
      return armError(
        res,
        400,
        'InvalidApiVersionParameter',
        `The api-version '${apiVersion}' is invalid. The supported versions are '${API_VERSION}'.`,
      );
    if (!route)
      return armError(
        res,
        404,
        'InvalidResourceType',
        `The resource type for '${url.pathname}' could not be found in the namespace 'Microsoft.Web' for api version '${apiVersion}'.`,
      );
    const injected = failures.get(route.operation)?.shift();
    if (injected) {
      const code = defaultCode(injected.status);
      const action = ACTIONS[route.operation] ?? 'Microsoft.Web/*';
      const message =
        injected.status === 403
          ? `The client 'migrate-test' with object id '00000000-0000-0000-0000-0000000000b2' does not have authorization to perform action '${action}' over scope '${url.pathname}' or the scope is invalid. If access was recently granted, please refresh your credentials.`
          : injected.status === 429
            ? 'The request is being throttled. Please retry after the time in the Retry-After header.'
            : `injected ${injected.status}`;
      for (const [name, value] of Object.entries(injected.headers)) res.setHeader(name, value);
      return send(res, injected.status, injected.body ?? { error: { code, message } });
    }
    if (route.subscription !== subscriptionId)
      return armError(
        res,
        404,
        'SubscriptionNotFound',
        `The subscription '${route.subscription}' could not be found.`,
      );
    if (route.operation === 'web.operations.get') return operationStatus(res, route.name);
    if (!groups.has(route.group.toLowerCase()))
      return armError(
        res,
        404,
        'ResourceGroupNotFound',
        `Resource group '${route.group}' could not be found.`,
      );
    const handler = HANDLERS[route.operation];
    if (!handler)
      return armError(res, 405, 'MethodNotAllowed', `${req.method} is not supported on ${url.pathname}`);
    return handler(res, route, body);
  });

  type Route = NonNullable<ReturnType<typeof routeOf>>;
  const notFound = (res: ServerResponse, type: string, route: Route) =>
    armError(
      res,
      404,
      'ResourceNotFound',
      `The Resource 'Microsoft.Web/${type}/${route.name}' under resource group '${route.group}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
    );
  const siteOf = (route: Route) => sites.get(key(route.group, route.name));
  const publicSite = (stored: Json): Json => {
    const properties = stored.properties as Json;
    // Get returns siteConfig without app settings (they come from config/appsettings/list).
    return {
      ...stored,
      properties: { ...properties, siteConfig: { ...(properties.siteConfig as Json), appSettings: null } },
    };
  };

  const HANDLERS: Record<string, (res: ServerResponse, route: Route, body: unknown) => void> = {
    // Web Apps - Get: https://learn.microsoft.com/rest/api/appservice/web-apps/get
    'web.sites.get': (res, route) => {
      const found = siteOf(route);
      return found ? send(res, 200, publicSite(found.site)) : notFound(res, 'sites', route);
    },
    // Web Apps - Create Or Update: https://learn.microsoft.com/rest/api/appservice/web-apps/create-or-update
    'web.sites.createOrUpdate': (res, route, body) => {
      if (!isJson(body)) return appServiceError(res, 400, 'BadRequest', 'The request body is required.');
      const location = body.location;
      if (typeof location !== 'string' || !location)
        return appServiceError(
          res,
          400,
          'LocationRequired',
          'The location property is required for this definition.',
        );
      if (typeof body.kind !== 'string' || !/functionapp/.test(body.kind))
        return appServiceError(
          res,
          400,
          'BadRequest',
          `kind '${String(body.kind)}' is not a function app kind (functionapp,linux)`,
        );
      const properties = isJson(body.properties) ? body.properties : null;
      if (!properties || typeof properties.serverFarmId !== 'string')
        return appServiceError(res, 400, 'BadRequest', 'properties.serverFarmId is required.');
      const farm = /\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Web\/serverfarms\/([^/]+)$/i.exec(
        properties.serverFarmId,
      );
      const plan = farm ? plans.get(key(farm[1]!, farm[2]!)) : undefined;
      if (!farm || !plan || !properties.serverFarmId.startsWith(`/subscriptions/${subscriptionId}/`))
        return appServiceError(
          res,
          404,
          'NotFound',
          `Server farm with name ${farm?.[2] ?? properties.serverFarmId} not found.`,
        );
      const sku = (plan.sku as Json).name;
      const siteConfig = isJson(properties.siteConfig) ? properties.siteConfig : undefined;
      const settings = siteConfig?.appSettings;
      if (settings !== undefined && settings !== null) {
        if (
          !Array.isArray(settings) ||
          !settings.every(
            (s) => isJson(s) && typeof s.name === 'string' && s.name && typeof s.value === 'string',
          )
        )
          return appServiceError(
            res,
            400,
            'BadRequest',
            'siteConfig.appSettings must be a list of { name, value } strings.',
          );
        if (sku === 'FC1') {
          const bad = settings.find((s) => FLEX_FORBIDDEN_SETTINGS.includes((s as Json).name as string));
          if (bad)
            return appServiceError(
              res,
              400,
              'BadRequest',
              `The following app setting (Site.SiteConfig.AppSettings.${(bad as Json).name}) for Flex Consumption sites is invalid.`,
            );
        }
      }
      if (sku === 'FC1') {
        const problem = flexProblem(properties.functionAppConfig);
        if (problem) return appServiceError(res, 400, 'BadRequest', problem);
      } else if (properties.functionAppConfig !== undefined)
        return appServiceError(
          res,
          400,
          'BadRequest',
          'FunctionAppConfig is only supported for Flex Consumption sites.',
        );
      const existing = siteOf(route);
      const { siteConfig: _config, ...rest } = properties;
      const oldProps = (existing?.site.properties ?? {}) as Json;
      const { appSettings: _settings, ...configRest } = siteConfig ?? {};
      const id = `${groupId(route.group)}/providers/Microsoft.Web/sites/${route.name}`;
      const created = existing === undefined;
      const site: Json = {
        id,
        name: route.name,
        type: 'Microsoft.Web/sites',
        kind: body.kind,
        location,
        tags: body.tags ?? existing?.site.tags,
        identity: isJson(body.identity)
          ? {
              ...body.identity,
              principalId: '00000000-0000-0000-0000-0000000000c3',
              tenantId: '00000000-0000-0000-0000-0000000000d4',
            }
          : existing?.site.identity,
        properties: {
          ...oldProps,
          ...rest,
          siteConfig: { ...((oldProps.siteConfig as Json) ?? {}), ...configRest },
          state: 'Running',
          enabled: true,
          defaultHostName: functions.hostName,
          provisioningState: created ? 'InProgress' : 'Succeeded',
        },
      };
      const appSettings = Array.isArray(settings)
        ? Object.fromEntries((settings as Json[]).map((s) => [s.name as string, s.value as string]))
        : (existing?.appSettings ?? {});
      sites.set(key(route.group, route.name), { site, appSettings });
      functions.idle(...readyInstances(site, sku as string));
      if (!created) return send(res, 200, publicSite(site));
      const operationId = randomUUID();
      operations.set(operationId, { remaining: asyncPolls, key: key(route.group, route.name) });
      res.setHeader(
        'Azure-AsyncOperation',
        `${endpoint}/subscriptions/${subscriptionId}/providers/Microsoft.Web/locations/${location}/operationResults/${operationId}?api-version=${API_VERSION}`,
      );
      res.setHeader('Retry-After', '0');
      return send(res, 201, publicSite(site));
    },
    // Web Apps - Update (PATCH): https://learn.microsoft.com/rest/api/appservice/web-apps/update
    'web.sites.update': (res, route, body) => {
      const found = siteOf(route);
      if (!found) return notFound(res, 'sites', route);
      if (!isJson(body) || (body.properties !== undefined && !isJson(body.properties)))
        return appServiceError(res, 400, 'BadRequest', 'The request body must be a SitePatchResource.');
      const patch = (body.properties ?? {}) as Json;
      if (patch.functionAppConfig !== undefined)
        return appServiceError(res, 400, 'BadRequest', 'functionAppConfig is not part of SitePatchResource.');
      const properties = found.site.properties as Json;
      const { appSettings, ...configPatch } = isJson(patch.siteConfig) ? patch.siteConfig : {};
      const { siteConfig: _ignored, ...rest } = patch;
      found.site.properties = {
        ...properties,
        ...rest,
        siteConfig: { ...(properties.siteConfig as Json), ...configPatch },
      };
      if (Array.isArray(appSettings))
        found.appSettings = Object.fromEntries(
          (appSettings as Json[]).map((s) => [s.name as string, s.value as string]),
        );
      return send(res, 200, publicSite(found.site));
    },
    // Web Apps - List Application Settings: …/web-apps/list-application-settings
    'web.sites.listApplicationSettings': (res, route) => {
      const found = siteOf(route);
      if (!found) return notFound(res, 'sites', route);
      return send(res, 200, settingsResource(found.site, found.appSettings));
    },
    // Web Apps - Update Application Settings (replaces the whole set): …/web-apps/update-application-settings
    'web.sites.updateApplicationSettings': (res, route, body) => {
      const found = siteOf(route);
      if (!found) return notFound(res, 'sites', route);
      if (
        !isJson(body) ||
        !isJson(body.properties) ||
        !Object.values(body.properties).every((v) => typeof v === 'string')
      )
        return appServiceError(
          res,
          400,
          'BadRequest',
          'properties must map app setting names to string values.',
        );
      found.appSettings = { ...(body.properties as Record<string, string>) };
      return send(res, 200, settingsResource(found.site, found.appSettings));
    },
    // Web Apps - List Host Keys: …/web-apps/list-host-keys
    'web.sites.listHostKeys': (res, route) => {
      if (!siteOf(route)) return notFound(res, 'sites', route);
      return send(res, 200, { masterKey: keys.master, functionKeys: { default: keys.fn }, systemKeys: {} });
    },
    // Web Apps - List Functions: …/web-apps/list-functions
    'web.sites.listFunctions': (res, route) => {
      const found = siteOf(route);
      if (!found) return notFound(res, 'sites', route);
      const fn = functions.route.path.split('/').pop()!;
      return send(res, 200, {
        value: [
          {
            id: `${found.site.id}/functions/${fn}`,
            name: `${route.name}/${fn}`,
            type: 'Microsoft.Web/sites/functions',
            properties: {
              name: fn,
              function_app_id: found.site.id,
              invoke_url_template: `https://${functions.hostName}${functions.route.path}`,
              language: 'python',
              isDisabled: false,
              config: {
                bindings: [
                  {
                    type: 'httpTrigger',
                    direction: 'in',
                    name: 'req',
                    authLevel: 'function',
                    methods: functions.route.methods,
                    route: fn,
                  },
                  { type: 'http', direction: 'out', name: '$return' },
                ],
              },
            },
          },
        ],
        nextLink: null,
      });
    },
    // App Service Plans - Get: https://learn.microsoft.com/rest/api/appservice/app-service-plans/get
    'web.serverfarms.get': (res, route) => {
      const plan = plans.get(key(route.group, route.name));
      return plan ? send(res, 200, plan) : notFound(res, 'serverFarms', route);
    },
    // App Service Plans - Create Or Update: …/app-service-plans/create-or-update
    'web.serverfarms.createOrUpdate': (res, route, body) => {
      if (!isJson(body)) return appServiceError(res, 400, 'BadRequest', 'The request body is required.');
      if (typeof body.location !== 'string' || !body.location)
        return appServiceError(
          res,
          400,
          'LocationRequired',
          'The location property is required for this definition.',
        );
      const sku = isJson(body.sku) ? body.sku : null;
      if (!sku || typeof sku.name !== 'string')
        return appServiceError(res, 400, 'BadRequest', 'sku.name is required.');
      const properties = isJson(body.properties) ? body.properties : {};
      if (sku.name === 'FC1') {
        if (sku.tier !== 'FlexConsumption')
          return appServiceError(res, 400, 'BadRequest', 'FC1 is the FlexConsumption tier.');
        if (properties.reserved !== true)
          return appServiceError(
            res,
            400,
            'BadRequest',
            'Flex Consumption plans are Linux only: properties.reserved must be true.',
          );
      } else if (/^EP[1-3]$/.test(sku.name)) {
        if (sku.tier !== 'ElasticPremium')
          return appServiceError(res, 400, 'BadRequest', `${sku.name} is the ElasticPremium tier.`);
        const max = properties.maximumElasticWorkerCount;
        if (max !== undefined && (!Number.isInteger(max) || (max as number) < 1 || (max as number) > 100))
          return appServiceError(res, 400, 'BadRequest', 'maximumElasticWorkerCount must be 1–100.');
      } else
        return appServiceError(
          res,
          400,
          'BadRequest',
          `sku ${sku.name} is not a function app plan this fake serves.`,
        );
      const plan: Json = {
        id: `${groupId(route.group)}/providers/Microsoft.Web/serverfarms/${route.name}`,
        name: route.name,
        type: 'Microsoft.Web/serverfarms',
        kind: body.kind,
        location: body.location,
        tags: body.tags,
        sku: { ...sku, size: sku.name, family: (sku.name as string).replace(/\d+$/, ''), capacity: 1 },
        properties: { ...properties, status: 'Ready', provisioningState: 'Succeeded' },
      };
      plans.set(key(route.group, route.name), plan);
      return send(res, 200, plan);
    },
  };

  // Azure-AsyncOperation status: https://learn.microsoft.com/azure/azure-resource-manager/management/async-operations
  function operationStatus(res: ServerResponse, id: string) {
    const operation = operations.get(id);
    if (!operation) return armError(res, 404, 'OperationNotFound', `Operation ${id} not found.`);
    if (operation.remaining > 0) {
      operation.remaining--;
      res.setHeader('Retry-After', '0');
      return send(res, 200, { id, name: id, status: 'InProgress', startTime: new Date().toISOString() });
    }
    const found = sites.get(operation.key);
    if (found) (found.site.properties as Json).provisioningState = 'Succeeded';
    return send(res, 200, { id, name: id, status: 'Succeeded', endTime: new Date().toISOString() });
  }

  function settingsResource(site: Json, settings: Record<string, string>): Json {
    return {
      id: `${site.id}/config/appsettings`,
      name: 'appsettings',
      type: 'Microsoft.Web/sites/config',
      properties: settings,
    };
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    endpoint,
    caFile: tls.caFile,
    env: { ...identity.env, AZURE_SUBSCRIPTION_ID: subscriptionId },
    token: identity.token,
    subscriptionId,
    resourceGroup: defaultGroup,
    calls,
    failNext: (operation, status, body, times = 1, headers) => {
      const queue = failures.get(operation) ?? [];
      for (let i = 0; i < times; i++)
        queue.push({ status, body, headers: headers ?? (status === 429 ? { 'Retry-After': '0' } : {}) });
      failures.set(operation, queue);
    },
    seedPlan: (name, plan, group = defaultGroup) => {
      groups.add(group.toLowerCase());
      plans.set(key(group, name), {
        id: `${groupId(group)}/providers/Microsoft.Web/serverfarms/${name}`,
        name,
        type: 'Microsoft.Web/serverfarms',
        location: 'westeurope',
        ...plan,
      });
    },
    seedSite: (name, site, appSettings = {}, group = defaultGroup) => {
      groups.add(group.toLowerCase());
      const properties: Json = {
        state: 'Running',
        enabled: true,
        ...((site.properties as Json) ?? {}),
        defaultHostName: functions.hostName,
      };
      const stored: Json = {
        id: `${groupId(group)}/providers/Microsoft.Web/sites/${name}`,
        name,
        type: 'Microsoft.Web/sites',
        location: 'westeurope',
        kind: 'functionapp,linux',
        ...site,
        properties,
      };
      sites.set(key(group, name), { site: stored, appSettings: { ...appSettings } });
      const farm = /serverfarms\/([^/]+)$/i.exec(String(properties.serverFarmId ?? ''));
      const plan = farm ? plans.get(key(group, farm[1]!)) : undefined;
      functions.idle(...readyInstances(stored, String((plan?.sku as Json | undefined)?.name ?? '')));
    },
    site: (name, group = defaultGroup) => sites.get(key(group, name))?.site,
    plan: (name, group = defaultGroup) => plans.get(key(group, name)),
    appSettings: (name, group = defaultGroup) => sites.get(key(group, name))?.appSettings,
    functions,
    close: async () => {
      await functions.close();
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };
}

/**
 * Sets the environment DefaultAzureCredential reads to `env` alone: every AZURE_*, IDENTITY_*, MSI_*
 * and IMDS_* variable of the developer's shell is removed and HOME points at an empty folder (no az,
 * azd or VS Code sign-in to find); with `emptyPath` no az, azd or pwsh can be started either. Returns
 * the function that puts everything back.
 */
export function useAzureEnv(env: Record<string, string>, options: { emptyPath?: boolean } = {}): () => void {
  const saved = { ...process.env };
  for (const name of Object.keys(process.env))
    if (/^(AZURE_|IDENTITY_|MSI_|IMDS_|MSAL_)/.test(name)) delete process.env[name];
  process.env.HOME = mkdtempSync(join(tmpdir(), 'fake-arm-home-'));
  if (options.emptyPath) process.env.PATH = mkdtempSync(join(tmpdir(), 'fake-arm-path-'));
  Object.assign(process.env, env);
  return () => {
    for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
    Object.assign(process.env, saved);
  };
}

function routeOf(method: string, path: string) {
  const operationMatch =
    /^\/subscriptions\/([^/]+)\/providers\/Microsoft\.Web\/locations\/([^/]+)\/operationResults\/([^/]+)$/i.exec(
      path,
    );
  if (operationMatch)
    return method === 'GET'
      ? {
          operation: 'web.operations.get',
          subscription: operationMatch[1]!,
          group: '',
          name: operationMatch[3]!,
        }
      : null;
  const match =
    /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Web\/(sites|serverfarms)\/([^/]+)(\/.*)?$/i.exec(
      path,
    );
  if (!match) return null;
  const [, subscription, group, type, name, rest = ''] = match;
  const kind = type!.toLowerCase();
  const suffix = rest.toLowerCase();
  const table: Record<string, string> = {
    'sites GET ': 'web.sites.get',
    'sites PUT ': 'web.sites.createOrUpdate',
    'sites PATCH ': 'web.sites.update',
    'sites DELETE ': 'web.sites.delete',
    'sites POST /config/appsettings/list': 'web.sites.listApplicationSettings',
    'sites PUT /config/appsettings': 'web.sites.updateApplicationSettings',
    'sites POST /host/default/listkeys': 'web.sites.listHostKeys',
    'sites GET /functions': 'web.sites.listFunctions',
    'serverfarms GET ': 'web.serverfarms.get',
    'serverfarms PUT ': 'web.serverfarms.createOrUpdate',
    'serverfarms DELETE ': 'web.serverfarms.delete',
  };
  const operation = table[`${kind} ${method} ${suffix}`];
  return operation ? { operation, subscription: subscription!, group: group!, name: name! } : null;
}

/** Flex Consumption's functionAppConfig rules (learn.microsoft.com/azure/azure-functions/flex-consumption-plan). */
function flexProblem(config: unknown): string | null {
  if (!isJson(config)) return 'Flex Consumption sites require properties.functionAppConfig.';
  const storage =
    isJson(config.deployment) && isJson(config.deployment.storage) ? config.deployment.storage : null;
  if (
    storage?.type !== 'blobContainer' ||
    typeof storage.value !== 'string' ||
    !/^https:\/\/[^/]+\/[^/]+/.test(storage.value)
  )
    return 'functionAppConfig.deployment.storage must be a blobContainer with an https URL of the container.';
  const auth = isJson(storage.authentication) ? storage.authentication.type : undefined;
  if (
    !['SystemAssignedIdentity', 'UserAssignedIdentity', 'StorageAccountConnectionString'].includes(
      String(auth),
    )
  )
    return 'functionAppConfig.deployment.storage.authentication.type is invalid.';
  if (
    !isJson(config.runtime) ||
    typeof config.runtime.name !== 'string' ||
    typeof config.runtime.version !== 'string'
  )
    return 'functionAppConfig.runtime { name, version } is required.';
  const scale = isJson(config.scaleAndConcurrency) ? config.scaleAndConcurrency : {};
  if (scale.instanceMemoryMB !== undefined && !FLEX_MEMORY.includes(scale.instanceMemoryMB as number))
    return `instanceMemoryMB must be one of ${FLEX_MEMORY.join(', ')}.`;
  const max = scale.maximumInstanceCount;
  if (max !== undefined && (!Number.isInteger(max) || (max as number) < 40 || (max as number) > 1000))
    return 'maximumInstanceCount must be between 40 and 1000.';
  if (scale.alwaysReady !== undefined) {
    if (!Array.isArray(scale.alwaysReady)) return 'alwaysReady must be a list.';
    for (const entry of scale.alwaysReady)
      if (
        !isJson(entry) ||
        typeof entry.name !== 'string' ||
        !Number.isInteger(entry.instanceCount) ||
        (entry.instanceCount as number) < 0
      )
        return 'alwaysReady entries are { name, instanceCount ≥ 0 }.';
  }
  const http = isJson(scale.triggers) && isJson(scale.triggers.http) ? scale.triggers.http : null;
  if (
    http &&
    (!Number.isInteger(http.perInstanceConcurrency) ||
      (http.perInstanceConcurrency as number) < 1 ||
      (http.perInstanceConcurrency as number) > 1000)
  )
    return 'triggers.http.perInstanceConcurrency must be 1–1000.';
  return null;
}

/**
 * Instances kept ready (Flex `http` always-ready, Premium minimumElasticInstanceCount) and, on Flex,
 * the requests one instance takes at once (perInstanceConcurrency).
 */
function readyInstances(site: Json, sku: string): [number, number | undefined] {
  const properties = (site.properties ?? {}) as Json;
  if (sku === 'FC1') {
    const scale = ((properties.functionAppConfig as Json | undefined)?.scaleAndConcurrency ?? {}) as Json;
    const http = ((scale.alwaysReady as Json[] | undefined) ?? []).find((entry) => entry.name === 'http');
    const perInstance = ((scale.triggers as Json | undefined)?.http as Json | undefined)
      ?.perInstanceConcurrency;
    return [Number(http?.instanceCount ?? 0), typeof perInstance === 'number' ? perInstance : undefined];
  }
  return [Number((properties.siteConfig as Json | undefined)?.minimumElasticInstanceCount ?? 0), undefined];
}

function defaultCode(status: number): string {
  return (
    {
      400: 'BadRequest',
      401: 'InvalidAuthenticationToken',
      403: 'AuthorizationFailed',
      404: 'ResourceNotFound',
      409: 'Conflict',
      429: 'TooManyRequests',
    }[status] ?? (status >= 500 ? 'InternalServerError' : `HTTP${status}`)
  );
}

function isJson(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (text += chunk));
    req.on('end', () => resolve(text));
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('x-ms-request-id', randomUUID());
  res.end(JSON.stringify(body));
}

/** ARM's error response: { error: { code, message } }. */
function armError(res: ServerResponse, status: number, code: string, message: string): void {
  send(res, status, { error: { code, message } });
}

/** App Service's own error envelope (its validation errors). */
function appServiceError(res: ServerResponse, status: number, code: string, message: string): void {
  send(res, status, {
    Code: code,
    Message: message,
    Target: null,
    Details: [{ Message: message }, { Code: code }],
    Innererror: null,
  });
}
