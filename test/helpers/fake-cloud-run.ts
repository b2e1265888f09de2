/**
 * A fake Cloud Run Admin API v2 for tests, spoken to by @google-cloud/run over google-gax's HTTP/1.1
 * REST fallback (`--endpoint http://127.0.0.1:PORT`), plus the fake metadata server that the SDK's
 * default credential chain ends at (fake-cloud-run-metadata.ts) and a fake service to invoke.
 *
 * Operations, with the shapes of https://cloud.google.com/run/docs/reference/rest/v2/projects.locations.services
 * and the gax REST transcoding of google/cloud/run/v2/service.proto (`?$alt=json;enum-encoding=int`:
 * enums travel as numbers both ways):
 * - GetService    GET   /v2/{name=projects/*\/locations/*\/services/*}                  → Service
 * - CreateService POST  /v2/{parent=projects/*\/locations/*}/services?serviceId=ID, body Service → Operation
 * - UpdateService PATCH /v2/{service.name=projects/*\/locations/*\/services/*}, body Service   → Operation
 * - GetOperation  GET   /v2/{name=projects/*\/locations/*\/operations/*}                 → Operation
 *   (https://cloud.google.com/run/docs/reference/rest/v2/projects.locations.operations/get): each
 *   operation answers `done: false` on its first poll and `done: true` with the Service after.
 * Errors are Google JSON errors `{error: {code, message, status, details}}` with the HTTP status
 * (https://cloud.google.com/apis/design/errors). Requests are checked strictly: the bearer token the
 * metadata server issued, the project, unknown JSON fields (400 "Unknown name … Cannot find field"),
 * required fields, and the value rules the API enforces that apply relies on; any other path is a 404
 * recorded in `unexpected`.
 *
 * The invoked service (every service's `uri`) runs "instances" that each serve one request at a time;
 * the first request an instance serves takes `coldStartMs` longer. Minimum instances start warm.
 */

import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FakeMetadata, startFakeMetadata } from './fake-cloud-run-metadata.ts';

export type FakeOperation = 'GetService' | 'CreateService' | 'UpdateService' | 'GetOperation' | 'Invoke';

export interface FakeCall {
  operation: FakeOperation | 'unknown';
  method: string;
  path: string;
  body: unknown;
  authorization: string | null;
}

export interface FakeInvocation {
  method: string;
  path: string;
  body: string;
  instance: number;
  cold: boolean;
}

export type Json = Record<string, unknown>;

export interface FakeCloudRun {
  /** For CloudFlags.endpoint. */
  endpoint: string;
  /** Makes the SDK's default chain (ADC) end at the fake metadata server; '' means "unset" (applyEnv). */
  env: Record<string, string>;
  project: string;
  region: string;
  metadata: FakeMetadata;
  calls: FakeCall[];
  /** Requests to paths this fake does not implement. */
  unexpected: FakeCall[];
  invocations: FakeInvocation[];
  /** The `uri` every service gets: the fake service's address. */
  serviceUri: string;
  /** The next `times` requests of `operation` get `status` (and `body`, default the documented error). */
  failNext(operation: FakeOperation, status: number, body?: unknown, times?: number): void;
  /**
   * The next create/update operation ends with this error (google.rpc.Status), as when the new revision's
   * container does not start: `done: true, error: {code: 9, message}`.
   */
  failDeployment(message: string): void;
  /** A deployed service (v2 JSON, enums by name); output fields and API defaults are filled in. */
  seed(name: string, service: Json): void;
  /** The stored service (enums by name), or undefined. */
  service(name: string): Json | undefined;
  close(): Promise<void>;
}

export interface FakeOptions {
  project?: string;
  region?: string;
  /** Added to the first request each new instance serves. */
  coldStartMs?: number;
  /** Every request's own time. */
  serviceMs?: number;
}

// ---- the v2 Service message, for strict checking and enum encoding ----

type Spec =
  | 'string'
  | 'int'
  | 'bool'
  | 'duration'
  | 'timestamp'
  | 'any'
  | { enum: readonly string[] }
  | { map: true }
  | { list: Spec }
  | { fields: Record<string, Spec> };

const ENUMS = {
  ingress: [
    'INGRESS_TRAFFIC_UNSPECIFIED',
    'INGRESS_TRAFFIC_ALL',
    'INGRESS_TRAFFIC_INTERNAL_ONLY',
    'INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER',
    'INGRESS_TRAFFIC_NONE',
  ],
  launchStage: [
    'LAUNCH_STAGE_UNSPECIFIED',
    'EARLY_ACCESS',
    'ALPHA',
    'BETA',
    'GA',
    'DEPRECATED',
    'UNIMPLEMENTED',
    'PRELAUNCH',
  ],
  executionEnvironment: [
    'EXECUTION_ENVIRONMENT_UNSPECIFIED',
    'EXECUTION_ENVIRONMENT_GEN1',
    'EXECUTION_ENVIRONMENT_GEN2',
  ],
  traffic: [
    'TRAFFIC_TARGET_ALLOCATION_TYPE_UNSPECIFIED',
    'TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST',
    'TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION',
  ],
  state: [
    'STATE_UNSPECIFIED',
    'CONDITION_PENDING',
    'CONDITION_RECONCILING',
    'CONDITION_FAILED',
    'CONDITION_SUCCEEDED',
  ],
  severity: ['SEVERITY_UNSPECIFIED', 'ERROR', 'WARNING', 'INFO'],
  revocation: ['ENCRYPTION_KEY_REVOCATION_ACTION_UNSPECIFIED', 'PREVENT_NEW', 'SHUTDOWN'],
} as const;

const PORT: Spec = { fields: { port: 'int' } };
const PROBE: Spec = {
  fields: {
    initialDelaySeconds: 'int',
    timeoutSeconds: 'int',
    periodSeconds: 'int',
    failureThreshold: 'int',
    httpGet: {
      fields: {
        path: 'string',
        port: 'int',
        httpHeaders: { list: { fields: { name: 'string', value: 'string' } } },
      },
    },
    tcpSocket: PORT,
    grpc: { fields: { port: 'int', service: 'string' } },
  },
};
const CONTAINER: Spec = {
  fields: {
    name: 'string',
    image: 'string',
    sourceCode: 'any',
    command: { list: 'string' },
    args: { list: 'string' },
    env: {
      list: {
        fields: {
          name: 'string',
          value: 'string',
          valueSource: { fields: { secretKeyRef: { fields: { secret: 'string', version: 'string' } } } },
        },
      },
    },
    resources: { fields: { limits: { map: true }, cpuIdle: 'bool', startupCpuBoost: 'bool' } },
    ports: { list: { fields: { name: 'string', containerPort: 'int' } } },
    volumeMounts: { list: 'any' },
    workingDir: 'string',
    livenessProbe: PROBE,
    startupProbe: PROBE,
    readinessProbe: PROBE,
    dependsOn: { list: 'string' },
    baseImageUri: 'string',
    buildInfo: 'any',
  },
};
const TEMPLATE: Spec = {
  fields: {
    revision: 'string',
    labels: { map: true },
    annotations: { map: true },
    scaling: { fields: { minInstanceCount: 'int', maxInstanceCount: 'int' } },
    vpcAccess: 'any',
    timeout: 'duration',
    serviceAccount: 'string',
    containers: { list: CONTAINER },
    volumes: { list: 'any' },
    executionEnvironment: { enum: ENUMS.executionEnvironment },
    encryptionKey: 'string',
    maxInstanceRequestConcurrency: 'int',
    serviceMesh: 'any',
    encryptionKeyRevocationAction: { enum: ENUMS.revocation },
    encryptionKeyShutdownDuration: 'duration',
    sessionAffinity: 'bool',
    healthCheckDisabled: 'bool',
    nodeSelector: { fields: { accelerator: 'string' } },
    gpuZonalRedundancyDisabled: 'bool',
  },
};
const CONDITION: Spec = {
  fields: {
    type: 'string',
    state: { enum: ENUMS.state },
    message: 'string',
    lastTransitionTime: 'timestamp',
    severity: { enum: ENUMS.severity },
  },
};
const TRAFFIC: Spec = {
  fields: { type: { enum: ENUMS.traffic }, revision: 'string', percent: 'int', tag: 'string' },
};
const SERVICE: Spec = {
  fields: {
    name: 'string',
    description: 'string',
    uid: 'string',
    generation: 'int',
    labels: { map: true },
    annotations: { map: true },
    createTime: 'timestamp',
    updateTime: 'timestamp',
    deleteTime: 'timestamp',
    expireTime: 'timestamp',
    creator: 'string',
    lastModifier: 'string',
    client: 'string',
    clientVersion: 'string',
    ingress: { enum: ENUMS.ingress },
    launchStage: { enum: ENUMS.launchStage },
    binaryAuthorization: 'any',
    template: TEMPLATE,
    traffic: { list: TRAFFIC },
    scaling: 'any',
    invokerIamDisabled: 'bool',
    defaultUriDisabled: 'bool',
    urls: { list: 'string' },
    iapEnabled: 'bool',
    multiRegionSettings: 'any',
    customAudiences: { list: 'string' },
    observedGeneration: 'int',
    terminalCondition: CONDITION,
    conditions: { list: CONDITION },
    latestReadyRevision: 'string',
    latestCreatedRevision: 'string',
    trafficStatuses: {
      list: { fields: { ...(TRAFFIC as { fields: Record<string, Spec> }).fields, uri: 'string' } },
    },
    uri: 'string',
    satisfiesPzs: 'bool',
    threatDetectionEnabled: 'bool',
    buildConfig: 'any',
    reconciling: 'bool',
    etag: 'string',
  },
};

class ApiError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly status: string,
    message: string,
    readonly details: unknown[] = [],
  ) {
    super(message);
  }
}

const invalid = (message: string) =>
  new ApiError(400, 'INVALID_ARGUMENT', message, [
    { '@type': 'type.googleapis.com/google.rpc.BadRequest', fieldViolations: [{ description: message }] },
  ]);

/** Checks `value` against `spec` like the API's JSON parser; returns it with enums by name. */
function check(value: unknown, spec: Spec, at: string): unknown {
  if (value === null || value === undefined) return value;
  if (spec === 'any') return value;
  const bad = (what: string) =>
    invalid(`Invalid value at '${at}' (${what}), ${JSON.stringify(value).slice(0, 80)}`);
  if (spec === 'string' || spec === 'timestamp') {
    if (typeof value !== 'string') throw bad('TYPE_STRING');
    return value;
  }
  if (spec === 'int') {
    const number = typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
    if (typeof number !== 'number' || !Number.isInteger(number)) throw bad('TYPE_INT32');
    return number;
  }
  if (spec === 'bool') {
    if (typeof value !== 'boolean') throw bad('TYPE_BOOL');
    return value;
  }
  if (spec === 'duration') {
    if (typeof value !== 'string' || !/^-?\d+(\.\d{1,9})?s$/.test(value))
      throw bad('google.protobuf.Duration');
    return value;
  }
  if ('enum' in spec) {
    if (typeof value === 'number' && spec.enum[value] !== undefined) return spec.enum[value];
    if (typeof value === 'string' && spec.enum.includes(value)) return value;
    throw bad('TYPE_ENUM');
  }
  if ('map' in spec) {
    if (typeof value !== 'object' || Array.isArray(value)) throw bad('map');
    for (const [key, item] of Object.entries(value))
      if (typeof item !== 'string') throw invalid(`Invalid value at '${at}[${key}]' (TYPE_STRING)`);
    return value;
  }
  if ('list' in spec) {
    if (!Array.isArray(value)) throw bad('repeated');
    return value.map((item, index) => check(item, spec.list, `${at}[${index}]`));
  }
  if (typeof value !== 'object' || Array.isArray(value)) throw bad('message');
  const out: Json = {};
  for (const [key, item] of Object.entries(value)) {
    const field = spec.fields[key];
    if (!field)
      throw invalid(`Invalid JSON payload received. Unknown name "${key}" at '${at}': Cannot find field.`);
    out[key] = check(item, field, `${at}.${key}`);
  }
  return out;
}

/** The stored service (enums by name) → wire JSON (enums as numbers when the client asked for that). */
function encode(value: unknown, spec: Spec, numeric: boolean): unknown {
  if (value === null || value === undefined || spec === 'any') return value;
  if (typeof spec === 'object' && 'enum' in spec) return numeric ? spec.enum.indexOf(value as string) : value;
  if (typeof spec === 'object' && 'list' in spec)
    return (value as unknown[]).map((item) => encode(item, spec.list, numeric));
  if (typeof spec === 'object' && 'fields' in spec)
    return Object.fromEntries(
      Object.entries(value as Json).map(([key, item]) => [
        key,
        encode(item, spec.fields[key] ?? 'any', numeric),
      ]),
    );
  return value;
}

/** 1, 2, 4, 6 or 8 vCPU, or a fraction below 1 (https://cloud.google.com/run/docs/configuring/services/cpu). */
const CPU_VALUES = /^(\d+m|0\.\d+|[12468])$/;
const MEMORY = /^\d+(\.\d+)?(Ki|Mi|Gi|Ti|k|M|G|T)?$/;
/** service_id: "must begin with letter, and cannot end with hyphen; must contain fewer than 50 characters" (service.proto). */
const SERVICE_ID = /^[a-z]([-a-z0-9]{0,47}[a-z0-9])?$/;
/** Artifact Registry, Container Registry or Docker Hub references; no unfilled `${…}`. */
const IMAGE = /^[a-z0-9]([-a-z0-9.]*(:\d+)?\/)?[a-z0-9._/-]+(:[\w.-]+)?(@sha256:[a-f0-9]{64})?$/;

function gib(memory: string): number {
  const match = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|M|G|T)?$/.exec(memory)!;
  const scale: Record<string, number> = {
    Ki: 2 ** 10,
    Mi: 2 ** 20,
    Gi: 2 ** 30,
    Ti: 2 ** 40,
    k: 1e3,
    M: 1e6,
    G: 1e9,
    T: 1e12,
  };
  return (Number(match[1]) * (scale[match[2] ?? ''] ?? 1)) / 2 ** 30;
}

/** The value rules apply relies on (https://cloud.google.com/run/docs/reference/rest/v2/projects.locations.services#RevisionTemplate). */
function validateTemplate(template: Json | undefined): void {
  if (!template) throw invalid('service.template: Field is required, but was not specified.');
  const containers = (template.containers as Json[] | undefined) ?? [];
  if (containers.length === 0)
    throw invalid('service.template.containers: at least one container is required');
  containers.forEach((container, index) => {
    const at = `service.template.containers[${index}]`;
    const image = container.image as string | undefined;
    if (!image) throw invalid(`${at}.image: Field is required, but was not specified.`);
    if (!IMAGE.test(image))
      throw invalid(
        `${at}.image: Expected an image path like [region-]docker.pkg.dev/project/repo/image:tag, got '${image}'`,
      );
    const limits =
      ((container.resources as Json | undefined)?.limits as Record<string, string> | undefined) ?? {};
    if (limits.cpu !== undefined && !CPU_VALUES.test(limits.cpu))
      throw invalid(`${at}.resources.limits.cpu: Invalid value '${limits.cpu}'`);
    if (limits.memory !== undefined && !MEMORY.test(limits.memory))
      throw invalid(`${at}.resources.limits.memory: Invalid value '${limits.memory}'`);
    for (const variable of (container.env as Json[] | undefined) ?? []) {
      if (!variable.name) throw invalid(`${at}.env.name: Field is required, but was not specified.`);
      const source = (variable.valueSource as Json | undefined)?.secretKeyRef as Json | undefined;
      if (variable.value !== undefined && variable.valueSource !== undefined)
        throw invalid(`${at}.env[${String(variable.name)}]: value and valueSource are exclusive`);
      if (variable.valueSource !== undefined && !source?.secret)
        throw invalid(
          `${at}.env[${String(variable.name)}].valueSource.secretKeyRef.secret: Field is required`,
        );
    }
  });
  const scaling = (template.scaling as Json | undefined) ?? {};
  const min = Number(scaling.minInstanceCount ?? 0);
  const max = Number(scaling.maxInstanceCount ?? 0);
  if (max > 0 && min > max)
    throw invalid(
      `service.template.scaling: min_instance_count ${min} must not exceed max_instance_count ${max}`,
    );
  const concurrency = Number(template.maxInstanceRequestConcurrency ?? 0);
  if (concurrency > 1000)
    throw invalid('service.template.max_instance_request_concurrency must be at most 1000');
  const timeout = template.timeout as string | undefined;
  if (timeout !== undefined && Number.parseFloat(timeout) > 3600)
    throw invalid('service.template.timeout must be at most 3600s');
  // GPUs: an accelerator and one nvidia.com/gpu go together, with instance-based billing and ≥ 4 vCPU / 16 GiB.
  const accelerator = (template.nodeSelector as Json | undefined)?.accelerator;
  const first = containers[0]!;
  const resources = (first.resources as Json | undefined) ?? {};
  const limits = (resources.limits as Record<string, string> | undefined) ?? {};
  if (Boolean(accelerator) !== (limits['nvidia.com/gpu'] !== undefined))
    throw invalid(
      'service.template: node_selector.accelerator and the nvidia.com/gpu limit must be set together',
    );
  if (accelerator) {
    if (limits['nvidia.com/gpu'] !== '1') throw invalid('service.template: nvidia.com/gpu must be 1');
    if (resources.cpuIdle !== false)
      throw invalid('service.template: GPU services need instance-based billing (cpu_idle false)');
    if (Number.parseInt(limits.cpu ?? '1', 10) < 4 || gib(limits.memory ?? '512Mi') < 16)
      throw invalid('service.template: a GPU needs at least 4 CPU and 16Gi of memory');
  }
}

export async function startFakeCloudRun(options: FakeOptions = {}): Promise<FakeCloudRun> {
  const project = options.project ?? 'fake-project';
  const region = options.region ?? 'europe-west4';
  const coldStartMs = options.coldStartMs ?? 300;
  const serviceMs = options.serviceMs ?? 20;
  const metadata = await startFakeMetadata({ project });
  const home = await mkdtemp(join(tmpdir(), 'fake-cloud-run-home-'));
  const services = new Map<string, Json>();
  const operations = new Map<string, { service: string; polls: number; error: string | null }>();
  const deploymentFailures: string[] = [];
  const failures = new Map<FakeOperation, { status: number; body: unknown }[]>();
  const calls: FakeCall[] = [];
  const unexpected: FakeCall[] = [];
  const invocations: FakeInvocation[] = [];
  const instances: { busy: boolean; served: number }[] = [];
  let serviceUri = '';
  let sequence = 0;

  // ---- the invoked service ----
  const invokeServer = createServer(async (request, response) => {
    const body = await readBody(request);
    const injected = failures.get('Invoke')?.shift();
    if (injected) {
      response.writeHead(injected.status, { 'content-type': 'text/plain' });
      response.end(String(injected.body ?? `fake failure ${injected.status}`));
      return;
    }
    const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1] ?? '';
    if (metadata.issuedIdToken(token) !== serviceUri) {
      // Cloud Run answers 401 to a missing or wrong-audience ID token.
      response.writeHead(401, { 'content-type': 'text/html' });
      response.end('Unauthorized');
      return;
    }
    let index = instances.findIndex((instance) => !instance.busy);
    if (index < 0) index = instances.push({ busy: false, served: 0 }) - 1;
    const instance = instances[index]!;
    const cold = instance.served === 0;
    instance.busy = true;
    invocations.push({ method: request.method ?? '', path: request.url ?? '', body, instance: index, cold });
    await new Promise((resolve) => setTimeout(resolve, serviceMs + (cold ? coldStartMs : 0)));
    instance.served += 1;
    instance.busy = false;
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ instance: index, cold }));
  });
  await listen(invokeServer);
  serviceUri = `http://127.0.0.1:${(invokeServer.address() as AddressInfo).port}`;

  const warmUp = (template: Json | undefined) => {
    const min = Number((template?.scaling as Json | undefined)?.minInstanceCount ?? 0);
    while (instances.length < min) instances.push({ busy: false, served: 1 });
  };

  /** Output fields and the defaults the API fills (RevisionTemplate and Container reference pages). */
  const complete = (name: string, input: Json, previous: Json | undefined, ready: boolean): Json => {
    const now = new Date().toISOString();
    const generation = Number(previous?.generation ?? 0) + 1;
    const short = name.slice(name.lastIndexOf('/') + 1);
    const revision = `${name}/revisions/${short}-${String(generation).padStart(5, '0')}-fak`;
    const template = structuredClone((input.template as Json | undefined) ?? {}) as Json;
    template.maxInstanceRequestConcurrency ||= 80;
    template.timeout ??= '300s';
    template.serviceAccount ??= '123456789012-compute@developer.gserviceaccount.com';
    template.scaling = { maxInstanceCount: 100, ...((template.scaling as Json | undefined) ?? {}) };
    for (const container of (template.containers as Json[] | undefined) ?? []) {
      const resources = ((container.resources as Json | undefined) ?? {}) as Json;
      resources.limits = { cpu: '1000m', memory: '512Mi', ...((resources.limits as Json | undefined) ?? {}) };
      container.resources = resources;
      container.ports ??= [{ name: 'http1', containerPort: 8080 }];
      container.startupProbe ??= {
        timeoutSeconds: 240,
        periodSeconds: 240,
        failureThreshold: 1,
        tcpSocket: { port: 8080 },
      };
    }
    const condition = {
      type: 'Ready',
      state: ready ? 'CONDITION_SUCCEEDED' : 'CONDITION_RECONCILING',
      lastTransitionTime: now,
    };
    return {
      ...input,
      name,
      uid: previous?.uid ?? `fake-${++sequence}`,
      generation: String(generation),
      labels: { ...((input.labels as Json | undefined) ?? {}) },
      createTime: previous?.createTime ?? now,
      updateTime: now,
      creator: 'fake-sa@fake.iam.gserviceaccount.com',
      lastModifier: 'fake-sa@fake.iam.gserviceaccount.com',
      ingress: input.ingress ?? 'INGRESS_TRAFFIC_ALL',
      launchStage: input.launchStage ?? 'GA',
      template,
      traffic: input.traffic ?? [{ type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST', percent: 100 }],
      observedGeneration: String(generation),
      terminalCondition: condition,
      conditions: [condition],
      latestReadyRevision: ready ? revision : (previous?.latestReadyRevision ?? ''),
      latestCreatedRevision: revision,
      uri: serviceUri,
      urls: [serviceUri],
      reconciling: !ready,
      etag: `"fake-${generation}"`,
    };
  };

  const operation = (service: Json, done: boolean): Json => {
    const name = String(service.name);
    const parent = name.slice(0, name.indexOf('/services/'));
    const id = `${parent}/operations/fake-op-${++sequence}`;
    operations.set(id, { service: name, polls: 0, error: deploymentFailures.shift() ?? null });
    return {
      name: id,
      metadata: { '@type': 'type.googleapis.com/google.cloud.run.v2.Service', ...service },
      done,
    };
  };

  // ---- the Admin API ----
  const api = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://fake');
    const method = request.method ?? '';
    const text = await readBody(request);
    let body: unknown = null;
    const numeric = url.searchParams.get('$alt') === 'json;enum-encoding=int';
    const send = (status: number, json: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
      response.end(JSON.stringify(json));
    };
    const sendError = (error: ApiError) =>
      send(error.httpStatus, {
        error: {
          code: error.httpStatus,
          message: error.message,
          status: error.status,
          ...(error.details.length ? { details: error.details } : {}),
        },
      });
    const route = routeOf(method, url.pathname);
    const call: FakeCall = {
      operation: route?.operation ?? 'unknown',
      method,
      path: `${url.pathname}${url.search}`,
      body: null,
      authorization: request.headers.authorization ?? null,
    };
    calls.push(call);
    try {
      if (text) {
        try {
          body = JSON.parse(text);
        } catch {
          throw invalid(`Invalid JSON payload received. ${text.slice(0, 40)}`);
        }
      }
      call.body = body;
      if (!route) {
        unexpected.push(call);
        throw new ApiError(404, 'NOT_FOUND', `fake-cloud-run: ${method} ${url.pathname} is not implemented`);
      }
      if (request.headers.authorization !== `Bearer ${metadata.accessToken}`)
        throw new ApiError(
          401,
          'UNAUTHENTICATED',
          'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
        );
      const injected = failures.get(route.operation)?.shift();
      if (injected) {
        send(injected.status, injected.body ?? defaultError(injected.status, route, url.pathname));
        return;
      }
      if (route.project !== project)
        throw new ApiError(
          403,
          'PERMISSION_DENIED',
          `Permission '${route.permission}' denied on resource '${route.resource}' (or resource may not exist).`,
        );
      if (
        (method === 'POST' || method === 'PATCH') &&
        !/^application\/json/.test(request.headers['content-type'] ?? '')
      )
        throw invalid('Content-Type must be application/json');
      const out = (status: number, json: Json, spec: Spec) => send(status, encode(json, spec, numeric));
      const operationSpec: Spec = {
        fields: { name: 'string', metadata: SERVICE, response: SERVICE, done: 'bool' },
      };
      switch (route.operation) {
        case 'GetService': {
          const service = services.get(route.resource);
          if (!service)
            throw new ApiError(
              404,
              'NOT_FOUND',
              `Resource '${route.id}' of kind 'SERVICE' in region '${route.region}' in project '${project}' does not exist.`,
            );
          return out(200, service, SERVICE);
        }
        case 'CreateService': {
          const serviceId = url.searchParams.get('serviceId');
          if (!serviceId) throw invalid('service_id: Field is required, but was not specified.');
          if (!SERVICE_ID.test(serviceId))
            throw invalid(
              `service_id: '${serviceId}' must use only lowercase letters, digits and hyphens, begin with a letter, not end with a hyphen, and be at most 49 characters`,
            );
          if (body === null) throw invalid('service: Field is required, but was not specified.');
          const input = check(body, SERVICE, 'service') as Json;
          validateTemplate(input.template as Json | undefined);
          const name = `${route.resource}/services/${serviceId}`;
          if (services.has(name))
            throw new ApiError(409, 'ALREADY_EXISTS', `Resource '${serviceId}' already exists.`);
          const stored = complete(name, input, undefined, false);
          services.set(name, stored);
          return out(200, operation(stored, false), operationSpec);
        }
        case 'UpdateService': {
          if (body === null) throw invalid('service: Field is required, but was not specified.');
          const input = check(body, SERVICE, 'service') as Json;
          if (input.name !== undefined && input.name !== route.resource)
            throw invalid(`service.name '${String(input.name)}' does not match the URL '${route.resource}'`);
          validateTemplate(input.template as Json | undefined);
          const previous = services.get(route.resource);
          if (!previous && url.searchParams.get('allowMissing') !== 'true')
            throw new ApiError(
              404,
              'NOT_FOUND',
              `Resource '${route.id}' of kind 'SERVICE' in region '${route.region}' in project '${project}' does not exist.`,
            );
          const stored = complete(route.resource, input, previous, false);
          services.set(route.resource, stored);
          return out(200, operation(stored, false), operationSpec);
        }
        case 'GetOperation': {
          const entry = operations.get(route.resource);
          if (!entry) throw new ApiError(404, 'NOT_FOUND', `Operation '${route.resource}' not found.`);
          entry.polls += 1;
          const service = services.get(entry.service)!;
          if (entry.polls === 1)
            return out(
              200,
              {
                name: route.resource,
                metadata: { '@type': 'type.googleapis.com/google.cloud.run.v2.Service', ...service },
                done: false,
              },
              operationSpec,
            );
          if (entry.error !== null) {
            const failed = { type: 'Ready', state: 'CONDITION_FAILED', message: entry.error };
            services.set(entry.service, {
              ...service,
              terminalCondition: failed,
              conditions: [failed],
              reconciling: false,
            });
            const typed = { '@type': 'type.googleapis.com/google.cloud.run.v2.Service', ...service };
            return send(200, {
              name: route.resource,
              metadata: encode(typed, SERVICE, numeric),
              done: true,
              error: { code: 9, message: entry.error },
            });
          }
          const condition = {
            type: 'Ready',
            state: 'CONDITION_SUCCEEDED',
            lastTransitionTime: new Date().toISOString(),
          };
          const ready: Json = {
            ...service,
            terminalCondition: condition,
            conditions: [condition],
            latestReadyRevision: service.latestCreatedRevision,
            reconciling: false,
          };
          services.set(entry.service, ready);
          warmUp(ready.template as Json);
          const typed = { '@type': 'type.googleapis.com/google.cloud.run.v2.Service', ...ready };
          return out(
            200,
            { name: route.resource, metadata: typed, done: true, response: typed },
            operationSpec,
          );
        }
        default:
          throw new ApiError(404, 'NOT_FOUND', 'not implemented');
      }
    } catch (error) {
      if (error instanceof ApiError) return sendError(error);
      send(500, { error: { code: 500, message: String(error), status: 'INTERNAL' } });
    }
  });
  await listen(api);
  const endpoint = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;

  return {
    endpoint,
    env: {
      // gcp-metadata: where the metadata server is, and go straight to pinging it.
      GCE_METADATA_HOST: metadata.host,
      GCE_METADATA_IP: '',
      METADATA_SERVER_DETECTION: 'ping-only',
      // No key file, and no gcloud files of the developer's: HOME and CLOUDSDK_CONFIG are an empty folder.
      GOOGLE_APPLICATION_CREDENTIALS: '',
      HOME: home,
      CLOUDSDK_CONFIG: home,
      // The project, as google-auth-library reads it first; the others it would read are cleared.
      GOOGLE_CLOUD_PROJECT: project,
      GCLOUD_PROJECT: '',
      CLOUDSDK_CORE_PROJECT: '',
      GOOGLE_CLOUD_QUOTA_PROJECT: '',
      GOOGLE_CLOUD_UNIVERSE_DOMAIN: '',
    },
    project,
    region,
    metadata,
    calls,
    unexpected,
    invocations,
    serviceUri,
    failNext(operation, status, body, times = 1) {
      const list = failures.get(operation) ?? [];
      for (let index = 0; index < times; index++) list.push({ status, body });
      failures.set(operation, list);
    },
    failDeployment(message) {
      deploymentFailures.push(message);
    },
    seed(name, service) {
      const full = `projects/${project}/locations/${region}/services/${name}`;
      const input = check(structuredClone(service), SERVICE, 'service') as Json;
      const stored = complete(full, input, undefined, true);
      services.set(full, stored);
      warmUp(stored.template as Json);
    },
    service: (name) => services.get(`projects/${project}/locations/${region}/services/${name}`),
    async close() {
      for (const server of [api, invokeServer]) {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
      await metadata.close();
      await rm(home, { recursive: true, force: true });
    },
  };
}

interface Route {
  operation: FakeOperation;
  project: string;
  region: string;
  id: string;
  resource: string;
  permission: string;
}

function routeOf(method: string, path: string): Route | null {
  const service = /^\/v2\/(projects\/([^/]+)\/locations\/([^/]+)\/services\/([^/]+))$/.exec(path);
  if (service && method === 'GET')
    return {
      operation: 'GetService',
      project: service[2]!,
      region: service[3]!,
      id: service[4]!,
      resource: service[1]!,
      permission: 'run.services.get',
    };
  if (service && method === 'PATCH')
    return {
      operation: 'UpdateService',
      project: service[2]!,
      region: service[3]!,
      id: service[4]!,
      resource: service[1]!,
      permission: 'run.services.update',
    };
  const parent = /^\/v2\/(projects\/([^/]+)\/locations\/([^/]+))\/services$/.exec(path);
  if (parent && method === 'POST')
    return {
      operation: 'CreateService',
      project: parent[2]!,
      region: parent[3]!,
      id: '',
      resource: parent[1]!,
      permission: 'run.services.create',
    };
  const operation = /^\/v2\/(projects\/([^/]+)\/locations\/([^/]+)\/operations\/([^/]+))$/.exec(path);
  if (operation && method === 'GET')
    return {
      operation: 'GetOperation',
      project: operation[2]!,
      region: operation[3]!,
      id: operation[4]!,
      resource: operation[1]!,
      permission: 'run.operations.get',
    };
  return null;
}

/** The documented error body for an injected status. */
function defaultError(status: number, route: Route, path: string): Json {
  const errors: Record<number, [string, string, unknown[]]> = {
    403: [
      'PERMISSION_DENIED',
      `Permission '${route.permission}' denied on resource '${path.replace(/^\/v2\//, '')}' (or resource may not exist).`,
      [
        {
          '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
          reason: 'IAM_PERMISSION_DENIED',
          domain: 'run.googleapis.com',
          metadata: { permission: route.permission },
        },
      ],
    ],
    404: ['NOT_FOUND', 'Requested entity was not found.', []],
    429: [
      'RESOURCE_EXHAUSTED',
      "Quota exceeded for quota metric 'Read requests' and limit 'Read requests per minute per region' of service 'run.googleapis.com'.",
      [
        {
          '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
          reason: 'RATE_LIMIT_EXCEEDED',
          domain: 'googleapis.com',
          metadata: { service: 'run.googleapis.com' },
        },
      ],
    ],
    500: ['INTERNAL', 'Internal error encountered.', []],
    503: ['UNAVAILABLE', 'The service is currently unavailable.', []],
  };
  const [status_, message, details] = errors[status] ?? ['UNKNOWN', `fake failure ${status}`, []];
  return { error: { code: status, message, status: status_, ...(details.length ? { details } : {}) } };
}

async function readBody(request: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of request) text += chunk;
  return text;
}

function listen(server: ReturnType<typeof createServer>): Promise<void> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
}

/**
 * Sets `env` on process.env ('' removes the variable: the SDKs treat both alike) and returns the
 * function that puts everything back.
 */
export function applyEnv(env: Record<string, string>): () => void {
  const saved = new Map<string, string | undefined>();
  for (const [key, value] of Object.entries(env)) {
    saved.set(key, process.env[key]);
    if (value === '') delete process.env[key];
    else process.env[key] = value;
  }
  return () => {
    for (const [key, value] of saved) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
}
