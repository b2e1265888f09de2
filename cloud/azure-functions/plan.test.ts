import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MigrateError } from '../../core/errors.ts';
import { assertNoDelete } from '../apply.ts';
import type { DesiredConfig, LiveConfig } from '../types.ts';
import { planAzure, storageSuffixOf } from './plan.ts';
import { azureFlags, convertExamples, FRAUD, readDesired, TRITON } from './test-support.ts';

let examples: Awaited<ReturnType<typeof convertExamples>>;
let fraud: DesiredConfig;
let triton: DesiredConfig;
beforeAll(async () => {
  examples = await convertExamples();
  fraud = await readDesired(examples.folder(FRAUD));
  triton = await readDesired(examples.folder(TRITON));
});
afterAll(() => examples.cleanup());

const liveOf = (settings: LiveConfig['settings'], plan = 'FC1'): LiveConfig => ({
  name: 'ml-fraud-scoring',
  id: '/subscriptions/s/resourceGroups/rg-migrate/providers/Microsoft.Web/sites/ml-fraud-scoring',
  settings: { plan, ...settings },
  facts: {
    location: 'northeurope',
    serverFarmId: '/subscriptions/s/resourceGroups/rg-plans/providers/Microsoft.Web/serverfarms/shared-plan',
    planLocation: 'northeurope',
  },
});

describe('planApply (pure)', () => {
  it('create: the plan PUT, then the app PUT with every placeholder filled and the host.json override', () => {
    const calls = planAzure(fraud, null, azureFlags({ region: 'westeurope' }));
    assertNoDelete(calls);
    expect(calls.map((call) => call.operation)).toEqual([
      'web.serverfarms.createOrUpdate',
      'web.sites.createOrUpdate',
    ]);
    expect(JSON.stringify(calls)).not.toContain('${');
    expect(calls[0]!.input).toEqual({
      resourceGroupName: 'rg-migrate',
      name: 'ml-fraud-scoring-plan',
      appServicePlan: {
        location: 'westeurope',
        kind: 'functionapp',
        sku: { name: 'FC1', tier: 'FlexConsumption' },
        tags: { 'migrate-workload': 'ml/InferenceService/fraud-scoring' },
        reserved: true,
      },
    });
    const site = calls[1]!.input.siteEnvelope as {
      serverFarmId: string;
      functionAppConfig: { deployment: { storage: { value: string } }; scaleAndConcurrency: unknown };
      identity: unknown;
      siteConfig: unknown;
    };
    expect(site.serverFarmId).toBe(
      '/subscriptions/00000000-0000-0000-0000-0000000000a1/resourceGroups/rg-migrate/providers/Microsoft.Web/serverfarms/ml-fraud-scoring-plan',
    );
    expect(site.functionAppConfig.deployment.storage.value).toBe(
      'https://stmlfraudscoring.blob.core.windows.net/app-package-ml-fraud-scoring',
    );
    expect(site.functionAppConfig.scaleAndConcurrency).toEqual({
      instanceMemoryMB: 2048,
      maximumInstanceCount: 40,
      alwaysReady: [{ name: 'http', instanceCount: 1 }],
      triggers: { http: { perInstanceConcurrency: 8 } },
    });
    expect(site.identity).toEqual({ type: 'SystemAssigned' });
    expect(site.siteConfig).toEqual({
      minTlsVersion: '1.2',
      ftpsState: 'Disabled',
      appSettings: [
        { name: 'AzureWebJobsStorage__accountName', value: 'stmlfraudscoring' },
        { name: 'AzureFunctionsJobHost__functionTimeout', value: '00:00:30' },
      ],
    });
  });

  it('create needs --region when the template leaves the region to the resource group', () => {
    expect(() => planAzure(fraud, null, azureFlags())).toThrow(MigrateError);
    try {
      planAzure(fraud, null, azureFlags());
    } catch (error) {
      expect((error as MigrateError).hint).toMatch(/--region/);
    }
  });

  it("equal: no calls; drifted Flex scale: one app PUT on the app's current plan, in its region, without siteConfig", () => {
    const same = { memoryMb: 2048, maxInstances: 40, warmInstances: 1, concurrency: 8, timeoutSeconds: 30 };
    expect(planAzure(fraud, liveOf(same), azureFlags())).toEqual([]);
    const calls = planAzure(fraud, liveOf({ ...same, memoryMb: 4096, concurrency: 16 }), azureFlags());
    expect(calls).toHaveLength(1);
    expect(calls[0]!.operation).toBe('web.sites.createOrUpdate');
    expect(calls[0]!.summary).toMatch(/^update ml-fraud-scoring: memoryMb 4096 → 2048, concurrency 16 → 8/);
    const site = calls[0]!.input.siteEnvelope as Record<string, unknown>;
    expect(site.location).toBe('northeurope');
    expect(site.serverFarmId).toBe(
      '/subscriptions/s/resourceGroups/rg-plans/providers/Microsoft.Web/serverfarms/shared-plan',
    );
    expect(site.siteConfig).toBeUndefined();
  });

  it("Premium: the plan SKU through a plan PUT in the plan's own group; a move between Flex and Premium is refused", () => {
    const live = liveOf({ warmInstances: 1, maxInstances: 2, concurrency: 1, timeoutSeconds: 3600 }, 'EP3');
    const calls = planAzure(triton, live, azureFlags());
    expect(calls.map((call) => [call.operation, call.input.resourceGroupName, call.input.name])).toEqual([
      ['web.serverfarms.createOrUpdate', 'rg-plans', 'shared-plan'],
    ]);
    expect((calls[0]!.input.appServicePlan as Record<string, unknown>).sku).toEqual({
      name: 'EP2',
      tier: 'ElasticPremium',
    });
    expect(() => planAzure(triton, liveOf({}, 'FC1'), azureFlags())).toThrow(
      /runs on FC1; the converted template says EP2: an app cannot move between Flex Consumption and Premium in place/,
    );
  });

  it('Premium concurrency and timeout drift: one app-settings merge naming only the keys it sets', () => {
    const live = liveOf({ warmInstances: 1, maxInstances: 2, concurrency: 4, timeoutSeconds: null }, 'EP2');
    const calls = planAzure(triton, live, azureFlags());
    expect(calls).toEqual([
      expect.objectContaining({
        operation: 'web.sites.updateApplicationSettings',
        input: {
          resourceGroupName: 'rg-migrate',
          name: 'ml-vision-triton',
          set: {
            AzureFunctionsJobHost__functionTimeout: '01:00:00',
            AzureFunctionsJobHost__extensions__http__maxConcurrentRequests: '1',
          },
        },
      }),
    ]);
  });

  it('missing --subscription or --resource-group is named', () => {
    expect(() => planAzure(fraud, null, azureFlags({ subscription: null, region: 'x' }))).toThrow(
      /--subscription/,
    );
    expect(() => planAzure(fraud, null, azureFlags({ resourceGroup: null, region: 'x' }))).toThrow(
      /--resource-group/,
    );
  });

  it('the storage suffix follows the cloud of --endpoint', () => {
    expect(storageSuffixOf('https://management.azure.com')).toBe('core.windows.net');
    expect(storageSuffixOf('https://management.usgovcloudapi.net')).toBe('core.usgovcloudapi.net');
    expect(storageSuffixOf('https://management.chinacloudapi.cn')).toBe('core.chinacloudapi.cn');
  });
});
