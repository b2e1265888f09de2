import { describe, expect, it } from 'vitest';
import { analyzeYaml, contextFor, workloadOf } from '../common/testing.ts';
import type { ConversionResult, GeneratedFile, ScaffoldHook } from '../types.ts';
import { convertToAzureFunctions } from './convert.ts';
import {
  armTemplateErrors,
  azureFileErrors,
  bicepArmDisagreements,
  functionJsonErrors,
  hostJsonErrors,
} from './testing.ts';

function fileOf(result: { files: GeneratedFile[] }, path: string): string {
  const file = result.files.find((entry) => entry.path === path);
  if (!file) throw new Error(`no ${path}; have ${result.files.map((entry) => entry.path).join(', ')}`);
  return file.content;
}

type Arm = {
  parameters: Record<string, { defaultValue?: unknown }>;
  resources: {
    type: string;
    properties: { siteConfig?: { appSettings: { name: string; value: string }[] } };
  }[];
};
const armOf = (result: ConversionResult) => JSON.parse(fileOf(result, 'azuredeploy.json')) as Arm;
function appSettings(result: ConversionResult): Record<string, string> {
  const site = armOf(result).resources.find((resource) => resource.type === 'Microsoft.Web/sites')!;
  return Object.fromEntries(
    site.properties.siteConfig!.appSettings.map((entry) => [entry.name, entry.value]),
  );
}

async function convertOne(yaml: string, id: string, extra: Parameters<typeof contextFor>[2] = {}) {
  const report = await analyzeYaml(yaml);
  const workload = workloadOf(report, id);
  return convertToAzureFunctions(workload, contextFor(report, workload, extra));
}

const deployment = (name: string, extra: string) => `
apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: team}
spec:
  replicas: 1
  selector: {matchLabels: {app: x}}
  template:
    metadata: {labels: {app: x}}
    spec:
      containers:
        - name: server
          image: ghcr.io/team/ranker:3.0
          command: ["python", "-m", "ranker"]
          ports: [{containerPort: 8080}]
          resources: {requests: {cpu: "1", memory: 1Gi}}
${extra}`;

describe('app settings: literals kept, secrets as Key Vault references, ConfigMaps as App Configuration references', () => {
  const yaml = `
apiVersion: v1
kind: Secret
metadata: {name: creds, namespace: team}
data: {DB_PASSWORD: cGxhbnRlZC1wdy05MQ==, a.b: cGxhbnRlZC1hYi0xMg==, tls.key: cGxhbnRlZC10bHMtMzQ=}
---
${deployment(
  'ranker',
  `          envFrom:
            - secretRef: {name: creds}
          env:
            - {name: LOG_LEVEL, value: debug}
            - {name: WEBSITE_TIME_ZONE, value: UTC}
            - name: HF_TOKEN
              valueFrom: {secretKeyRef: {name: hf, key: token}}
            - name: TLS_KEY
              valueFrom: {secretKeyRef: {name: creds, key: tls.key}}
            - name: TLS_KEY_ALT
              valueFrom: {secretKeyRef: {name: creds, key: tls_key}}
            - name: BATCH
              valueFrom: {configMapKeyRef: {name: tuning, key: batch}}
            - name: POD_NAME
              valueFrom: {fieldRef: {fieldPath: metadata.name}}`,
)}`;

  it('refers to the vault by parameter, one secret per key, and never holds a value', async () => {
    const result = await convertOne(yaml, 'team/Deployment/ranker');
    const settings = appSettings(result);

    expect(settings.HF_TOKEN).toBe(
      "[format('@Microsoft.KeyVault(SecretUri=https://{0}.vault.azure.net/secrets/team-hf-token/)', parameters('keyVaultName'))]",
    );
    expect(settings.DB_PASSWORD).toContain('/secrets/team-creds-DB-PASSWORD/');
    expect(settings.BATCH).toBe(
      "[format('@Microsoft.AppConfiguration(Endpoint=https://{0}.azconfig.io; Key=team/tuning/batch)', parameters('appConfigurationName'))]",
    );
    expect(settings.LOG_LEVEL).toBe('debug');
    expect(fileOf(result, 'main.bicep')).toContain(
      "value: '@Microsoft.KeyVault(SecretUri=https://${keyVaultName}.vault.azure.net/secrets/team-hf-token/)'",
    );
    const everything = result.files.map((file) => file.content).join('\n');
    for (const value of ['planted-pw-91', 'planted-ab-12', 'planted-tls-34', 'cGxhbnRlZC'])
      expect(everything).not.toContain(value);
    expect(armOf(result).parameters.keyVaultName).toBeDefined();
    expect(armOf(result).parameters.keyVaultName!.defaultValue).toBeUndefined();
  });

  it('keeps two keys that fold to one name apart, and records every secret name', async () => {
    const result = await convertOne(yaml, 'team/Deployment/ranker');
    const settings = appSettings(result);

    const names = result.names.filter((entry) => entry.kind === 'Key Vault secret name');
    expect(names.map((entry) => entry.original)).toEqual(
      expect.arrayContaining(['team/creds/tls.key', 'team/creds/tls_key', 'team/hf/token']),
    );
    expect(new Set(names.map((entry) => entry.emitted)).size).toBe(names.length);
    expect(names.every((entry) => /^[a-zA-Z0-9-]{1,127}$/.test(entry.emitted))).toBe(true);
    expect(settings.TLS_KEY).toContain('/secrets/team-creds-tls-key/');
    expect(settings.TLS_KEY_ALT).toMatch(/\/secrets\/team-creds-tls-key-[0-9a-f]{6}\//);
    // a.b is not a valid Linux setting name: it is listed, not carried.
    expect(settings['a.b']).toBeUndefined();
  });

  it('lists what it cannot carry: reserved names, invalid names, pod fields', async () => {
    const result = await convertOne(yaml, 'team/Deployment/ranker');
    const what = result.notCarried.map((item) => `${item.what}: ${item.action}`).join('\n');

    expect(what).toMatch(/WEBSITE_TIME_ZONE: App Service and Azure Functions reserve this name/);
    expect(what).toMatch(/variable a\.b: app setting names on Linux/);
    expect(what).toMatch(/POD_NAME \(fieldRef metadata.name\): the platform sets WEBSITE_SITE_NAME/);
  });

  it('gives commands that pipe each secret from the cluster into Key Vault, and the grants', async () => {
    const result = await convertOne(yaml, 'team/Deployment/ranker');
    const steps = result.deploy!.steps.join('\n');

    expect(steps).toContain(
      "kubectl get secret hf -n team -o jsonpath='{.data.token}' | base64 -d | az keyvault secret set --vault-name <vault> --name team-hf-token --file /dev/stdin",
    );
    expect(steps).toContain("kubectl get secret creds -n team -o jsonpath='{.data.tls\\.key}'");
    expect(steps).toMatch(/--role "Key Vault Secrets User"/);
    expect(steps).toMatch(/--role "App Configuration Data Reader"/);
  });
});

describe('emitted files validate against the official schemas, and the checks have teeth', () => {
  it('catches an invalid ARM template, host.json and function.json', () => {
    const site = {
      type: 'Microsoft.Web/sites',
      apiVersion: '2024-11-01',
      name: 'app',
      properties: { functionAppConfig: { scaleAndConcurrency: { instanceMemoryMB: 2048 } } },
    };
    const template = (resource: unknown) =>
      JSON.stringify({
        $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
        contentVersion: '1.0.0.0',
        resources: [resource],
      });

    expect(armTemplateErrors(template(site))).toEqual([]);
    expect(armTemplateErrors(template({ ...site, apiVersion: '2024-04-01' })).length).toBeGreaterThan(0);
    const wrongType = {
      ...site,
      properties: { functionAppConfig: { scaleAndConcurrency: { instanceMemoryMB: '2 GB' } } },
    };
    expect(armTemplateErrors(template(wrongType)).length).toBeGreaterThan(0);
    expect(
      hostJsonErrors(JSON.stringify({ version: '2.0', functionTimeout: '1:00:00' })).length,
    ).toBeGreaterThan(0);
    expect(
      hostJsonErrors(JSON.stringify({ version: '2.0', extensions: { http: { maxConcurrentRequests: 1 } } }))
        .length,
    ).toBeGreaterThan(0);
    expect(
      functionJsonErrors(
        JSON.stringify({ bindings: [{ type: 'httpTrigger', direction: 'sideways', name: 'req' }] }),
      ).length,
    ).toBeGreaterThan(0);
  });

  it('catches a main.bicep that lacks what azuredeploy.json has', async () => {
    const result = await convertOne(deployment('ranker', ''), 'team/Deployment/ranker');
    const bicep = fileOf(result, 'main.bicep');
    const arm = fileOf(result, 'azuredeploy.json');

    expect(bicepArmDisagreements(bicep, arm)).toEqual([]);
    const lacking = bicepArmDisagreements(bicep.replace(/\n\s*instanceMemoryMB: 2048/, ''), arm);
    expect(lacking.length).toBeGreaterThan(0);
    for (const problem of lacking)
      expect(problem).toContain('functionAppConfig.scaleAndConcurrency.instanceMemoryMB');
    expect(bicepArmDisagreements(bicep.replace("'Disabled'", "'AllAllowed'"), arm).join('\n')).toMatch(
      /Disabled/,
    );
    expect(bicepArmDisagreements(bicep.replace('@2024-11-01', '@2023-12-01'), arm).length).toBeGreaterThan(0);
    expect(
      bicepArmDisagreements(bicep.replace('param storageAccountName string', 'param storage string'), arm)
        .length,
    ).toBeGreaterThan(0);
  });
});

describe('what the app runs: the ONNX scaffold on Node.js, a Python app, or a custom handler', () => {
  const onnx = `
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata: {name: ranker, namespace: team}
spec:
  predictor:
    containerConcurrency: 2
    model:
      modelFormat: {name: onnx}
      storageUri: https://models.example.com/ranker/model.onnx
      resources: {requests: {cpu: "1", memory: 1Gi}}
`;
  const scaffolds: ScaffoldHook = (target, options) => [
    { path: 'host.json', content: '{"version": "2.0"}\n' },
    { path: 'src/function.ts', content: `// ${target} ${options.modelUri}\n` },
  ];

  it('uses the scaffold with runtime node 20 and its own host.json in place of the scaffold’s', async () => {
    const result = await convertOne(onnx, 'team/InferenceService/ranker', { scaffolds });

    expect(azureFileErrors(result.files)).toEqual([]);
    expect(result.files.map((file) => file.path)).toEqual([
      'main.bicep',
      'azuredeploy.json',
      'host.json',
      'src/function.ts',
    ]);
    expect(JSON.parse(fileOf(result, 'host.json'))).toMatchObject({
      extensionBundle: { id: 'Microsoft.Azure.Functions.ExtensionBundle' },
      extensions: { http: { routePrefix: 'api', maxConcurrentRequests: 2 } },
    });
    expect(fileOf(result, 'azuredeploy.json')).toContain('"name": "node",\n            "version": "20"');
    expect(appSettings(result).MODEL_URI).toBe('https://models.example.com/ranker/model.onnx');
  });

  it('without the scaffold module, a Python app for a Python server, and says so', async () => {
    const result = await convertOne(onnx, 'team/InferenceService/ranker');

    expect(fileOf(result, 'azuredeploy.json')).toContain('"name": "custom"');
    expect(result.notes.join('\n')).toMatch(
      /No handler scaffold: converters\/cold-start\/scaffolds is not part of this build/,
    );
    const python = await convertOne(deployment('ranker', ''), 'team/Deployment/ranker');
    expect(fileOf(python, 'azuredeploy.json')).toContain('"name": "python"');
    expect(python.notes.join('\n')).toMatch(/Write the Python function app/);
  });

  it('starts Triton as a custom handler on the forwarded port, behind a catch-all HTTP function', async () => {
    const triton = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: triton, namespace: ml}
spec:
  replicas: 1
  selector: {matchLabels: {app: t}}
  template:
    metadata: {labels: {app: t}}
    spec:
      containers:
        - name: triton
          image: nvcr.io/nvidia/tritonserver:24.08-py3
          args: ["tritonserver", "--model-repository=s3://bucket/models", "--http-port=8000"]
          ports: [{containerPort: 8000}]
          resources: {requests: {cpu: "1", memory: 2Gi}}
`;
    const result = await convertOne(triton, 'ml/Deployment/triton');

    expect(azureFileErrors(result.files)).toEqual([]);
    expect(JSON.parse(fileOf(result, 'host.json'))).toMatchObject({
      extensions: { http: { routePrefix: '' } },
      customHandler: {
        description: {
          defaultExecutablePath: 'tritonserver',
          arguments: ['--model-repository=s3://bucket/models', '--http-port=%FUNCTIONS_CUSTOMHANDLER_PORT%'],
        },
        enableForwardingHttpRequest: true,
      },
    });
    expect(JSON.parse(fileOf(result, 'serve/function.json')).bindings[0]).toMatchObject({
      route: '{*path}',
      authLevel: 'function',
    });
    expect(result.recommendations.map((entry) => entry.id)).toContain('container-apps');
  });
});

describe('names: valid for Azure, deterministic, originals recorded', () => {
  it('cuts a long app name to 60 and a storage account to 24 with a hash, and keeps short ones ≥ 3', async () => {
    const long = `ranker-${'x'.repeat(70)}`;
    const result = await convertOne(deployment(long, ''), `team/Deployment/${long}`);
    const short = await convertOne(
      deployment('a', '').replace('namespace: team', 'namespace: b'),
      'b/Deployment/a',
    );

    const name = (res: ConversionResult, kind: string) => res.names.find((entry) => entry.kind === kind)!;
    expect(name(result, 'Azure function app name').emitted).toMatch(/^[a-z0-9][a-z0-9-]{0,58}[a-z0-9]$/);
    expect(name(result, 'Azure function app name').emitted).toHaveLength(60);
    expect(name(result, 'Azure storage account name').emitted).toMatch(/^[a-z0-9]{24}$/);
    expect(name(result, 'Azure storage account name').original).toBe(`team-${long}`);
    expect(name(short, 'Azure storage account name').emitted).toBe('stba');
    expect(name(short, 'Azure function app name').emitted).toBe('b-a');
    expect(azureFileErrors(result.files)).toEqual([]);
    const again = await convertOne(deployment(long, ''), `team/Deployment/${long}`);
    expect(again.names).toEqual(result.names);
  });
});
