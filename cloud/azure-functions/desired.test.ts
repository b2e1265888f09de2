import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MigrateError } from '../../core/errors.ts';
import { evaluate, parseResourceId, Unresolved } from './arm-expression.ts';
import { type AzureDesired, desiredFromTemplate } from './desired.ts';
import { parseJsonSource } from './json-source.ts';
import { assertResolvedName } from './live.ts';
import { planAzure } from './plan.ts';
import {
  azureFlags,
  convertExamples,
  EMBEDDINGS,
  FRAUD,
  LLM,
  lineAt,
  readDesired,
  TRITON,
} from './test-support.ts';

let examples: Awaited<ReturnType<typeof convertExamples>>;
beforeAll(async () => {
  examples = await convertExamples();
});
afterAll(() => examples.cleanup());

describe('readDesired on what migrate convert wrote', () => {
  it('fraud-scoring (Flex FC1): every setting with the line it was written at', async () => {
    const desired = await readDesired(examples.folder(FRAUD));
    expect(desired.name).toBe('ml-fraud-scoring');
    expect(desired.workload).toBe('ml/InferenceService/fraud-scoring');
    expect(Object.fromEntries(Object.entries(desired.settings).map(([k, v]) => [k, v.value]))).toEqual({
      plan: 'FC1',
      memoryMb: 2048,
      maxInstances: 40,
      warmInstances: 1,
      concurrency: 8,
      timeoutSeconds: 30,
    });
    // Each source names a line that holds that very field.
    expect(await lineAt(desired.settings.memoryMb!.source)).toContain('"instanceMemoryMB": 2048');
    expect(await lineAt(desired.settings.maxInstances!.source)).toContain('"maximumInstanceCount": 40');
    expect(await lineAt(desired.settings.warmInstances!.source)).toContain('"instanceCount": 1');
    expect(await lineAt(desired.settings.concurrency!.source)).toContain('"perInstanceConcurrency": 8');
    expect(await lineAt(desired.settings.plan!.source)).toContain('"name": "FC1"');
    expect(await lineAt(desired.settings.timeoutSeconds!.source)).toContain('"functionTimeout": "00:00:30"');
    expect(desired.settings.timeoutSeconds!.source).toMatch(/host\.json:3 \(\/functionTimeout\)$/);
    expect(desired.settings.memoryMb!.source).toMatch(
      /azuredeploy\.json:\d+ \(\/resources\/6\/properties\/functionAppConfig\/scaleAndConcurrency\/instanceMemoryMB\)$/,
    );
  });

  it('fraud-scoring: what apply sends, and what it leaves to others with the reason', async () => {
    const desired = await readDesired(examples.folder(FRAUD));
    const resource = desired.resource as AzureDesired;
    expect(resource.hosting).toBe('flex');
    expect(resource.location).toBeNull(); // [resourceGroup().location]: --region at create
    expect(resource.plan.name).toBe('ml-fraud-scoring-plan');
    expect(resource.site.functionAppConfig).toMatchObject({
      deployment: {
        storage: {
          type: 'blobContainer',
          value: 'https://stmlfraudscoring.blob.${storageSuffix}/app-package-ml-fraud-scoring',
          authentication: { type: 'SystemAssignedIdentity' },
        },
      },
      runtime: { name: 'python', version: '3.11' },
    });
    expect(resource.appSettings).toEqual([
      { name: 'AzureWebJobsStorage__accountName', value: 'stmlfraudscoring' },
    ]);
    expect(resource.hostSettings).toEqual({ AzureFunctionsJobHost__functionTimeout: '00:00:30' });
    const fields = desired.notApplied.map((entry) => entry.field);
    expect(fields).toEqual([
      'app setting APPLICATIONINSIGHTS_CONNECTION_STRING',
      'host.json (the file)',
      'Microsoft.OperationalInsights/workspaces ml-fraud-scoring-logs',
      'Microsoft.Insights/components ml-fraud-scoring-insights',
      'Microsoft.Storage/storageAccounts stmlfraudscoring',
      'Microsoft.Storage/storageAccounts/blobServices stmlfraudscoring/default',
      'Microsoft.Storage/storageAccounts/blobServices/containers stmlfraudscoring/default/app-package-ml-fraud-scoring',
      "Microsoft.Authorization/roleAssignments [guid(resourceId('Microsoft.Storage/storageAccounts', parameters('storageAccountName')), resourceId('Microsoft.Web/sites', parameters('functionAppName')), 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b')]",
    ]);
    const reason = (field: string) =>
      desired.notApplied.find((entry) => entry.field.startsWith(field))!.reason;
    expect(reason('app setting APPLICATIONINSIGHTS')).toMatch(
      /reference\(\) to Microsoft\.Insights\/components ml-fraud-scoring-insights.*az monitor app-insights component create/,
    );
    expect(reason('Microsoft.Storage/storageAccounts stmlfraudscoring')).toContain(
      'az storage account create --name stmlfraudscoring',
    );
    expect(reason('Microsoft.Authorization/roleAssignments')).toContain('--role "Storage Blob Data Owner"');
    expect(reason('host.json')).toContain('AzureFunctionsJobHost__functionTimeout');
  });

  it('vision-triton (Premium EP2): always-ready, the plan burst, host.json concurrency; the key-bearing setting is left out', async () => {
    const desired = await readDesired(examples.folder(TRITON));
    expect(Object.fromEntries(Object.entries(desired.settings).map(([k, v]) => [k, v.value]))).toEqual({
      plan: 'EP2',
      warmInstances: 1,
      maxInstances: 2,
      concurrency: 1,
      timeoutSeconds: 3600,
    });
    expect(await lineAt(desired.settings.maxInstances!.source)).toContain('"maximumElasticWorkerCount": 2');
    expect(await lineAt(desired.settings.warmInstances!.source)).toContain(
      '"minimumElasticInstanceCount": 1',
    );
    expect(await lineAt(desired.settings.concurrency!.source)).toContain('"maxConcurrentRequests": 1');
    const resource = desired.resource as AzureDesired;
    expect(resource.maxInstancesFrom).toBe('plan');
    expect(resource.hostSettings).toEqual({
      AzureFunctionsJobHost__functionTimeout: '01:00:00',
      AzureFunctionsJobHost__extensions__http__maxConcurrentRequests: '1',
    });
    expect(resource.appSettings.map((s) => s.name)).toEqual([
      'AzureWebJobsStorage__accountName',
      'FUNCTIONS_EXTENSION_VERSION',
      'FUNCTIONS_WORKER_RUNTIME',
      'WEBSITE_CONTENTSHARE',
    ]);
    const content = desired.notApplied.find(
      (entry) => entry.field === 'app setting WEBSITE_CONTENTAZUREFILECONNECTIONSTRING',
    );
    expect(content?.reason).toMatch(/listKeys\(\).*secret.*apply never handles secret values/);
  });

  it('embeddings-worker: Key Vault and App Configuration references whose store is a parameter without default are listed, literals applied', async () => {
    const desired = await readDesired(examples.folder(EMBEDDINGS));
    expect(desired.settings.warmInstances).toBeUndefined(); // the template states no always-ready
    expect(desired.settings.concurrency).toBeUndefined();
    const resource = desired.resource as AzureDesired;
    expect(resource.appSettings).toContainEqual({
      name: 'MODEL_ID',
      value: 'sentence-transformers/all-MiniLM-L6-v2',
    });
    const hf = desired.notApplied.find((entry) => entry.field === 'app setting HF_TOKEN');
    expect(hf?.reason).toMatch(/Key Vault reference.*parameter keyVaultName has no defaultValue/);
    expect(desired.notApplied.map((entry) => entry.field)).toEqual(
      expect.arrayContaining(['app setting LOG_LEVEL', 'app setting MAX_BATCH_SIZE']),
    );
  });

  it('a folder with only MIGRATION.md (blocked) says so', async () => {
    const error = await readDesired(examples.folder(LLM)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrateError);
    expect((error as MigrateError).message).toMatch(
      /ml-deployment-llm-chat\/azure-functions: blocked by the analysis: see MIGRATION\.md \(no azuredeploy\.json was written for azure-functions\)$/,
    );
    expect((error as MigrateError).hint).toContain('gpu-required');
  });

  it('malformed JSON names file:line:column', async () => {
    const read = async (path: string) =>
      path.endsWith('azuredeploy.json')
        ? '{\n  "resources": [\n    { "type": "x" }\n    { "type": "y" }\n  ]\n}\n'
        : null;
    const { readAzureDesired } = await import('./desired.ts');
    const error = await readAzureDesired('/w/app/azure-functions', read).catch((e: unknown) => e);
    expect((error as MigrateError).message).toMatch(
      /^\/w\/app\/azure-functions\/azuredeploy\.json:4:5: not valid JSON/,
    );
  });
});

describe('templates the converter does not write (hand-edited or other tools)', () => {
  const template = (site: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    JSON.stringify(
      {
        parameters: { vault: { type: 'string', defaultValue: 'kv-prod' }, mem: { type: 'int' } },
        variables: { planName: 'plan-a' },
        resources: [
          {
            type: 'Microsoft.Web/serverfarms',
            name: "[variables('planName')]",
            sku: { name: 'FC1', tier: 'FlexConsumption' },
            properties: { reserved: true },
          },
          {
            type: 'Microsoft.Web/sites',
            name: 'app-a',
            location: 'northeurope',
            kind: 'functionapp,linux',
            properties: {
              serverFarmId: "[resourceId('Microsoft.Web/serverfarms', variables('planName'))]",
              functionAppConfig: { scaleAndConcurrency: { instanceMemoryMB: 512 } },
              siteConfig: {
                appSettings: [
                  {
                    name: 'SECRET',
                    value:
                      "[format('@Microsoft.KeyVault(SecretUri=https://{0}.vault.azure.net/secrets/s/)', parameters('vault'))]",
                  },
                ],
              },
            },
            ...site,
          },
        ],
        ...extra,
      },
      null,
      2,
    );
  const read = (text: string) =>
    desiredFromTemplate(
      '/w/x/azure-functions',
      parseJsonSource(text, '/w/x/azure-functions/azuredeploy.json', ''),
      null,
    );

  it('resolves variables, resourceId and a Key Vault reference with a known vault, which is applied as a reference', () => {
    const desired = read(template({}));
    const resource = desired.resource as AzureDesired;
    expect(resource.plan.name).toBe('plan-a');
    expect(resource.location).toBe('northeurope');
    expect(resource.site.serverFarmId).toBe(
      '/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.Web/serverfarms/plan-a',
    );
    expect(resource.appSettings).toEqual([
      { name: 'SECRET', value: '@Microsoft.KeyVault(SecretUri=https://kv-prod.vault.azure.net/secrets/s/)' },
    ]);
    expect(desired.settings.memoryMb?.value).toBe(512);
  });

  it('a name built by uniqueString() is reported, and the name must then come from --name', () => {
    const desired = read(template({ name: "[concat('app-', uniqueString(resourceGroup().id))]" }));
    const resource = desired.resource as AzureDesired;
    expect(resource.nameUnresolved).toMatch(/uniqueString\(\) is computed by the deployment engine/);
    expect(() => assertResolvedName(desired.name)).toThrow(/known only once deployed: pass --name$/);
    const error = (() => {
      try {
        planAzure(desired, null, azureFlags({ region: 'westeurope' }));
      } catch (e) {
        return e as MigrateError;
      }
    })();
    expect(error?.hint).toContain('--name');
    // What the shared code does with --name: the plan then goes through.
    const calls = planAzure({ ...desired, name: 'app-given' }, null, azureFlags());
    expect(calls.map((call) => call.operation)).toEqual([
      'web.serverfarms.createOrUpdate',
      'web.sites.createOrUpdate',
    ]);
  });

  it('a setting held by a parameter without default is an error at its line', () => {
    const text = template({
      properties: {
        serverFarmId: "[resourceId('Microsoft.Web/serverfarms', 'plan-a')]",
        functionAppConfig: { scaleAndConcurrency: { instanceMemoryMB: "[parameters('mem')]" } },
      },
    });
    expect(() => read(text)).toThrow(
      /azuredeploy\.json:\d+ \(\/resources\/1\/properties\/functionAppConfig\/scaleAndConcurrency\/instanceMemoryMB\): instanceMemoryMB: parameter mem has no defaultValue/,
    );
  });

  it('an instance size Flex does not have is refused', () => {
    const text = template({
      properties: {
        serverFarmId: "[resourceId('Microsoft.Web/serverfarms', 'plan-a')]",
        functionAppConfig: { scaleAndConcurrency: { instanceMemoryMB: 1024 } },
      },
    });
    expect(() => read(text)).toThrow(
      /instanceMemoryMB 1024 is not a Flex Consumption size \(512, 2048, 4096\)/,
    );
  });
});

describe('ARM expressions', () => {
  const scope = {
    parameters: { a: { defaultValue: 'x' }, b: { type: 'string' } },
    variables: { v: "[concat(parameters('a'), '-v')]" },
  };
  it('evaluates what can be known and names what cannot', () => {
    expect(evaluate("[format('{0}/{1}', parameters('a'), variables('v'))]", scope)).toBe('x/x-v');
    expect(evaluate('[[literal]', scope)).toBe('[literal]');
    expect(evaluate("[toLower('It''s')]", scope)).toBe("it's");
    expect(
      evaluate("[resourceId('Microsoft.Storage/storageAccounts/blobServices', 'st', 'default')]", scope),
    ).toBe(
      '/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.Storage/storageAccounts/st/blobServices/default',
    );
    expect(
      evaluate(
        "[reference(resourceId('Microsoft.Storage/storageAccounts', 'st'), '2023-05-01').primaryEndpoints.blob]",
        scope,
      ),
    ).toBe('https://st.blob.${storageSuffix}/');
    expect((evaluate("[parameters('b')]", scope) as Unresolved).reason).toBe(
      'parameter b has no defaultValue: its value is given at deployment',
    );
    expect(
      evaluate(
        "[listKeys(resourceId('Microsoft.Storage/storageAccounts', 'st'), '2023-05-01').keys[0].value]",
        scope,
      ),
    ).toBeInstanceOf(Unresolved);
    expect(
      parseResourceId('/subscriptions/s/resourceGroups/g/providers/Microsoft.Web/serverfarms/p'),
    ).toEqual({
      type: 'Microsoft.Web/serverfarms',
      name: 'p',
      resourceGroup: 'g',
    });
  });
});
