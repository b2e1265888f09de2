import { describe, expect, it } from 'vitest';
import { spikeProfile } from '../../core/traffic/index.ts';
import { analyzeYaml, contextFor, convertAll, workloadOf } from '../common/testing.ts';
import type { ConversionResult, GeneratedFile } from '../types.ts';
import { convertToAzureFunctions } from './convert.ts';
import { choosePlan, FLEX_SIZES, functionTimeout, hhmmss, PREMIUM_SKUS } from './sizing.ts';
import { azureFileErrors } from './testing.ts';

type Site = {
  properties: {
    functionAppConfig?: {
      scaleAndConcurrency: {
        instanceMemoryMB: number;
        maximumInstanceCount: number;
        alwaysReady?: { name: string; instanceCount: number }[];
        triggers?: { http: { perInstanceConcurrency: number } };
      };
      runtime: { name: string; version: string };
    };
    siteConfig: { minimumElasticInstanceCount?: number; appSettings: { name: string; value: string }[] };
  };
};
type Resource = {
  type: string;
  sku?: { name: string; tier: string };
  properties?: Record<string, unknown>;
} & Site;

function fileOf(result: { files: GeneratedFile[] }, path: string): string {
  const file = result.files.find((entry) => entry.path === path);
  if (!file) throw new Error(`no ${path}; have ${result.files.map((entry) => entry.path).join(', ')}`);
  return file.content;
}

function resourceOf(result: ConversionResult, type: string): Resource {
  const arm = JSON.parse(fileOf(result, 'azuredeploy.json')) as { resources: Resource[] };
  return arm.resources.find((resource) => resource.type === type)!;
}

const siteOf = (result: ConversionResult) => resourceOf(result, 'Microsoft.Web/sites');
const planOf = (result: ConversionResult) => resourceOf(result, 'Microsoft.Web/serverfarms');
const hostOf = (result: ConversionResult) =>
  JSON.parse(fileOf(result, 'host.json')) as Record<string, unknown>;

async function convertOne(yaml: string, id: string, extra: Parameters<typeof contextFor>[2] = {}) {
  const report = await analyzeYaml(yaml);
  const workload = workloadOf(report, id);
  const result = convertToAzureFunctions(workload, contextFor(report, workload, extra));
  expect(result.status).toBe('converted');
  expect(azureFileErrors(result.files)).toEqual([]);
  return { result, workload, report };
}

const deployment = (resources: string, extra = '', replicas = 2) => `
apiVersion: apps/v1
kind: Deployment
metadata: {name: scorer, namespace: team}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: scorer}}
  template:
    metadata: {labels: {app: scorer}}
    spec:
      containers:
        - name: server
          image: ghcr.io/team/scorer:2.1
          args: ["serve", "--model=/models/scorer"]
          ports: [{containerPort: 8080}]
${resources}${extra}
`;
const sized = (cpu: string, memory: string) =>
  deployment(`          resources: {requests: {cpu: "${cpu}", memory: ${memory}}}`);

describe('plan choice: the smallest Flex instance that holds the pod, else the smallest Premium SKU', () => {
  it('walks the Flex sizes at each memory and CPU boundary', () => {
    expect(choosePlan(512, 250)).toMatchObject({ kind: 'flex', memoryMb: 512 });
    expect(choosePlan(513, 250)).toMatchObject({ kind: 'flex', memoryMb: 2048 });
    expect(choosePlan(512, 251)).toMatchObject({ kind: 'flex', memoryMb: 2048 });
    expect(choosePlan(2048, 1000)).toMatchObject({ kind: 'flex', memoryMb: 2048 });
    expect(choosePlan(2049, 1000)).toMatchObject({ kind: 'flex', memoryMb: 4096 });
    expect(choosePlan(100, 1001)).toMatchObject({ kind: 'flex', memoryMb: 4096 });
    expect(choosePlan(4096, 2000)).toMatchObject({ kind: 'flex', memoryMb: 4096, cpuMillis: 2000 });
  });

  it('falls back to Premium above 4,096 MB or 2 cores, and to nothing above EP3', () => {
    expect(choosePlan(4097, 500)).toMatchObject({ kind: 'premium', sku: 'EP2' });
    expect(choosePlan(7000, 2000)).toMatchObject({ kind: 'premium', sku: 'EP2', memoryMb: 7000 });
    expect(choosePlan(7001, 2000)).toMatchObject({ kind: 'premium', sku: 'EP3' });
    expect(choosePlan(1024, 2001)).toMatchObject({ kind: 'premium', sku: 'EP3' });
    expect(choosePlan(14000, 4000)).toMatchObject({ kind: 'premium', sku: 'EP3', cpuMillis: 4000 });
    expect(choosePlan(14001, 4000)).toBeNull();
    expect(choosePlan(1024, 4001)).toBeNull();
  });

  it('never picks EP1: whatever fits it (1 core, 3.5 GB) fits Flex 4,096 MB', () => {
    const ep1 = PREMIUM_SKUS.find((sku) => sku.sku === 'EP1')!;
    expect(ep1).toMatchObject({ memoryMb: 3500, cpuMillis: 1000 });
    expect(FLEX_SIZES.at(-1)!.memoryMb).toBeGreaterThanOrEqual(ep1.memoryMb);
    expect(choosePlan(ep1.memoryMb, ep1.cpuMillis)).toMatchObject({ kind: 'flex', memoryMb: 4096 });
  });

  it('a 2-core, 4 GiB pod gets Flex FC1 with instanceMemoryMB 4096, and the source says why', async () => {
    const { result } = await convertOne(sized('2', '4Gi'), 'team/Deployment/scorer');

    expect(planOf(result).sku).toEqual({ name: 'FC1', tier: 'FlexConsumption' });
    expect(siteOf(result).properties.functionAppConfig!.scaleAndConcurrency.instanceMemoryMB).toBe(4096);
    expect(result.settings.find((row) => row.name === 'plan sku')!.source).toMatch(
      /memory request 4,096 MB and CPU request 2 cores \(-:\d+.*smallest Flex Consumption instance that holds it is 4,096 MB, 2 cores/,
    );
  });

  it('6 GiB on 2 cores goes to Premium EP2, 3 cores to EP3, with the Premium settings', async () => {
    const ep2 = (await convertOne(sized('2', '6Gi'), 'team/Deployment/scorer')).result;
    const ep3 = (await convertOne(sized('3', '1Gi'), 'team/Deployment/scorer')).result;

    expect(planOf(ep2).sku).toEqual({ name: 'EP2', tier: 'ElasticPremium' });
    expect(planOf(ep3).sku).toEqual({ name: 'EP3', tier: 'ElasticPremium' });
    expect(planOf(ep2).properties).toEqual({ reserved: true, maximumElasticWorkerCount: 2 });
    expect(siteOf(ep2).properties.functionAppConfig).toBeUndefined();
    expect(siteOf(ep2).properties.siteConfig.appSettings.map((entry) => entry.name)).toEqual(
      expect.arrayContaining([
        'FUNCTIONS_EXTENSION_VERSION',
        'FUNCTIONS_WORKER_RUNTIME',
        'WEBSITE_CONTENTSHARE',
      ]),
    );
    expect(ep2.settings.find((row) => row.name === 'plan sku')!.source).toMatch(
      /above Flex Consumption's largest instance \(4,096 MB, 2 cores\), so the Premium plan; EP2/,
    );
  });

  it('without requests, takes the default Flex instance (2,048 MB) and marks it as a default', async () => {
    const { result } = await convertOne(deployment(''), 'team/Deployment/scorer');

    expect(siteOf(result).properties.functionAppConfig!.scaleAndConcurrency.instanceMemoryMB).toBe(2048);
    expect(result.settings.find((row) => row.name === 'plan sku')!.source).toMatch(/^default:/);
  });
});

describe('always-ready instances: sized from traffic, on each plan’s terms, priced where the facts allow', () => {
  const knative = (concurrency: string) => `
apiVersion: serving.knative.dev/v1
kind: Service
metadata: {name: scorer, namespace: team}
spec:
  template:
    metadata:
      annotations:
        autoscaling.knative.dev/min-scale: "1"
        autoscaling.knative.dev/max-scale: "60"
    spec:
${concurrency}      timeoutSeconds: 30
      containers:
        - image: registry.example.com/team/scorer:1
          resources: {requests: {cpu: "1", memory: 1Gi}}
`;

  it('without traffic keeps one, as the cluster kept a replica, and says the price is not confirmed', async () => {
    const { result } = await convertOne(knative(''), 'team/Service/scorer');

    const scale = siteOf(result).properties.functionAppConfig!.scaleAndConcurrency;
    expect(scale.alwaysReady).toEqual([{ name: 'http', instanceCount: 1 }]);
    expect(scale.maximumInstanceCount).toBe(60);
    expect(result.warm!.capacity.basis).toBe('default');
    expect(result.warm!.price!.usdPerMonth).toBeNull();
    expect(result.warm!.price!.formula).toMatch(/^price not confirmed — 1 × 2 GB/);
    expect(
      result.settings.find((row) => row.name.endsWith('alwaysReady[http].instanceCount'))!.source,
    ).toMatch(/price not confirmed/);
  });

  it("applies Little's law with the per-instance concurrency: 20 req/s × 400 ms = 8 → 8 at 1, 2 at 4", async () => {
    const traffic = { traffic: spikeProfile('constant:rate=20,duration=10m', 1), serviceMs: 400 };
    const one = (await convertOne(knative(''), 'team/Service/scorer', traffic)).result;
    const four = (
      await convertOne(knative('      containerConcurrency: 4\n'), 'team/Service/scorer', traffic)
    ).result;

    const needed = one.warm!.capacity.concurrencyNeeded!;
    expect(one.warm!.capacity.basis).toBe('traffic');
    expect(siteOf(one).properties.functionAppConfig!.scaleAndConcurrency.alwaysReady![0]!.instanceCount).toBe(
      Math.ceil(needed),
    );
    expect(siteOf(four).properties.functionAppConfig!.scaleAndConcurrency).toMatchObject({
      alwaysReady: [{ name: 'http', instanceCount: Math.ceil(needed / 4) }],
      triggers: { http: { perInstanceConcurrency: 4 } },
    });
    expect(one.settings.find((row) => row.name.endsWith('perInstanceConcurrency'))!.source).toMatch(
      /^assumed: the workload declares no per-pod concurrency limit .* Flex's HTTP per-instance concurrency defaults are not in platform-facts.md g/,
    );
  });

  it('keeps none when the cluster scaled to zero, and prices one for comparison without a figure', async () => {
    const zero = knative('').replace('min-scale: "1"', 'min-scale: "0"');
    const { result } = await convertOne(zero, 'team/Service/scorer');

    expect(siteOf(result).properties.functionAppConfig!.scaleAndConcurrency.alwaysReady).toBeUndefined();
    expect(result.warm!.price!.formula).toMatch(
      /^none kept; one always-ready instance of this size: .*\(price not confirmed\)$/,
    );
  });

  it('on Premium keeps at least one instance, and at most the cluster’s maximum', async () => {
    const premium = knative('')
      .replace('memory: 1Gi', 'memory: 6Gi')
      .replace('min-scale: "1"', 'min-scale: "0"');
    const idle = (await convertOne(premium, 'team/Service/scorer')).result;
    const busy = (
      await convertOne(premium.replace('max-scale: "60"', 'max-scale: "5"'), 'team/Service/scorer', {
        traffic: spikeProfile('constant:rate=50,duration=10m', 1),
        serviceMs: 1000,
      })
    ).result;

    expect(siteOf(idle).properties.siteConfig.minimumElasticInstanceCount).toBe(1);
    expect(idle.warm!.capacity.reason).toMatch(
      /raised to 1: a Premium plan always runs at least one instance/,
    );
    expect(idle.warm!.price!.formula).toMatch(/^price not confirmed — 1 × EP2 instance/);
    expect(siteOf(busy).properties.siteConfig.minimumElasticInstanceCount).toBe(5);
    expect(planOf(busy).properties).toMatchObject({ maximumElasticWorkerCount: 5 });
    expect(busy.warm!.capacity.cappedBy).toMatch(/capped at 5/);
  });

  it('a queue worker gets no always-ready entry: Flex keeps them per trigger, and it has none yet', async () => {
    const worker = deployment('          resources: {requests: {cpu: "1", memory: 1Gi}}').replace(
      '          ports: [{containerPort: 8080}]\n',
      '',
    );
    const { result } = await convertOne(worker, 'team/Deployment/scorer', {
      traffic: spikeProfile('constant:rate=10,duration=10m', 1),
      serviceMs: 500,
    });

    const scale = siteOf(result).properties.functionAppConfig!.scaleAndConcurrency;
    expect(scale.alwaysReady).toBeUndefined();
    expect(scale.triggers).toBeUndefined();
    expect(result.warm!.capacity.instances).toBe(0);
    expect(result.warm!.capacity.reason).toMatch(/none emitted: the app has no HTTP trigger/);
    expect(hostOf(result).extensions).toBeUndefined();
  });

  it('keeps maximumInstanceCount within Flex’s 40–1,000 and warns about the regional quota', async () => {
    const wide = knative('')
      .replace('max-scale: "60"', 'max-scale: "2000"')
      .replace('memory: 1Gi', 'memory: 4Gi');
    const { result } = await convertOne(wide, 'team/Service/scorer');
    const narrow = (
      await convertOne(knative('').replace('max-scale: "60"', 'max-scale: "3"'), 'team/Service/scorer')
    ).result;

    expect(siteOf(result).properties.functionAppConfig!.scaleAndConcurrency.maximumInstanceCount).toBe(1000);
    expect(result.notes.join('\n')).toMatch(/1,000 instances × 4,096 MB .* regional quota of 250 cores/);
    expect(siteOf(narrow).properties.functionAppConfig!.scaleAndConcurrency.maximumInstanceCount).toBe(40);
    expect(narrow.settings.find((row) => row.name.endsWith('maximumInstanceCount'))!.source).toMatch(
      /maximum 3 replicas .*, raised to 40; Flex accepts 40–1,000/,
    );
  });
});

describe('host.json functionTimeout: the workload’s timeout within the plan’s limit', () => {
  it('formats seconds as the schema’s HH:MM:SS', () => {
    expect(hhmmss(30)).toBe('00:00:30');
    expect(hhmmss(3599)).toBe('00:59:59');
    expect(hhmmss(3600)).toBe('01:00:00');
  });

  it('takes the request timeout, the plan limit when none is declared, and clamps above it', async () => {
    const report = await analyzeYaml(sized('1', '1Gi'));
    const workload = workloadOf(report, 'team/Deployment/scorer');
    const flex = { kind: 'flex', memoryMb: 2048, cpuMillis: 1000, label: '' } as const;
    const premium = { kind: 'premium', sku: 'EP2', memoryMb: 7000, cpuMillis: 2000, label: '' } as const;

    const none = functionTimeout(workload, flex);
    workload.serving.timeoutSeconds = 45.5;
    const declared = functionTimeout(workload, premium);
    // Above every plan's limit (the analysis blocks it first; the converter still clamps).
    workload.serving.timeoutSeconds = 5000;
    const long = functionTimeout(workload, flex);
    const longPremium = functionTimeout(workload, premium);

    expect(none.value).toBe(3600);
    expect(none.source).toMatch(
      /^no request timeout in the manifests .* Flex Consumption's limit is not in platform-facts.md g/,
    );
    expect(declared).toMatchObject({ value: 46, notes: [] });
    expect(long.value).toBe(3600);
    expect(long.source).toMatch(/request timeout 5,000 s .*; clamped to 60 min/);
    expect(long.notes[0]).toMatch(/functionTimeout is clamped to 01:00:00/);
    expect(longPremium.source).toMatch(/clamped to the Premium plan's guaranteed maximum, 60 min/);
  });

  it('writes it into host.json with the request timeout of a KServe predictor', async () => {
    const isvc = `
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata: {name: fraud, namespace: ml}
spec:
  predictor:
    timeout: 30
    containerConcurrency: 8
    model:
      modelFormat: {name: sklearn}
      storageUri: https://models.example.com/fraud
      resources: {requests: {cpu: 500m, memory: 1Gi}}
`;
    const { result } = await convertOne(isvc, 'ml/InferenceService/fraud');

    expect(hostOf(result)).toMatchObject({
      version: '2.0',
      functionTimeout: '00:00:30',
      extensions: { http: { routePrefix: 'api', maxConcurrentRequests: 8 } },
    });
    expect(siteOf(result).properties.functionAppConfig!.runtime).toEqual({ name: 'python', version: '3.11' });
  });
});

describe('the whole run', () => {
  it('registers azure-functions: converted, never not-implemented', async () => {
    const run = convertAll(await analyzeYaml(sized('1', '1Gi')), { targets: ['azure-functions'] });

    expect(run.artifacts.map((artifact) => artifact.status)).toEqual(['converted']);
    expect(run.artifacts[0]!.files.map((file) => file.path)).toEqual([
      'main.bicep',
      'azuredeploy.json',
      'host.json',
      'serve/function.json',
      'MIGRATION.md',
    ]);
  });
});
