/**
 * The target against the fake Cloud Run Admin API (test/helpers/fake-cloud-run.ts) through the real
 * SDK: credentials from the default chain (the fake metadata server), REST fallback transport,
 * long-running operations, errors and throttling.
 */

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MigrateError } from '../../core/errors.ts';
import { runCli } from '../../test/helpers/cli.ts';
import { applyEnv, type FakeCloudRun, startFakeCloudRun } from '../../test/helpers/fake-cloud-run.ts';
import { readOptional } from '../config-dir.ts';
import { diffConfig } from '../diff.ts';
import type { CloudFlags, DesiredConfig } from '../types.ts';
import { type CloudRunSession, connectCloudRun, type Pacing } from './client.ts';
import { cloudRunCloud } from './index.ts';

/** Retries and polls paced for a test: the same code paths, milliseconds instead of seconds. */
const FAST: Pacing = { retryDelayMs: 5, attempts: 4, pollDelayMs: 5, pollTimeoutMs: 5_000 };

let out: string;
let fake: FakeCloudRun;
let restore: () => void;
const sessions: CloudRunSession[] = [];

const desired = (slug: string): Promise<DesiredConfig> =>
  cloudRunCloud.readDesired(join(out, slug, 'cloud-run'), readOptional);

function flags(change: Partial<CloudFlags> = {}): CloudFlags {
  return {
    region: fake.region,
    project: null,
    subscription: null,
    resourceGroup: null,
    endpoint: fake.endpoint,
    caFile: null,
    requestTimeoutMs: 5_000,
    extra: {},
    ...change,
  };
}

async function connect(change: Partial<CloudFlags> = {}): Promise<CloudRunSession> {
  const session = await connectCloudRun(flags(change), FAST);
  sessions.push(session);
  return session;
}

const FRAUD_LIVE = {
  description: 'ml/InferenceService/fraud-scoring, deployed by hand',
  template: {
    scaling: { minInstanceCount: 0, maxInstanceCount: 20 },
    maxInstanceRequestConcurrency: 80,
    timeout: '30s',
    executionEnvironment: 'EXECUTION_ENVIRONMENT_GEN2',
    containers: [
      {
        image: 'europe-west4-docker.pkg.dev/fake-project/ml/fraud-scoring:cloud-run',
        resources: { limits: { cpu: '1', memory: '2Gi' }, cpuIdle: false, startupCpuBoost: true },
      },
    ],
  },
};

beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'cloud-run-fake-'));
  const result = await runCli(['convert', 'examples/k8s', '--out', out, '--target', 'cloud-run']);
  expect(result.code, result.stderr).toBe(0);
});

afterAll(async () => {
  await rm(out, { recursive: true, force: true });
});

beforeEach(async () => {
  fake = await startFakeCloudRun();
  restore = applyEnv(fake.env);
});

afterEach(async () => {
  for (const session of sessions.splice(0)) cloudRunCloud.close(session);
  restore();
  expect(fake.unexpected).toEqual([]);
  await fake.close();
});

describe('credentials from the default chain', () => {
  it('gets the token from the metadata server and sends it on every call', async () => {
    const session = await connect();
    expect(session.project).toBe('fake-project');
    expect(await cloudRunCloud.readLive(session, 'absent')).toBeNull();
    expect(fake.calls.length).toBeGreaterThan(0);
    for (const call of fake.calls) expect(call.authorization).toBe(`Bearer ${fake.metadata.accessToken}`);
    expect(fake.metadata.calls.map((call) => call.path.split('?')[0])).toContain(
      '/computeMetadata/v1/instance/service-accounts/default/token',
    );
    expect(fake.metadata.calls.every((call) => call.flavor === 'Google')).toBe(true);
  });

  it('takes the project from the metadata server when nothing else names one', async () => {
    // No GOOGLE_CLOUD_PROJECT, and no gcloud on PATH (the chain asks `gcloud config` before the metadata server).
    const back = applyEnv({ GOOGLE_CLOUD_PROJECT: '', PATH: fake.env.HOME! });
    try {
      const session = await connect();
      expect(session.project).toBe('fake-project');
      expect(fake.metadata.calls.map((call) => call.path)).toContain(
        '/computeMetadata/v1/project/project-id',
      );
    } finally {
      back();
    }
  });

  it('--project wins over the chain', async () => {
    const session = await connect({ project: 'other-project' });
    expect(session.project).toBe('other-project');
  });

  it('says how to set credentials up when the chain finds none', async () => {
    const back = applyEnv({ METADATA_SERVER_DETECTION: 'none' });
    try {
      const error = await connectCloudRun(flags(), FAST).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(MigrateError);
      expect((error as MigrateError).message).toMatch(
        /^Cloud Run: no Google Cloud credentials found \(tried Application Default Credentials/,
      );
      expect((error as MigrateError).hint).toContain('gcloud auth application-default login');
      expect((error as MigrateError).hint).toContain('GOOGLE_APPLICATION_CREDENTIALS');
      // The same without --endpoint: the SDK's default (gRPC) client, same chain, same answer.
      await expect(connectCloudRun(flags({ endpoint: null }), FAST)).rejects.toThrow(
        /no Google Cloud credentials found/,
      );
    } finally {
      back();
    }
  });

  it('names the key file problem when GOOGLE_APPLICATION_CREDENTIALS points nowhere', async () => {
    const back = applyEnv({ GOOGLE_APPLICATION_CREDENTIALS: join(out, 'no-such-key.json') });
    try {
      const error = await connectCloudRun(flags(), FAST).catch((caught: unknown) => caught);
      expect((error as MigrateError).message).toMatch(
        /^Cloud Run: the key file GOOGLE_APPLICATION_CREDENTIALS names cannot be used: The file at .*no-such-key\.json does not exist/,
      );
      expect((error as MigrateError).hint).toContain('GOOGLE_APPLICATION_CREDENTIALS');
    } finally {
      back();
    }
  });

  it('needs --region, and refuses --ca-file with the variable that works instead', async () => {
    await expect(connectCloudRun(flags({ region: null }), FAST)).rejects.toThrow(/cloud-run needs --region/);
    const error = await connectCloudRun(flags({ caFile: '/etc/ca.pem' }), FAST).catch(
      (caught: unknown) => caught,
    );
    expect((error as MigrateError).hint).toContain('NODE_EXTRA_CA_CERTS=/etc/ca.pem');
  });
});

describe('readLive', () => {
  it('reads a deployed service: settings and facts', async () => {
    fake.seed('ml-fraud-scoring', FRAUD_LIVE);
    const session = await connect();
    const { resource, ...live } = (await cloudRunCloud.readLive(session, 'ml-fraud-scoring'))!;
    expect((resource as { name: string }).name).toBe(
      'projects/fake-project/locations/europe-west4/services/ml-fraud-scoring',
    );
    expect(live).toEqual({
      name: 'ml-fraud-scoring',
      id: 'projects/fake-project/locations/europe-west4/services/ml-fraud-scoring',
      settings: {
        memoryMb: 2048,
        cpuMillis: 1000,
        concurrency: 80,
        warmInstances: 0,
        maxInstances: 20,
        timeoutSeconds: 30,
        image: 'europe-west4-docker.pkg.dev/fake-project/ml/fraud-scoring:cloud-run',
        gpu: null,
      },
      facts: {
        uri: fake.serviceUri,
        region: 'europe-west4',
        project: 'fake-project',
        latestReadyRevision: 'ml-fraud-scoring-00001-fak',
        terminalCondition: 'Ready CONDITION_SUCCEEDED',
      },
    });
    expect(fake.calls.map((call) => `${call.method} ${call.path}`)).toEqual([
      'GET /v2/projects/fake-project/locations/europe-west4/services/ml-fraud-scoring?$alt=json%3Benum-encoding=int',
    ]);
  });

  it('is null when the service does not exist (404 NOT_FOUND)', async () => {
    const session = await connect();
    expect(await cloudRunCloud.readLive(session, 'ml-fraud-scoring')).toBeNull();
  });

  it('verify (the shared diff) finds the drift, pointing at the line', async () => {
    fake.seed('ml-fraud-scoring', FRAUD_LIVE);
    const session = await connect();
    const want = await desired('ml-inferenceservice-fraud-scoring');
    const result = diffConfig(want, await cloudRunCloud.readLive(session, 'ml-fraud-scoring'));
    expect(result.findings.map((finding) => [finding.field, finding.expected, finding.actual])).toEqual([
      ['concurrency', 8, 80],
      ['warmInstances', 1, 0],
    ]);
    expect(result.findings[1]!.source).toBe(want.settings.warmInstances!.source);
  });

  it('a 404 that is not a Google error (a wrong --endpoint) is an error, not "not deployed"', async () => {
    fake.failNext('GetService', 404, '<html><body>Not Found</body></html>');
    const session = await connect();
    await expect(cloudRunCloud.readLive(session, 'ml-fraud-scoring')).rejects.toThrow(/failed: HTTP 404 /);
  });

  it('an endpoint nothing listens on is named as unreachable', async () => {
    const session = await connect({ endpoint: 'http://127.0.0.1:1' });
    await expect(cloudRunCloud.readLive(session, 'x')).rejects.toThrow(
      /cannot reach the Cloud Run API at http:\/\/127\.0\.0\.1:1 \(ECONNREFUSED\)/,
    );
  });

  it('403 PERMISSION_DENIED → the permission and role to ask for', async () => {
    fake.failNext('GetService', 403);
    const session = await connect();
    const error = await cloudRunCloud
      .readLive(session, 'ml-fraud-scoring')
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MigrateError);
    expect((error as MigrateError).message).toBe(
      "Cloud Run run.services.get projects/fake-project/locations/europe-west4/services/ml-fraud-scoring: permission denied: Permission 'run.services.get' denied on resource 'projects/fake-project/locations/europe-west4/services/ml-fraud-scoring' (or resource may not exist).",
    );
    expect((error as MigrateError).hint).toContain('roles/run.developer');
    expect((error as MigrateError).message + (error as MigrateError).hint).not.toContain(
      fake.metadata.accessToken,
    );
  });

  it('a project the credentials cannot see answers 403 too', async () => {
    const session = await connect({ project: 'someone-elses' });
    await expect(cloudRunCloud.readLive(session, 'x')).rejects.toThrow(/permission denied/);
  });

  it('retries 429 RESOURCE_EXHAUSTED and 503, then reads', async () => {
    fake.seed('ml-fraud-scoring', FRAUD_LIVE);
    fake.failNext('GetService', 429, undefined, 2);
    fake.failNext('GetService', 503);
    const session = await connect();
    const live = await cloudRunCloud.readLive(session, 'ml-fraud-scoring');
    expect(live?.settings.maxInstances).toBe(20);
    expect(fake.calls.filter((call) => call.operation === 'GetService')).toHaveLength(4);
  });

  it('gives up on throttling after its attempts with a throttling error', async () => {
    fake.failNext('GetService', 429, undefined, 10);
    const session = await connect();
    const error = await cloudRunCloud
      .readLive(session, 'ml-fraud-scoring')
      .catch((caught: unknown) => caught);
    expect((error as MigrateError).message).toMatch(/: throttled by Cloud Run after retries: Quota exceeded/);
    expect((error as MigrateError).hint).toContain('quota');
    expect(fake.calls.filter((call) => call.operation === 'GetService')).toHaveLength(FAST.attempts);
  });
});

describe('apply: plan and execute against the fake', () => {
  it('creates fraud-scoring, waits for the operation, then reads back what was asked for', async () => {
    const session = await connect();
    const want = await desired('ml-inferenceservice-fraud-scoring');
    const calls = cloudRunCloud.planApply(want, await cloudRunCloud.readLive(session, want.name), flags());
    expect(calls.map((call) => call.operation)).toEqual(['run.services.create']);
    for (const call of calls) await cloudRunCloud.execute(session, call);

    const create = fake.calls.find((call) => call.operation === 'CreateService')!;
    expect(create.method).toBe('POST');
    expect(create.path).toBe(
      '/v2/projects/fake-project/locations/europe-west4/services?serviceId=ml-fraud-scoring&$alt=json%3Benum-encoding=int',
    );
    // What went over the wire: proto3 JSON, enums as numbers, Duration as text, ${…} filled.
    const body = create.body as { template: Record<string, unknown> };
    expect(body.template.executionEnvironment).toBe(2);
    expect(body.template.timeout).toBe('30s');
    expect(body.template.maxInstanceRequestConcurrency).toBe(8);
    expect(body.template.scaling).toEqual({ minInstanceCount: 1, maxInstanceCount: 20 });
    expect((body.template.containers as Record<string, unknown>[])[0]).toMatchObject({
      image: 'europe-west4-docker.pkg.dev/fake-project/ml/fraud-scoring:cloud-run',
      resources: { limits: { cpu: '1', memory: '2Gi' }, cpuIdle: false, startupCpuBoost: true },
    });
    // The long-running operation was polled until done: done false, then true.
    expect(fake.calls.filter((call) => call.operation === 'GetOperation')).toHaveLength(2);
    expect(fake.service('ml-fraud-scoring')!.terminalCondition).toMatchObject({
      state: 'CONDITION_SUCCEEDED',
    });

    const live = await cloudRunCloud.readLive(session, want.name);
    expect(diffConfig(want, live).findings).toEqual([]);
    expect(cloudRunCloud.planApply(want, live, flags())).toEqual([]);
  });

  it('creates llm-chat: GPU node selector and the secret as a reference on the wire', async () => {
    const session = await connect({ project: 'fake-project' });
    const want = await desired('ml-deployment-llm-chat');
    for (const call of cloudRunCloud.planApply(want, null, flags({ project: 'fake-project' })))
      await cloudRunCloud.execute(session, call);
    const body = fake.calls.find((call) => call.operation === 'CreateService')!.body as {
      template: { nodeSelector: unknown; containers: { env: unknown; resources: unknown }[] };
    };
    expect(body.template.nodeSelector).toEqual({ accelerator: 'nvidia-l4' });
    expect(body.template.containers[0]!.env).toEqual([
      {
        name: 'HUGGING_FACE_HUB_TOKEN',
        valueSource: { secretKeyRef: { secret: 'ml-hf-token-token', version: 'latest' } },
      },
    ]);
    const live = await cloudRunCloud.readLive(session, want.name);
    expect(live!.settings.gpu).toBe('nvidia-l4 x1');
    expect(diffConfig(want, live).findings).toEqual([]);
  });

  it('patches a drifted service with the whole template, and then there is nothing left to do', async () => {
    fake.seed('ml-fraud-scoring', FRAUD_LIVE);
    const session = await connect();
    const want = await desired('ml-inferenceservice-fraud-scoring');
    const calls = cloudRunCloud.planApply(want, await cloudRunCloud.readLive(session, want.name), flags());
    expect(calls.map((call) => call.operation)).toEqual(['run.services.patch']);
    expect(calls[0]!.summary).toContain('concurrency 80 → 8; warmInstances 0 → 1');
    await cloudRunCloud.execute(session, calls[0]!);
    const patch = fake.calls.find((call) => call.operation === 'UpdateService')!;
    expect(patch.method).toBe('PATCH');
    expect(patch.path).toBe(
      '/v2/projects/fake-project/locations/europe-west4/services/ml-fraud-scoring?$alt=json%3Benum-encoding=int',
    );
    // gax moves service.name into the URL (the http rule's {service.name=…}) and sends the rest as the body.
    expect(patch.body).toMatchObject({ template: { maxInstanceRequestConcurrency: 8 } });
    expect(fake.service('ml-fraud-scoring')!.generation).toBe('2');
    const live = await cloudRunCloud.readLive(session, want.name);
    expect(diffConfig(want, live).findings).toEqual([]);
    expect(cloudRunCloud.planApply(want, live, flags())).toEqual([]);
  });

  it('retries a create Cloud Run refused with 429', async () => {
    fake.failNext('CreateService', 429);
    const session = await connect();
    const want = await desired('ml-inferenceservice-fraud-scoring');
    for (const call of cloudRunCloud.planApply(want, null, flags()))
      await cloudRunCloud.execute(session, call);
    expect(fake.calls.filter((call) => call.operation === 'CreateService')).toHaveLength(2);
    expect(fake.service('ml-fraud-scoring')).toBeDefined();
  });

  it('403 on create names roles/run.developer and actAs on the runtime service account', async () => {
    fake.failNext('CreateService', 403);
    const session = await connect();
    const want = await desired('ml-inferenceservice-fraud-scoring');
    const [call] = cloudRunCloud.planApply(want, null, flags());
    const error = await cloudRunCloud.execute(session, call!).catch((caught: unknown) => caught);
    expect((error as MigrateError).message).toMatch(
      /^Cloud Run run\.services\.create .*: permission denied: /,
    );
    expect((error as MigrateError).hint).toContain('roles/run.developer');
    expect((error as MigrateError).hint).toContain('roles/iam.serviceAccountUser');
  });

  it('echoes what Cloud Run rejected (400 INVALID_ARGUMENT)', async () => {
    const session = await connect();
    const want = await desired('ml-inferenceservice-fraud-scoring');
    const [call] = cloudRunCloud.planApply(want, null, flags());
    const service = structuredClone(call!.input.service) as {
      template: { containers: { resources: { limits: Record<string, string> } }[] };
    };
    service.template.containers[0]!.resources.limits.cpu = '3';
    const error = await cloudRunCloud
      .execute(session, { ...call!, input: { ...call!.input, service } })
      .catch((caught: unknown) => caught);
    expect((error as MigrateError).message).toMatch(
      /Cloud Run rejected the request: service\.template\.containers\[0\]\.resources\.limits\.cpu: Invalid value '3'$/,
    );
  });

  it('refuses to send a placeholder nobody filled', async () => {
    const session = await connect();
    const want = await desired('ml-inferenceservice-fraud-scoring');
    const [call] = cloudRunCloud.planApply(want, null, flags());
    const input = JSON.parse(JSON.stringify(call!.input).replace(':cloud-run', ':${TAG}'));
    await expect(cloudRunCloud.execute(session, { ...call!, input })).rejects.toThrow(
      /\$\{TAG\} is still in the request/,
    );
    expect(fake.calls.filter((call) => call.operation === 'CreateService')).toEqual([]);
  });

  it('a deployment whose revision does not start fails with Cloud Run’s words and where to look', async () => {
    const message =
      "Revision 'ml-fraud-scoring-00001-fak' is not ready and cannot serve traffic. The user-provided container failed to start and listen on the port defined provided by the PORT=8080 environment variable within the allocated timeout.";
    fake.failDeployment(message);
    const session = await connect();
    const want = await desired('ml-inferenceservice-fraud-scoring');
    const [call] = cloudRunCloud.planApply(want, null, flags());
    const error = await cloudRunCloud.execute(session, call!).catch((caught: unknown) => caught);
    expect((error as MigrateError).message).toBe(
      `run.services.create projects/fake-project/locations/europe-west4/services/ml-fraud-scoring: the deployment did not become ready: ${message}`,
    );
    expect((error as MigrateError).hint).toContain(
      'gcloud run services logs read ml-fraud-scoring --region europe-west4',
    );
  });

  it('cannot execute anything but create and patch', async () => {
    const session = await connect();
    await expect(
      cloudRunCloud.execute(session, { operation: 'run.services.delete', summary: '', input: { name: 'x' } }),
    ).rejects.toThrow(/cloud-run cannot execute run\.services\.delete/);
  });
});

describe('the fake checks what it is sent', () => {
  it('answers a v1 field in a v2 body with the API’s 400 Unknown name', async () => {
    const response = await fetch(
      `${fake.endpoint}/v2/projects/fake-project/locations/europe-west4/services?serviceId=svc`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${fake.metadata.accessToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          template: { containerConcurrency: 8, containers: [{ image: 'gcr.io/p/i' }] },
        }),
      },
    );
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      error: {
        status: 'INVALID_ARGUMENT',
        message: `Invalid JSON payload received. Unknown name "containerConcurrency" at 'service.template': Cannot find field.`,
      },
    });
  });

  it('rejects a token it did not issue', async () => {
    const response = await fetch(
      `${fake.endpoint}/v2/projects/fake-project/locations/europe-west4/services/x`,
      {
        headers: { authorization: 'Bearer someone-elses' },
      },
    );
    expect(response.status).toBe(401);
  });
});
