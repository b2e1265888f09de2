/**
 * The target against the fake ARM server: the real SDK (@azure/arm-appservice 19) and the real
 * DefaultAzureCredential chain, signing in through the fake App Service managed identity endpoint and
 * trusting the fake's self-signed certificate through --ca-file.
 */

import { readFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MigrateError } from '../../core/errors.ts';
import { type FakeArm, startFakeArm, useAzureEnv } from '../../test/helpers/fake-arm.ts';
import { fakeTokenEndpoint } from '../../test/helpers/fake-arm-token.ts';
import { assertNoDelete } from '../apply.ts';
import { diffConfig } from '../diff.ts';
import type { CloudFlags, DesiredConfig } from '../types.ts';
import { type AzureSession, connectAzure } from './client.ts';
import { executeAzure } from './execute.ts';
import { azureFunctionsCloud } from './index.ts';
import { readAzureLive } from './live.ts';
import { planAzure } from './plan.ts';
import { azureFlags, convertExamples, FRAUD, readDesired, TRITON } from './test-support.ts';

let fake: FakeArm;
let restoreEnv: () => void;
let flags: CloudFlags;
let session: AzureSession;
let examples: Awaited<ReturnType<typeof convertExamples>>;
let fraud: DesiredConfig;

beforeAll(async () => {
  examples = await convertExamples();
  fraud = await readDesired(examples.folder(FRAUD));
  fake = await startFakeArm();
  restoreEnv = useAzureEnv(fake.env);
  flags = azureFlags({
    endpoint: fake.endpoint,
    caFile: fake.caFile,
    region: 'westeurope',
    subscription: null,
  });
  // The SDK's own knobs, small: retries after Retry-After 0 and LRO polls take milliseconds.
  session = await connectAzure(flags, {
    retryOptions: { retryDelayInMs: 5, maxRetryDelayInMs: 20 },
    pollIntervalMs: 5,
  });
});
afterAll(async () => {
  restoreEnv();
  await fake.close();
  await examples.cleanup();
});
beforeEach(() => {
  fake.calls.length = 0;
});

const seedFlex = (name: string, alwaysReady: number) => {
  fake.seedPlan(`${name}-plan`, {
    kind: 'functionapp',
    sku: { name: 'FC1', tier: 'FlexConsumption' },
    properties: { reserved: true },
  });
  fake.seedSite(
    name,
    {
      properties: {
        serverFarmId: `/subscriptions/${fake.subscriptionId}/resourceGroups/${fake.resourceGroup}/providers/Microsoft.Web/serverfarms/${name}-plan`,
        functionAppConfig: {
          deployment: {
            storage: {
              type: 'blobContainer',
              value: 'https://st.blob.core.windows.net/pkg',
              authentication: { type: 'SystemAssignedIdentity' },
            },
          },
          runtime: { name: 'python', version: '3.11' },
          scaleAndConcurrency: {
            instanceMemoryMB: 2048,
            maximumInstanceCount: 40,
            alwaysReady: alwaysReady ? [{ name: 'http', instanceCount: alwaysReady }] : [],
            triggers: { http: { perInstanceConcurrency: 8 } },
          },
        },
        siteConfig: {},
      },
    },
    {
      AzureWebJobsStorage__accountName: 'st',
      AzureFunctionsJobHost__functionTimeout: '00:00:30',
      SOME_SECRET: 'keep-me',
    },
  );
};

describe('session: the default credential chain, the endpoint, the CA', () => {
  it('signs in through the chain (App Service managed identity) with the scope following --endpoint, and ARM sees that bearer token', async () => {
    const identity = await fakeTokenEndpoint();
    expect(identity.requests.at(-1)).toEqual({ resource: fake.endpoint, apiVersion: '2019-08-01' });
    expect(session.subscriptionId).toBe(fake.subscriptionId); // from AZURE_SUBSCRIPTION_ID
    await readAzureLive(session, 'absent-app');
    // The fake answers 401 to any other token; a 404 here means the bearer token was the fake's.
    expect(fake.calls.map((call) => [call.operation, call.method])).toEqual([['web.sites.get', 'GET']]);
  });

  it('the fake refuses a request without that token (so the calls that pass carried it)', async () => {
    const path = `/subscriptions/${fake.subscriptionId}/resourceGroups/rg-migrate/providers/Microsoft.Web/sites/x?api-version=2025-05-01`;
    const ask = (headers: Record<string, string>) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = httpsRequest(
          new URL(path, fake.endpoint),
          { headers, ca: readFileSync(fake.caFile) },
          (res) => {
            let body = '';
            res.on('data', (chunk) => (body += chunk));
            res.on('end', () => resolve({ status: res.statusCode!, body }));
          },
        );
        req.on('error', reject);
        req.end();
      });
    expect(await ask({})).toEqual({
      status: 401,
      body: JSON.stringify({
        error: {
          code: 'AuthenticationFailed',
          message: "Authentication failed. The 'Authorization' header is missing.",
        },
      }),
    });
    expect((await ask({ authorization: 'Bearer someone-else' })).status).toBe(401);
    expect((await ask({ authorization: `Bearer ${fake.token}` })).status).toBe(404);
  });

  it('the target object is wired to this folder', () => {
    expect(azureFunctionsCloud.id).toBe('azure-functions');
    expect(azureFunctionsCloud.configFile).toBe('azuredeploy.json');
  });
});

describe('readLive', () => {
  it('404 ResourceNotFound → null', async () => {
    expect(await readAzureLive(session, 'no-such-app')).toBeNull();
  });

  it('a missing resource group is an error, not an absent app', async () => {
    const other = await connectAzure({ ...flags, resourceGroup: 'rg-gone' }, { pollIntervalMs: 5 });
    await expect(readAzureLive(other, 'x')).rejects.toThrow(/not found \(ResourceGroupNotFound\)/);
  });

  it('maps the site, its plan and the host.json overrides to settings and facts', async () => {
    seedFlex('live-flex', 2);
    const live = (await readAzureLive(session, 'live-flex'))!;
    expect(live.settings).toEqual({
      plan: 'FC1',
      memoryMb: 2048,
      cpuMillis: 1000,
      maxInstances: 40,
      warmInstances: 2,
      concurrency: 8,
      timeoutSeconds: 30,
    });
    expect(live.facts).toMatchObject({
      id: `/subscriptions/${fake.subscriptionId}/resourceGroups/rg-migrate/providers/Microsoft.Web/sites/live-flex`,
      defaultHostName: fake.functions.hostName,
      state: 'Running',
      location: 'westeurope',
      sku: 'FC1 (FlexConsumption)',
    });
    expect(JSON.stringify(live)).not.toContain('keep-me'); // other app settings are never kept
    expect(fake.calls.map((call) => call.operation)).toEqual([
      'web.sites.get',
      'web.serverfarms.get',
      'web.sites.listApplicationSettings',
    ]);
  });
});

describe('apply: create end to end, then update, then nothing', () => {
  it('creates the plan and the app, waits for the long-running PUT, and reads back what the template says', async () => {
    expect(await readAzureLive(session, fraud.name)).toBeNull();
    const calls = planAzure(fraud, null, flags);
    assertNoDelete(calls);
    expect(calls.map((call) => call.operation)).toEqual([
      'web.serverfarms.createOrUpdate',
      'web.sites.createOrUpdate',
    ]);
    fake.calls.length = 0;
    for (const call of calls) await executeAzure(session, call);
    // 201 + Azure-AsyncOperation: polled InProgress, then Succeeded, then the final GET — all before execute returned.
    expect(fake.calls.map((call) => call.operation)).toEqual([
      'web.serverfarms.createOrUpdate',
      'web.sites.createOrUpdate',
      'web.operations.get',
      'web.operations.get',
      'web.sites.get',
    ]);
    expect((fake.site(fraud.name)!.properties as Record<string, unknown>).provisioningState).toBe(
      'Succeeded',
    );
    const sent = fake.calls[1]!.body as { location: string; properties: Record<string, unknown> };
    expect(sent.location).toBe('westeurope');
    expect(sent.properties.serverFarmId).toBe(
      `/subscriptions/${fake.subscriptionId}/resourceGroups/rg-migrate/providers/Microsoft.Web/serverfarms/ml-fraud-scoring-plan`,
    );
    expect(fake.appSettings(fraud.name)).toEqual({
      AzureWebJobsStorage__accountName: 'stmlfraudscoring',
      AzureFunctionsJobHost__functionTimeout: '00:00:30',
    });
    const live = await readAzureLive(session, fraud.name);
    const result = diffConfig(fraud, live);
    expect(result.findings).toEqual([]);
    expect(result.compared.map((row) => row.field)).toEqual([
      'concurrency',
      'maxInstances',
      'memoryMb',
      'plan',
      'timeoutSeconds',
      'warmInstances',
    ]);
    // Equal: nothing to do.
    expect(planAzure(fraud, live, flags)).toEqual([]);
  });

  it('updates only what drifted: the Flex scale through a PUT without siteConfig, the timeout through the app settings', async () => {
    seedFlex('drift-flex', 0);
    fake.appSettings('drift-flex')!.AzureFunctionsJobHost__functionTimeout = '00:05:00';
    const desired = { ...fraud, name: 'drift-flex' };
    const live = (await readAzureLive(session, 'drift-flex'))!;
    const calls = planAzure(desired, live, flags);
    expect(calls.map((call) => call.operation)).toEqual([
      'web.sites.createOrUpdate',
      'web.sites.updateApplicationSettings',
    ]);
    expect(calls[0]!.summary).toContain('warmInstances 0 → 1');
    expect(calls[1]!.summary).toContain('timeoutSeconds 300 → 30');
    expect(calls[1]!.input).toEqual({
      resourceGroupName: 'rg-migrate',
      name: 'drift-flex',
      set: { AzureFunctionsJobHost__functionTimeout: '00:00:30' },
    });
    expect((calls[0]!.input.siteEnvelope as Record<string, unknown>).siteConfig).toBeUndefined();
    fake.calls.length = 0;
    for (const call of calls) await executeAzure(session, call);
    expect(fake.calls.map((call) => call.method)).toEqual(['PUT', 'POST', 'PUT']); // existing site: 200, no polling
    expect(fake.calls.some((call) => call.method === 'DELETE')).toBe(false);
    expect(fake.appSettings('drift-flex')).toEqual({
      AzureWebJobsStorage__accountName: 'st',
      AzureFunctionsJobHost__functionTimeout: '00:00:30',
      SOME_SECRET: 'keep-me',
    });
    const after = await readAzureLive(session, 'drift-flex');
    expect(diffConfig(desired, after).findings).toEqual([]);
    expect(planAzure(desired, after, flags)).toEqual([]);
  });

  it('Premium (vision-triton, EP2): creates, then PATCHes always-ready and PUTs the plan burst when they drift', async () => {
    const triton = await readDesired(examples.folder(TRITON));
    for (const call of planAzure(triton, null, flags)) await executeAzure(session, call);
    const live = (await readAzureLive(session, triton.name))!;
    expect(diffConfig(triton, live).findings).toEqual([]);
    // Someone changes the deployed app: a bigger plan burst, more always-ready instances.
    (fake.plan('ml-vision-triton-plan')!.properties as Record<string, unknown>).maximumElasticWorkerCount = 5;
    const siteConfig = (fake.site(triton.name)!.properties as Record<string, Record<string, unknown>>)
      .siteConfig!;
    siteConfig.minimumElasticInstanceCount = 3;
    const drifted = (await readAzureLive(session, triton.name))!;
    const calls = planAzure(triton, drifted, flags);
    expect(calls.map((call) => call.operation)).toEqual([
      'web.serverfarms.createOrUpdate',
      'web.sites.update',
    ]);
    expect(calls[0]!.summary).toContain('maxInstances 5 → 2');
    expect(calls[1]!.input.siteEnvelope).toEqual({ siteConfig: { minimumElasticInstanceCount: 1 } });
    for (const call of calls) await executeAzure(session, call);
    const after = (await readAzureLive(session, triton.name))!;
    expect(diffConfig(triton, after).findings).toEqual([]);
    expect(planAzure(triton, after, flags)).toEqual([]);
  });
});

describe('errors as Azure sends them', () => {
  it('403 AuthorizationFailed names the action and the role to grant', async () => {
    fake.failNext('web.sites.createOrUpdate', 403);
    const call = planAzure({ ...fraud, name: 'denied-app' }, null, flags)[1]!;
    const error = (await executeAzure(session, call).catch((e: unknown) => e)) as MigrateError;
    expect(error).toBeInstanceOf(MigrateError);
    expect(error.message).toMatch(
      /^web\.sites\.createOrUpdate denied-app: not allowed \(AuthorizationFailed\)/,
    );
    expect(error.hint).toContain('Microsoft.Web/sites/write — the built-in role Website Contributor');
  });

  it("a long-running PUT that ends Failed is an error with ARM's code and message", async () => {
    fake.failNext('web.operations.get', 200, {
      status: 'Failed',
      error: { code: 'Conflict', message: 'The storage account stmlfraudscoring is not reachable.' },
    });
    const call = planAzure({ ...fraud, name: 'failing-app' }, null, flags)[1]!;
    await expect(executeAzure(session, call)).rejects.toThrow(
      /web\.sites\.createOrUpdate failing-app: the long-running operation failed: The long-running operation has failed\. Conflict\. The storage account stmlfraudscoring is not reachable\./,
    );
  });

  it('429 with Retry-After is retried by the SDK and then succeeds', async () => {
    fake.failNext('web.sites.get', 429, undefined, 2);
    expect(await readAzureLive(session, 'throttled-app')).toBeNull();
    expect(fake.calls.filter((call) => call.operation === 'web.sites.get')).toHaveLength(3);
  });

  it('429 beyond the retries becomes a throttling error', async () => {
    fake.failNext('web.sites.get', 429, undefined, 4); // the first try and the SDK's 3 retries
    await expect(readAzureLive(session, 'throttled-app')).rejects.toThrow(
      /throttled by ARM after the SDK's retries \(TooManyRequests\)/,
    );
    expect(fake.calls).toHaveLength(4);
  });

  it("App Service's own error envelope keeps its code and message (a site PUT on a plan that does not exist)", async () => {
    const call = planAzure({ ...fraud, name: 'orphan-app' }, null, {
      ...flags,
      resourceGroup: fake.resourceGroup,
    })[1]!;
    const input = call.input as { siteEnvelope: Record<string, unknown> };
    const orphan = {
      ...call,
      input: {
        ...call.input,
        siteEnvelope: {
          ...input.siteEnvelope,
          serverFarmId: input.siteEnvelope
            .serverFarmId!.toString()
            .replace(/ml-fraud-scoring-plan$/, 'no-plan'),
        },
      },
    };
    await expect(executeAzure(session, orphan)).rejects.toThrow(
      /not found \(NotFound\): Server farm with name no-plan not found\./,
    );
  });

  it("a Flex app setting Flex refuses comes back as ARM refused the request, with Azure's words", async () => {
    const call = planAzure({ ...fraud, name: 'bad-settings' }, null, flags)[1]!;
    const envelope = call.input.siteEnvelope as {
      siteConfig: { appSettings: { name: string; value: string }[] };
    };
    envelope.siteConfig.appSettings.push({ name: 'FUNCTIONS_WORKER_RUNTIME', value: 'python' });
    await expect(executeAzure(session, call)).rejects.toThrow(
      /ARM refused the request \(BadRequest\): The following app setting \(Site\.SiteConfig\.AppSettings\.FUNCTIONS_WORKER_RUNTIME\) for Flex Consumption sites is invalid/,
    );
  });
});
