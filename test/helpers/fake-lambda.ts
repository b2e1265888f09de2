/**
 * A local AWS Lambda API for the aws-lambda cloud target's tests: the operations verify, apply and
 * measure use, with the REST paths, JSON shapes and error responses of the Lambda API reference
 * (API version 2015-03-31, https://docs.aws.amazon.com/lambda/latest/api/), checked against
 * @aws-sdk/client-lambda's schemas. It is strict where Lambda is: a wrong method or path, a missing
 * required field, an out-of-range value, an unknown field or a request without a SigV4 signature for
 * the test key is refused with Lambda's error shape (header `x-amzn-ErrorType`, JSON body with `Type`
 * and `message`), so a client that sends a bad shape fails its test.
 *
 * Eventual consistency is simulated deterministically: after CreateFunction the function is Pending,
 * after UpdateFunction* its LastUpdateStatus is InProgress, until GetFunctionConfiguration has been
 * polled `settlePolls` times; meanwhile updates, PublishVersion and Invoke get ResourceConflictException
 * (409), as Lambda answers. Invoke tracks execution environments: one is busy for `invokeHoldMs` while
 * it serves a request, a request that finds none free starts a new one, and that first invocation's
 * REPORT line carries `Init Duration` — fixed figures, so tests can assert exact cold starts.
 */

import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import type { LambdaTargetOptions } from '../../cloud/aws-lambda/index.ts';
import type { CloudFlags } from '../../cloud/types.ts';

export interface InvokeBehaviour {
  /** REPORT Duration of every invocation. */
  durationMs: number;
  /** REPORT Init Duration of a new environment's first invocation. */
  initDurationMs: number;
  maxMemoryUsedMb: number;
  /** X-Amz-Function-Error on every invocation. */
  functionError: 'Handled' | 'Unhandled' | null;
  /** `cut`: the REPORT line is truncated before its Duration; `none`: no REPORT line in the tail. */
  reportLine: 'full' | 'cut' | 'none';
  /** What the function logs between START and END (the tail keeps the last 4 KB of it all). */
  logLines: string[];
}

export interface FakeFunction {
  name: string;
  arn: string;
  role: string;
  packageType: 'Image' | 'Zip';
  imageUri: string | null;
  memoryMb: number;
  timeoutSeconds: number;
  ephemeralMb: number;
  architecture: 'x86_64' | 'arm64';
  description: string;
  variables: Record<string, string>;
  tags: Record<string, string>;
  state: 'Pending' | 'Active' | 'Failed';
  lastUpdateStatus: 'Successful' | 'InProgress' | 'Failed';
  /** GetFunctionConfiguration polls left until a Pending or InProgress function settles. */
  pollsLeft: number;
  reserved: number | null;
  /** Published versions, "1", "2", …: a snapshot of the configuration each was published from. */
  versions: { version: string; snapshot: string }[];
  aliases: Map<string, string>;
  /** Provisioned concurrency by qualifier (alias or version). */
  provisioned: Map<string, { requested: number; ready: boolean }>;
  invoke: InvokeBehaviour;
  /** Execution environments by executed version: busy while serving a request. */
  environments: Map<string, { busy: boolean }[]>;
  revision: number;
}

export interface FunctionSeed {
  imageUri?: string;
  packageType?: 'Image' | 'Zip';
  memoryMb?: number;
  timeoutSeconds?: number;
  ephemeralMb?: number;
  architecture?: 'x86_64' | 'arm64';
  reserved?: number | null;
  /** An alias on a published version 1, with provisioned concurrency when `provisioned` > 0. */
  alias?: { name: string; provisioned?: number };
  state?: FakeFunction['state'];
  lastUpdateStatus?: FakeFunction['lastUpdateStatus'];
  invoke?: Partial<InvokeBehaviour>;
}

export interface FakeCall {
  operation: string;
  method: string;
  /** The request path with its query string, as sent. */
  path: string;
  headers: Record<string, string>;
  body: unknown;
}

export interface FakeLambdaOptions {
  region?: string;
  accountId?: string;
  settlePolls?: number;
  invokeHoldMs?: number;
}

export interface FakeLambda {
  endpoint: string;
  /** Makes the SDK's default chain resolve to the test key and region, and nothing of the developer's. */
  env: Record<string, string>;
  region: string;
  accountId: string;
  accessKeyId: string;
  calls: FakeCall[];
  /** The next `times` requests of `operation` get `status` with Lambda's error shape for it. */
  failNext(operation: string, status: number, body?: Record<string, unknown>, times?: number): void;
  seed(name: string, seed?: FunctionSeed): FakeFunction;
  fn(name: string): FakeFunction | undefined;
  /** CloudFlags that point the target at this server. */
  flags(extra?: Record<string, string>): CloudFlags;
  close(): Promise<void>;
}

/** The documented error type for each status the tests inject, and its body (Lambda API reference, Errors). */
const ERROR_TYPES: Record<number, string> = {
  400: 'InvalidParameterValueException',
  403: 'AccessDeniedException',
  404: 'ResourceNotFoundException',
  409: 'ResourceConflictException',
  429: 'TooManyRequestsException',
  500: 'ServiceException',
  502: 'ServiceException',
  503: 'ServiceException',
};

class LambdaError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly body: Record<string, unknown> = { Type: 'User', message },
  ) {
    super(message);
  }
}

const invalid = (message: string) => new LambdaError(400, 'InvalidParameterValueException', message);
const validation = (message: string) =>
  new LambdaError(400, 'ValidationException', `1 validation error detected: ${message}`, {
    message: `1 validation error detected: ${message}`,
  });

export async function startFakeLambda(options: FakeLambdaOptions = {}): Promise<FakeLambda> {
  const region = options.region ?? 'eu-west-1';
  const accountId = options.accountId ?? '123456789012';
  const accessKeyId = 'AKIAFAKELAMBDATEST01';
  const settlePolls = options.settlePolls ?? 2;
  const invokeHoldMs = options.invokeHoldMs ?? 25;
  const functions = new Map<string, FakeFunction>();
  const calls: FakeCall[] = [];
  const failures = new Map<
    string,
    { status: number; body: Record<string, unknown> | undefined; times: number }[]
  >();
  const arnOf = (name: string) => `arn:aws:lambda:${region}:${accountId}:function:${name}`;

  const newFunction = (name: string, fields: Partial<FakeFunction>): FakeFunction => ({
    name,
    arn: arnOf(name),
    role: `arn:aws:iam::${accountId}:role/fake-lambda-role`,
    packageType: 'Image',
    imageUri: `${accountId}.dkr.ecr.${region}.amazonaws.com/${name}:latest`,
    memoryMb: 128,
    timeoutSeconds: 3,
    ephemeralMb: 512,
    architecture: 'x86_64',
    description: '',
    variables: {},
    tags: {},
    state: 'Active',
    lastUpdateStatus: 'Successful',
    pollsLeft: 0,
    reserved: null,
    versions: [],
    aliases: new Map(),
    provisioned: new Map(),
    invoke: {
      durationMs: 12.34,
      initDurationMs: 230.51,
      maxMemoryUsedMb: 80,
      functionError: null,
      reportLine: 'full',
      logLines: [],
    },
    environments: new Map(),
    revision: 1,
    ...fields,
  });

  const seed = (name: string, given: FunctionSeed = {}): FakeFunction => {
    const fn = newFunction(name, {
      ...(given.imageUri !== undefined ? { imageUri: given.imageUri } : {}),
      ...(given.packageType ? { packageType: given.packageType } : {}),
      ...(given.memoryMb ? { memoryMb: given.memoryMb } : {}),
      ...(given.timeoutSeconds ? { timeoutSeconds: given.timeoutSeconds } : {}),
      ...(given.ephemeralMb ? { ephemeralMb: given.ephemeralMb } : {}),
      ...(given.architecture ? { architecture: given.architecture } : {}),
      reserved: given.reserved ?? null,
      state: given.state ?? 'Active',
      lastUpdateStatus: given.lastUpdateStatus ?? 'Successful',
      pollsLeft: given.state === 'Pending' || given.lastUpdateStatus === 'InProgress' ? settlePolls : 0,
    });
    Object.assign(fn.invoke, given.invoke ?? {});
    if (given.packageType === 'Zip') fn.imageUri = null;
    if (given.alias) {
      fn.versions.push({ version: '1', snapshot: snapshot(fn) });
      fn.aliases.set(given.alias.name, '1');
      if (given.alias.provisioned)
        fn.provisioned.set(given.alias.name, { requested: given.alias.provisioned, ready: true });
    }
    functions.set(name, fn);
    return fn;
  };

  /** FunctionName in a path: a name, or an ARN (`…:function:name`). A `:qualifier` suffix is not used here. */
  const lookup = (raw: string, qualifier?: string): FakeFunction => {
    const name = decodeURIComponent(raw).replace(/^arn:aws:lambda:[^:]+:\d{12}:function:/, '');
    const fn = functions.get(name);
    if (!fn) throw new LambdaError(404, 'ResourceNotFoundException', '', notFoundBody(arnOf(name)));
    if (qualifier !== undefined && qualifier !== '$LATEST') {
      const known = fn.aliases.has(qualifier) || fn.versions.some((entry) => entry.version === qualifier);
      if (!known)
        throw new LambdaError(404, 'ResourceNotFoundException', '', notFoundBody(`${fn.arn}:${qualifier}`));
    }
    return fn;
  };
  const notFoundBody = (arn: string) => ({ Type: 'User', Message: `Function not found: ${arn}` });

  /** Lambda refuses changes while the function is Pending or an update is InProgress. */
  const requireSettled = (fn: FakeFunction) => {
    if (fn.state === 'Pending')
      throw new LambdaError(
        409,
        'ResourceConflictException',
        'The operation cannot be performed at this time. The function is currently in the following state: Pending',
      );
    if (fn.lastUpdateStatus === 'InProgress')
      throw new LambdaError(
        409,
        'ResourceConflictException',
        `The operation cannot be performed at this time. An update is in progress for resource: ${fn.arn}`,
      );
  };

  const startUpdate = (fn: FakeFunction) => {
    fn.lastUpdateStatus = 'InProgress';
    fn.pollsLeft = settlePolls;
    fn.revision += 1;
  };

  const configuration = (fn: FakeFunction, version = '$LATEST') => ({
    FunctionName: fn.name,
    FunctionArn: version === '$LATEST' ? fn.arn : `${fn.arn}:${version}`,
    Role: fn.role,
    CodeSize: 0,
    Description: fn.description,
    Timeout: fn.timeoutSeconds,
    MemorySize: fn.memoryMb,
    LastModified: '2026-01-05T10:00:00.000+0000',
    CodeSha256: `sha-${fn.imageUri ?? 'zip'}`,
    Version: version,
    ...(Object.keys(fn.variables).length ? { Environment: { Variables: fn.variables } } : {}),
    TracingConfig: { Mode: 'PassThrough' },
    RevisionId: `rev-${fn.revision}`,
    State: fn.state,
    ...(fn.state === 'Pending'
      ? { StateReason: 'The function is being created.', StateReasonCode: 'Creating' }
      : {}),
    LastUpdateStatus: fn.lastUpdateStatus,
    ...(fn.lastUpdateStatus === 'InProgress'
      ? { LastUpdateStatusReason: 'The function is being updated.', LastUpdateStatusReasonCode: 'InProgress' }
      : {}),
    PackageType: fn.packageType,
    Architectures: [fn.architecture],
    EphemeralStorage: { Size: fn.ephemeralMb },
    ...(fn.packageType === 'Zip' ? { Runtime: 'nodejs20.x', Handler: 'index.handler' } : {}),
  });

  type Handler = (args: {
    fn: () => FakeFunction;
    body: Record<string, unknown>;
    query: URLSearchParams;
    headers: IncomingMessage['headers'];
    raw: Buffer;
    match: RegExpMatchArray;
  }) =>
    | Promise<{ status: number; body: unknown; headers?: Record<string, string> }>
    | { status: number; body: unknown; headers?: Record<string, string> };

  const F = '/functions/([^/]+)';
  const routes: { operation: string; method: string; path: RegExp; fields?: Fields; handle: Handler }[] = [
    {
      // https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html — POST /2015-03-31/functions, 201 FunctionConfiguration
      operation: 'CreateFunction',
      method: 'POST',
      path: /^\/2015-03-31\/functions$/,
      fields: {
        required: ['FunctionName', 'Role', 'Code'],
        allowed: [
          'PackageType',
          'MemorySize',
          'Timeout',
          'EphemeralStorage',
          'Architectures',
          'Description',
          'Environment',
          'Tags',
          'Publish',
        ],
      },
      handle: ({ body }) => {
        const name = String(body.FunctionName);
        if (!/^[a-zA-Z0-9-_]{1,64}$/.test(name))
          throw validation(`Value '${name}' at 'functionName' failed to satisfy constraint`);
        if (functions.has(name))
          throw new LambdaError(409, 'ResourceConflictException', `Function already exist: ${name}`);
        if (!/^arn:aws[a-zA-Z-]*:iam::\d{12}:role\/.+$/.test(String(body.Role)))
          throw validation(
            `Value '${String(body.Role)}' at 'role' failed to satisfy constraint: Member must satisfy regular expression pattern`,
          );
        const code = body.Code as Record<string, unknown>;
        const packageType = body.PackageType ?? 'Zip';
        if (packageType !== 'Image') throw invalid('The fake supports PackageType Image only');
        checkKeys(code, [], ['ImageUri'], 'Code');
        if (
          typeof code.ImageUri !== 'string' ||
          !/^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com\/.+/.test(code.ImageUri)
        )
          throw invalid(`Source image ${String(code.ImageUri)} is not valid. Provide a valid source image.`);
        const fn = newFunction(name, {
          role: String(body.Role),
          imageUri: code.ImageUri,
          state: 'Pending',
          pollsLeft: settlePolls,
          description: String(body.Description ?? ''),
          variables:
            (body.Environment as { Variables?: Record<string, string> } | undefined)?.Variables ?? {},
          tags: (body.Tags as Record<string, string> | undefined) ?? {},
        });
        applySettings(fn, body);
        functions.set(name, fn);
        return { status: 201, body: configuration(fn) };
      },
    },
    {
      // https://docs.aws.amazon.com/lambda/latest/api/API_GetFunction.html — GET /2015-03-31/functions/{FunctionName}
      operation: 'GetFunction',
      method: 'GET',
      path: new RegExp(`^/2015-03-31${F}$`),
      handle: ({ fn }) => {
        const f = fn();
        return {
          status: 200,
          body: {
            Configuration: configuration(f),
            Code: f.imageUri
              ? {
                  RepositoryType: 'ECR',
                  ImageUri: f.imageUri,
                  ResolvedImageUri: `${f.imageUri.split(':')[0]}@sha256:${'0'.repeat(64)}`,
                }
              : { RepositoryType: 'S3', Location: 'https://awslambda.example/snapshots/code.zip' },
            Tags: f.tags,
            ...(f.reserved !== null ? { Concurrency: { ReservedConcurrentExecutions: f.reserved } } : {}),
          },
        };
      },
    },
    {
      // https://docs.aws.amazon.com/lambda/latest/api/API_GetFunctionConfiguration.html — GET …/configuration
      operation: 'GetFunctionConfiguration',
      method: 'GET',
      path: new RegExp(`^/2015-03-31${F}/configuration$`),
      handle: ({ fn, query }) => {
        const qualifier = query.get('Qualifier') ?? undefined;
        const f = fn();
        if (qualifier !== undefined) lookup(f.name, qualifier);
        // The deterministic stand-in for time passing: each poll brings a settling function closer.
        if (f.pollsLeft > 0) {
          f.pollsLeft -= 1;
          if (f.pollsLeft === 0) {
            f.state = 'Active';
            f.lastUpdateStatus = 'Successful';
          }
        }
        const version = qualifier === undefined ? '$LATEST' : (f.aliases.get(qualifier) ?? qualifier);
        return { status: 200, body: configuration(f, version) };
      },
    },
    {
      // https://docs.aws.amazon.com/lambda/latest/api/API_UpdateFunctionConfiguration.html — PUT …/configuration
      operation: 'UpdateFunctionConfiguration',
      method: 'PUT',
      path: new RegExp(`^/2015-03-31${F}/configuration$`),
      fields: {
        required: [],
        allowed: ['MemorySize', 'Timeout', 'EphemeralStorage', 'Description', 'Environment', 'Role'],
      },
      handle: ({ fn, body }) => {
        const f = fn();
        requireSettled(f);
        if (Object.keys(body).length === 0) throw invalid('Nothing to update');
        applySettings(f, body);
        startUpdate(f);
        return { status: 200, body: configuration(f) };
      },
    },
    {
      // https://docs.aws.amazon.com/lambda/latest/api/API_UpdateFunctionCode.html — PUT …/code
      operation: 'UpdateFunctionCode',
      method: 'PUT',
      path: new RegExp(`^/2015-03-31${F}/code$`),
      fields: { required: ['ImageUri'], allowed: ['Architectures', 'Publish', 'DryRun'] },
      handle: ({ fn, body }) => {
        const f = fn();
        requireSettled(f);
        if (f.packageType !== 'Image')
          throw invalid('Please provide ZipFile or S3 location for a Zip function');
        f.imageUri = String(body.ImageUri);
        if (body.Architectures !== undefined) f.architecture = architectureOf(body.Architectures);
        startUpdate(f);
        return { status: 200, body: configuration(f) };
      },
    },
    {
      // https://docs.aws.amazon.com/lambda/latest/api/API_PutFunctionConcurrency.html — PUT /2017-10-31/functions/{FunctionName}/concurrency
      operation: 'PutFunctionConcurrency',
      method: 'PUT',
      path: new RegExp(`^/2017-10-31${F}/concurrency$`),
      fields: { required: ['ReservedConcurrentExecutions'], allowed: [] },
      handle: ({ fn, body }) => {
        const f = fn();
        f.reserved = integer(body.ReservedConcurrentExecutions, 'reservedConcurrentExecutions', 0, 1000);
        return { status: 200, body: { ReservedConcurrentExecutions: f.reserved } };
      },
    },
    {
      // https://docs.aws.amazon.com/lambda/latest/api/API_GetFunctionConcurrency.html — GET /2019-09-30/functions/{FunctionName}/concurrency
      operation: 'GetFunctionConcurrency',
      method: 'GET',
      path: new RegExp(`^/2019-09-30${F}/concurrency$`),
      handle: ({ fn }) => {
        const f = fn();
        return { status: 200, body: f.reserved === null ? {} : { ReservedConcurrentExecutions: f.reserved } };
      },
    },
    {
      // https://docs.aws.amazon.com/lambda/latest/api/API_PublishVersion.html — POST …/versions, 201 FunctionConfiguration
      operation: 'PublishVersion',
      method: 'POST',
      path: new RegExp(`^/2015-03-31${F}/versions$`),
      fields: { required: [], allowed: ['CodeSha256', 'Description', 'RevisionId'] },
      handle: ({ fn }) => {
        const f = fn();
        requireSettled(f);
        const current = snapshot(f);
        const last = f.versions.at(-1);
        // Lambda publishes nothing new when code and configuration equal the latest version's.
        const version = last && last.snapshot === current ? last.version : String(f.versions.length + 1);
        if (version !== last?.version) f.versions.push({ version, snapshot: current });
        return { status: 201, body: configuration(f, version) };
      },
    },
    {
      // https://docs.aws.amazon.com/lambda/latest/api/API_CreateAlias.html — POST …/aliases, 201 AliasConfiguration
      operation: 'CreateAlias',
      method: 'POST',
      path: new RegExp(`^/2015-03-31${F}/aliases$`),
      fields: { required: ['Name', 'FunctionVersion'], allowed: ['Description', 'RoutingConfig'] },
      handle: ({ fn, body }) => {
        const f = fn();
        const name = String(body.Name);
        if (f.aliases.has(name))
          throw new LambdaError(409, 'ResourceConflictException', `Alias already exists: ${f.arn}:${name}`);
        const version = existingVersion(f, body.FunctionVersion);
        f.aliases.set(name, version);
        return { status: 201, body: alias(f, name) };
      },
    },
    {
      // https://docs.aws.amazon.com/lambda/latest/api/API_GetAlias.html — GET …/aliases/{Name}
      operation: 'GetAlias',
      method: 'GET',
      path: new RegExp(`^/2015-03-31${F}/aliases/([^/]+)$`),
      handle: ({ fn, match }) => {
        const f = fn();
        const name = decodeURIComponent(match[2]!);
        if (!f.aliases.has(name))
          throw new LambdaError(404, 'ResourceNotFoundException', '', {
            Type: 'User',
            Message: `Alias not found: ${f.arn}:${name}`,
          });
        return { status: 200, body: alias(f, name) };
      },
    },
    {
      // https://docs.aws.amazon.com/lambda/latest/api/API_UpdateAlias.html — PUT …/aliases/{Name}
      operation: 'UpdateAlias',
      method: 'PUT',
      path: new RegExp(`^/2015-03-31${F}/aliases/([^/]+)$`),
      fields: { required: [], allowed: ['FunctionVersion', 'Description', 'RoutingConfig', 'RevisionId'] },
      handle: ({ fn, match, body }) => {
        const f = fn();
        const name = decodeURIComponent(match[2]!);
        if (!f.aliases.has(name))
          throw new LambdaError(404, 'ResourceNotFoundException', '', {
            Type: 'User',
            Message: `Alias not found: ${f.arn}:${name}`,
          });
        if (body.FunctionVersion !== undefined) f.aliases.set(name, existingVersion(f, body.FunctionVersion));
        return { status: 200, body: alias(f, name) };
      },
    },
    {
      // https://docs.aws.amazon.com/lambda/latest/api/API_PutProvisionedConcurrencyConfig.html — PUT /2019-09-30/functions/{FunctionName}/provisioned-concurrency?Qualifier=, 202
      operation: 'PutProvisionedConcurrencyConfig',
      method: 'PUT',
      path: new RegExp(`^/2019-09-30${F}/provisioned-concurrency$`),
      fields: { required: ['ProvisionedConcurrentExecutions'], allowed: [] },
      handle: ({ fn, body, query }) => {
        const f = fn();
        const qualifier = requiredQualifier(query);
        if (qualifier === '$LATEST')
          throw invalid(
            'Provisioned Concurrency Configs cannot be applied to unpublished function versions.',
          );
        lookup(f.name, qualifier);
        const requested = integer(
          body.ProvisionedConcurrentExecutions,
          'provisionedConcurrentExecutions',
          1,
          1000,
        );
        if (f.reserved !== null && requested > f.reserved)
          throw invalid(
            `Requested Provisioned Concurrency should not be greater than the reservedConcurrentExecution for function ${f.name}`,
          );
        f.provisioned.set(qualifier, { requested, ready: false });
        return { status: 202, body: provisioned(f, qualifier) };
      },
    },
    {
      // https://docs.aws.amazon.com/lambda/latest/api/API_GetProvisionedConcurrencyConfig.html — GET /2019-09-30/functions/{FunctionName}/provisioned-concurrency?Qualifier=
      operation: 'GetProvisionedConcurrencyConfig',
      method: 'GET',
      path: new RegExp(`^/2019-09-30${F}/provisioned-concurrency$`),
      handle: ({ fn, query }) => {
        const f = fn();
        const qualifier = requiredQualifier(query);
        lookup(f.name, qualifier);
        const config = f.provisioned.get(qualifier);
        if (!config)
          throw new LambdaError(
            404,
            'ProvisionedConcurrencyConfigNotFoundException',
            'No Provisioned Concurrency Config found for this function',
          );
        const body = provisioned(f, qualifier);
        config.ready = true; // READY from the next read on: allocation takes minutes on Lambda, one read here.
        return { status: 200, body };
      },
    },
    {
      // https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html — POST …/invocations; X-Amz-Invocation-Type, X-Amz-Log-Type
      // request headers; X-Amz-Function-Error, X-Amz-Log-Result, X-Amz-Executed-Version response headers
      operation: 'Invoke',
      method: 'POST',
      path: new RegExp(`^/2015-03-31${F}/invocations$`),
      handle: async ({ fn, query, headers, raw }) => {
        const f = fn();
        const qualifier = query.get('Qualifier') ?? undefined;
        lookup(f.name, qualifier);
        const type = headers['x-amz-invocation-type'] ?? 'RequestResponse';
        if (type !== 'RequestResponse')
          throw invalid(`The fake serves RequestResponse invocations only, got ${type}`);
        const logType = headers['x-amz-log-type'] ?? 'None';
        if (logType !== 'None' && logType !== 'Tail') throw invalid(`Invalid LogType ${logType}`);
        try {
          if (raw.length) JSON.parse(raw.toString('utf8'));
        } catch {
          throw new LambdaError(
            400,
            'InvalidRequestContentException',
            'Could not parse request body into json',
          );
        }
        if (f.state !== 'Active') requireSettled(f);
        const version = qualifier === undefined ? '$LATEST' : (f.aliases.get(qualifier) ?? qualifier);
        const pc = qualifier !== undefined ? f.provisioned.get(qualifier) : undefined;
        const key = pc ? `provisioned:${qualifier}` : version;
        let pool = f.environments.get(key);
        if (!pool) {
          // Provisioned environments were initialized ahead of time: their first request is warm.
          pool = Array.from({ length: pc?.requested ?? 0 }, () => ({ busy: false }));
          f.environments.set(key, pool);
        }
        let environment = pool.find((entry) => !entry.busy);
        const cold = environment === undefined;
        if (!environment) {
          environment = { busy: false };
          pool.push(environment);
        }
        environment.busy = true;
        await new Promise((resolve) => setTimeout(resolve, invokeHoldMs));
        environment.busy = false;
        const id = randomUUID();
        const behaviour = f.invoke;
        const report = [
          `REPORT RequestId: ${id}`,
          `Duration: ${behaviour.durationMs.toFixed(2)} ms`,
          `Billed Duration: ${Math.ceil(behaviour.durationMs)} ms`,
          `Memory Size: ${f.memoryMb} MB`,
          `Max Memory Used: ${behaviour.maxMemoryUsedMb} MB`,
          ...(cold ? [`Init Duration: ${behaviour.initDurationMs.toFixed(2)} ms`] : []),
        ].join('\t');
        const log = [
          `START RequestId: ${id} Version: ${version}`,
          ...behaviour.logLines,
          `END RequestId: ${id}`,
          ...(behaviour.reportLine === 'full'
            ? [`${report}\t`]
            : behaviour.reportLine === 'cut'
              ? [report.slice(0, report.indexOf('Duration') + 3)]
              : []),
          '',
        ].join('\n');
        const tail = Buffer.from(log, 'utf8').subarray(-4096).toString('base64');
        const responseHeaders: Record<string, string> = { 'X-Amz-Executed-Version': version };
        if (logType === 'Tail') responseHeaders['X-Amz-Log-Result'] = tail;
        if (behaviour.functionError) responseHeaders['X-Amz-Function-Error'] = behaviour.functionError;
        return {
          status: 200,
          headers: responseHeaders,
          body: behaviour.functionError
            ? { errorMessage: 'the handler failed', errorType: 'Error', trace: [] }
            : { ok: true },
        };
      },
    },
  ];

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      void serve(request, Buffer.concat(chunks), response);
    });
  });

  async function serve(request: IncomingMessage, raw: Buffer, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://fake');
    const route = routes.find((entry) => entry.method === request.method && entry.path.test(url.pathname));
    const text = raw.toString('utf8');
    let body: unknown = text;
    if (route?.operation !== 'Invoke' && text) {
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
    }
    const headers = Object.fromEntries(
      Object.entries(request.headers).map(([key, value]) => [
        key,
        Array.isArray(value) ? value.join(',') : String(value),
      ]),
    );
    calls.push({
      operation: route?.operation ?? `Unknown ${request.method}`,
      method: request.method ?? '',
      path: request.url ?? '',
      headers,
      body: route?.operation === 'Invoke' ? text : body,
    });
    try {
      checkSignature(request.headers);
      if (!route)
        throw new LambdaError(
          404,
          'UnknownOperationException',
          `No ${request.method} ${url.pathname} in the Lambda API`,
          {
            message: null,
          },
        );
      const queued = failures.get(route.operation)?.[0];
      if (queued) {
        queued.times -= 1;
        if (queued.times <= 0) failures.get(route.operation)!.shift();
        const type =
          typeof queued.body?.__type === 'string'
            ? queued.body.__type
            : (ERROR_TYPES[queued.status] ?? 'ServiceException');
        throw new LambdaError(
          queued.status,
          type,
          '',
          queued.body ?? defaultErrorBody(type, route.operation),
        );
      }
      let fields: Record<string, unknown> = {};
      if (route.fields) {
        if (typeof body !== 'object' || body === null || Array.isArray(body))
          throw new LambdaError(400, 'SerializationException', 'The request body is not a JSON object', {
            message: null,
          });
        fields = body as Record<string, unknown>;
        checkKeys(fields, route.fields.required, route.fields.allowed, route.operation);
      }
      const match = url.pathname.match(route.path)!;
      const result = await route.handle({
        fn: () => lookup(match[1]!),
        body: fields,
        query: url.searchParams,
        headers: request.headers,
        raw,
        match,
      });
      response.writeHead(result.status, {
        'Content-Type': 'application/json',
        'x-amzn-RequestId': randomUUID(),
        ...result.headers,
      });
      response.end(JSON.stringify(result.body));
    } catch (error) {
      if (!(error instanceof LambdaError)) {
        response.writeHead(500, {
          'Content-Type': 'application/json',
          'x-amzn-ErrorType': 'ServiceException',
        });
        response.end(JSON.stringify({ Type: 'Service', message: String(error) }));
        return;
      }
      response.writeHead(error.status, {
        'Content-Type': 'application/json',
        'x-amzn-RequestId': randomUUID(),
        'x-amzn-ErrorType': error.type,
      });
      response.end(JSON.stringify(error.body));
    }
  }

  /** SigV4 from the default chain: the test key, scoped to this region and the `lambda` service. */
  function checkSignature(headers: IncomingMessage['headers']): void {
    const authorization = headers.authorization;
    if (!authorization || !headers['x-amz-date'])
      throw new LambdaError(403, 'MissingAuthenticationTokenException', '', {
        message: 'Missing Authentication Token',
      });
    const match =
      /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=[0-9a-f]{64}$/.exec(
        authorization,
      );
    if (!match)
      throw new LambdaError(403, 'IncompleteSignatureException', '', {
        message: 'Authorization header requires a valid SigV4 Credential',
      });
    if (match[1] !== accessKeyId)
      throw new LambdaError(403, 'UnrecognizedClientException', '', {
        message: 'The security token included in the request is invalid.',
      });
    if (match[3] !== region || match[4] !== 'lambda')
      throw new LambdaError(403, 'InvalidSignatureException', '', {
        message: `Credential should be scoped to a valid region and service: ${region}/lambda, not ${match[3]}/${match[4]}.`,
      });
  }

  function defaultErrorBody(type: string, operation: string): Record<string, unknown> {
    switch (type) {
      case 'TooManyRequestsException':
        return { Type: 'User', message: 'Rate Exceeded.', Reason: 'CallerRateLimitExceeded' };
      case 'AccessDeniedException':
        return {
          Message: `User: arn:aws:iam::${accountId}:user/migrate-test is not authorized to perform: lambda:${operation === 'Invoke' ? 'InvokeFunction' : operation} because no identity-based policy allows the lambda:${operation === 'Invoke' ? 'InvokeFunction' : operation} action`,
        };
      case 'ResourceNotFoundException':
        return { Type: 'User', Message: 'Function not found' };
      case 'ServiceException':
        return { Type: 'Service', message: 'An internal error occurred' };
      default:
        return { Type: 'User', message: `${type} (injected)` };
    }
  }

  const alias = (f: FakeFunction, name: string) => ({
    AliasArn: `${f.arn}:${name}`,
    Name: name,
    FunctionVersion: f.aliases.get(name),
    Description: '',
    RevisionId: `alias-${name}-${f.aliases.get(name)}`,
  });

  const provisioned = (f: FakeFunction, qualifier: string) => {
    const config = f.provisioned.get(qualifier)!;
    return {
      RequestedProvisionedConcurrentExecutions: config.requested,
      AvailableProvisionedConcurrentExecutions: config.ready ? config.requested : 0,
      AllocatedProvisionedConcurrentExecutions: config.ready ? config.requested : 0,
      Status: config.ready ? 'READY' : 'IN_PROGRESS',
      LastModified: '2026-01-05T10:00:00+0000',
    };
  };

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;

  return {
    endpoint,
    env: {
      AWS_ACCESS_KEY_ID: accessKeyId,
      AWS_SECRET_ACCESS_KEY: 'fake-lambda-test-secret-not-a-real-key',
      AWS_REGION: region,
      // Point the shared files at nothing, so the developer's ~/.aws never leaks into a test.
      AWS_CONFIG_FILE: '/nonexistent/migrate-fake-aws/config',
      AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/migrate-fake-aws/credentials',
      AWS_EC2_METADATA_DISABLED: 'true',
    },
    region,
    accountId,
    accessKeyId,
    calls,
    failNext(operation, status, body, times = 1) {
      const queue = failures.get(operation) ?? [];
      queue.push({ status, body, times });
      failures.set(operation, queue);
    },
    seed,
    fn: (name) => functions.get(name),
    flags: (extra = {}) => ({
      region: null,
      project: null,
      subscription: null,
      resourceGroup: null,
      endpoint,
      caFile: null,
      requestTimeoutMs: 5_000,
      extra,
    }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

interface Fields {
  required: string[];
  allowed: string[];
}

function checkKeys(
  body: Record<string, unknown>,
  required: string[],
  allowed: string[],
  where: string,
): void {
  for (const key of required)
    if (body[key] === undefined || body[key] === null)
      throw validation(
        `Value null at '${key}' failed to satisfy constraint: Member must not be null (${where})`,
      );
  for (const key of Object.keys(body))
    if (key !== 'FunctionName' && !required.includes(key) && !allowed.includes(key))
      throw invalid(`${where}: unknown field ${key} (the fake accepts only the fields the target sends)`);
}

function integer(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
    throw validation(
      `Value '${String(value)}' at '${field}' failed to satisfy constraint: Member must be a whole number from ${min} to ${max}`,
    );
  return value;
}

function architectureOf(value: unknown): 'x86_64' | 'arm64' {
  if (!Array.isArray(value) || value.length !== 1 || (value[0] !== 'x86_64' && value[0] !== 'arm64'))
    throw validation(
      `Value '${JSON.stringify(value)}' at 'architectures' failed to satisfy constraint: Member must have length 1, x86_64 or arm64`,
    );
  return value[0];
}

function applySettings(fn: FakeFunction, body: Record<string, unknown>): void {
  if (body.MemorySize !== undefined) fn.memoryMb = integer(body.MemorySize, 'memorySize', 128, 10_240);
  if (body.Timeout !== undefined) fn.timeoutSeconds = integer(body.Timeout, 'timeout', 1, 900);
  if (body.EphemeralStorage !== undefined) {
    const storage = body.EphemeralStorage as Record<string, unknown>;
    checkKeys(storage, ['Size'], [], 'EphemeralStorage');
    fn.ephemeralMb = integer(storage.Size, 'ephemeralStorage.size', 512, 10_240);
  }
  if (body.Architectures !== undefined) fn.architecture = architectureOf(body.Architectures);
  if (body.Description !== undefined) fn.description = String(body.Description);
}

function requiredQualifier(query: URLSearchParams): string {
  const qualifier = query.get('Qualifier');
  if (!qualifier)
    throw validation("Value null at 'qualifier' failed to satisfy constraint: Member must not be null");
  return qualifier;
}

function existingVersion(fn: FakeFunction, value: unknown): string {
  const version = String(value);
  if (version !== '$LATEST' && !fn.versions.some((entry) => entry.version === version))
    throw new LambdaError(404, 'ResourceNotFoundException', '', {
      Type: 'User',
      Message: `Function not found: ${fn.arn}:${version}`,
    });
  return version;
}

function snapshot(fn: FakeFunction): string {
  return JSON.stringify([
    fn.imageUri,
    fn.memoryMb,
    fn.timeoutSeconds,
    fn.ephemeralMb,
    fn.architecture,
    fn.variables,
  ]);
}

/**
 * Sets the chain's variables for a test: every AWS_* variable of the developer's is removed first, so
 * nothing of theirs leaks in. Returns the function that restores process.env.
 */
export function useAwsEnv(env: Record<string, string>): () => void {
  const saved = { ...process.env };
  for (const key of Object.keys(process.env)) if (key.startsWith('AWS_')) delete process.env[key];
  Object.assign(process.env, env);
  return () => {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  };
}

/**
 * Target options for tests: the SDK's own retry strategy (standard mode) with a 5 ms backoff instead
 * of its jittered 50 ms–20 s, and 5 ms polls; what is retried and how often stays the SDK's decision.
 */
export function fastLambdaOptions(maxAttempts = 3): LambdaTargetOptions {
  return {
    maxAttempts,
    waitIntervalMs: 5,
    waitTimeoutMs: 2_000,
    clientConfig: { retryStrategy: new ConfiguredRetryStrategy(maxAttempts, () => 5) },
  };
}
