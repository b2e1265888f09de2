import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MigrateError } from '../../core/errors.ts';
import { runCli } from '../../test/helpers/cli.ts';
import { readOptional } from '../config-dir.ts';
import type { CloudFlags, DesiredConfig, LiveConfig } from '../types.ts';
import type { CloudRunResource } from './desired.ts';
import { cloudRunCloud } from './index.ts';
import { type LiveService, liveConfig } from './live.ts';
import { templateChanges } from './plan.ts';
import type { V2Service } from './v2.ts';

const flags: CloudFlags = {
  region: 'europe-west4',
  project: 'proj',
  subscription: null,
  resourceGroup: null,
  endpoint: null,
  caFile: null,
  requestTimeoutMs: 30_000,
  extra: {},
};

let out: string;
let fraud: DesiredConfig;

beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'cloud-run-plan-'));
  const result = await runCli(['convert', 'examples/k8s', '--out', out, '--target', 'cloud-run']);
  expect(result.code, result.stderr).toBe(0);
  fraud = await cloudRunCloud.readDesired(
    join(out, 'ml-inferenceservice-fraud-scoring', 'cloud-run'),
    readOptional,
  );
});

afterAll(async () => {
  await rm(out, { recursive: true, force: true });
});

const NAME = 'projects/proj/locations/europe-west4/services/ml-fraud-scoring';
const IMAGE = 'europe-west4-docker.pkg.dev/proj/ml/fraud-scoring:cloud-run';

/** What services.get decodes to for the deployed fraud-scoring service (SDK object form: int64 as text, defaults filled). */
function deployed(change: (service: LiveService) => void = () => {}): LiveConfig {
  const service: LiveService = {
    name: NAME,
    description: (fraud.resource as CloudRunResource).service.description ?? '',
    uri: 'https://ml-fraud-scoring-abc-ez.a.run.app',
    labels: { 'cloud.googleapis.com/location': 'europe-west4' },
    latestReadyRevision: `${NAME}/revisions/ml-fraud-scoring-00001-abc`,
    terminalCondition: { type: 'Ready', state: 'CONDITION_SUCCEEDED' },
    ingress: 'INGRESS_TRAFFIC_ALL',
    traffic: [{ type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST', percent: 100, revision: '', tag: '' }],
    template: {
      scaling: { minInstanceCount: 1, maxInstanceCount: 20 },
      timeout: { seconds: '30', nanos: 0 },
      maxInstanceRequestConcurrency: 8,
      executionEnvironment: 'EXECUTION_ENVIRONMENT_GEN2',
      serviceAccount: '123-compute@developer.gserviceaccount.com',
      nodeSelector: null,
      containers: [
        {
          name: '',
          image: IMAGE,
          command: [],
          args: [],
          env: [],
          ports: [{ name: 'http1', containerPort: 8080 }],
          resources: { limits: { cpu: '1000m', memory: '2Gi' }, cpuIdle: false, startupCpuBoost: true },
          startupProbe: {
            httpGet: { path: '/v2/health/ready', port: 8080, httpHeaders: [] },
            periodSeconds: 10,
            timeoutSeconds: 1,
            failureThreshold: 24,
            initialDelaySeconds: 0,
          },
        },
      ],
    },
  };
  change(service);
  return liveConfig(service, 'ml-fraud-scoring');
}

describe('cloud-run planApply', () => {
  it('creates a service that is not deployed, with ${REGION} and ${PROJECT_ID} filled', () => {
    const calls = cloudRunCloud.planApply(fraud, null, flags);
    expect(calls).toHaveLength(1);
    const [call] = calls;
    expect(call!.operation).toBe('run.services.create');
    expect(call!.input.parent).toBe('projects/proj/locations/europe-west4');
    expect(call!.input.serviceId).toBe('ml-fraud-scoring');
    const service = call!.input.service as V2Service;
    expect(service.name).toBeUndefined();
    expect(service.template.containers[0]!.image).toBe(IMAGE);
    expect(service.template.scaling).toEqual({ minInstanceCount: 1, maxInstanceCount: 20 });
    expect(call!.summary).toBe(
      `create service ml-fraud-scoring in projects/proj/locations/europe-west4: concurrency 8, cpuMillis 1000, image ${IMAGE}, maxInstances 20, memoryMb 2048, timeoutSeconds 30, warmInstances 1`,
    );
  });

  it('leaves ${PROJECT_ID} for execute when the project comes from the credentials', () => {
    const [call] = cloudRunCloud.planApply(fraud, null, { ...flags, project: null });
    expect(call!.input.parent).toBe('projects/${PROJECT_ID}/locations/europe-west4');
    expect((call!.input.service as V2Service).template.containers[0]!.image).toBe(
      'europe-west4-docker.pkg.dev/${PROJECT_ID}/ml/fraud-scoring:cloud-run',
    );
  });

  it('makes no call when the deployed service already matches (API defaults and output fields aside)', () => {
    expect(cloudRunCloud.planApply(fraud, deployed(), flags)).toEqual([]);
    // The project is read from the live name when --project is not given.
    expect(cloudRunCloud.planApply(fraud, deployed(), { ...flags, project: null })).toEqual([]);
  });

  it('patches with the whole template and lists what changes', () => {
    const live = deployed((service) => {
      service.template!.scaling = { minInstanceCount: 0, maxInstanceCount: 20 };
      service.template!.maxInstanceRequestConcurrency = 80;
      service.template!.containers![0]!.resources!.limits = { cpu: '2', memory: '2Gi' };
    });
    const calls = cloudRunCloud.planApply(fraud, live, flags);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.operation).toBe('run.services.patch');
    expect(calls[0]!.summary).toBe(
      "update service ml-fraud-scoring (a new revision; the template is replaced by service.yaml's): concurrency 80 → 8; cpuMillis 2000 → 1000; warmInstances 0 → 1",
    );
    const service = calls[0]!.input.service as V2Service;
    expect(service.name).toBe(NAME);
    expect(service.template).toEqual({
      ...(fraud.resource as CloudRunResource).service.template,
      containers: [{ ...(fraud.resource as CloudRunResource).service.template.containers[0]!, image: IMAGE }],
    });
  });

  it('patches for template fields verify does not compare: env, billing, a GPU the file does not have', () => {
    const env = deployed((service) => {
      service.template!.containers![0]!.env = [{ name: 'DEBUG', value: '1' }];
    });
    expect(cloudRunCloud.planApply(fraud, env, flags)[0]!.summary).toMatch(
      /: also template\.containers\[0\]\.env$/,
    );
    const billing = deployed((service) => {
      service.template!.containers![0]!.resources!.cpuIdle = true;
    });
    expect(cloudRunCloud.planApply(fraud, billing, flags)[0]!.summary).toMatch(
      /: also template\.containers\[0\]\.resources\.cpuIdle$/,
    );
    const gpu = deployed((service) => {
      service.template!.nodeSelector = { accelerator: 'nvidia-l4' };
      service.template!.containers![0]!.resources!.limits = {
        cpu: '1',
        memory: '2Gi',
        'nvidia.com/gpu': '1',
      };
    });
    expect(cloudRunCloud.planApply(fraud, gpu, flags)[0]!.summary).toMatch(
      /: also template\.containers\[0\]\.resources\.limits, template\.nodeSelector$/,
    );
  });

  it('compares the settings alone for a LiveConfig it did not read', () => {
    const copy: LiveConfig = { ...deployed() };
    expect(cloudRunCloud.planApply(fraud, copy, flags)).toEqual([]);
    copy.settings = { ...copy.settings, timeoutSeconds: 300 };
    expect(cloudRunCloud.planApply(fraud, copy, flags)[0]!.summary).toMatch(/timeoutSeconds 300 → 30$/);
  });

  it('needs --region and never plans a delete', () => {
    expect(() => cloudRunCloud.planApply(fraud, null, { ...flags, region: null })).toThrow(MigrateError);
    expect(() => cloudRunCloud.planApply(fraud, null, { ...flags, region: null })).toThrow(/--region/);
    const operations = [
      null,
      deployed((service) => {
        service.template!.timeout = { seconds: '5' };
      }),
    ].flatMap((live) => cloudRunCloud.planApply(fraud, live, flags).map((call) => call.operation));
    expect(operations).toEqual(['run.services.create', 'run.services.patch']);
  });

  it('templateChanges: only stated fields, proto3 forms, limit quantities', () => {
    const desired: V2Service = {
      template: {
        containers: [{ image: 'i', resources: { limits: { cpu: '1', memory: '1Gi' } } }],
        timeout: { seconds: 30 },
      },
    };
    const live = {
      template: {
        containers: [{ image: 'i', resources: { limits: { cpu: '1000m', memory: '1024Mi' } }, ports: [{}] }],
        timeout: { seconds: '30', nanos: 0 },
        revision: 'x',
      },
    };
    expect(templateChanges(desired, live)).toEqual([]);
    live.template.containers[0]!.image = 'j';
    expect(templateChanges(desired, live)).toEqual(['template.containers[0].image']);
  });
});
