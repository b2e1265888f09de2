import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MigrateError } from '../../core/errors.ts';
import {
  type FakeLambda,
  fastLambdaOptions,
  startFakeLambda,
  useAwsEnv,
} from '../../test/helpers/fake-lambda.ts';
import { createAwsLambdaTarget, type LambdaSession } from './index.ts';

const target = createAwsLambdaTarget(fastLambdaOptions(3));
let fake: FakeLambda;
let session: LambdaSession;
let restoreEnv: () => void;

beforeEach(async () => {
  fake = await startFakeLambda();
  restoreEnv = useAwsEnv(fake.env);
  session = await target.connect(fake.flags());
});
afterEach(async () => {
  target.close(session);
  restoreEnv();
  await fake.close();
});

const IMAGE = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/fraud-scoring:lambda';

describe('readLive', () => {
  it('reads a seeded function: configuration, image, reserved, provisioned on the alias', async () => {
    fake.seed('ml-fraud-scoring', {
      imageUri: IMAGE,
      memoryMb: 1024,
      timeoutSeconds: 30,
      reserved: 160,
      alias: { name: 'live', provisioned: 1 },
    });
    const live = await target.readLive(session, 'ml-fraud-scoring');
    expect(live).toEqual({
      name: 'ml-fraud-scoring',
      id: 'arn:aws:lambda:eu-west-1:123456789012:function:ml-fraud-scoring',
      settings: {
        memoryMb: 1024,
        timeoutSeconds: 30,
        ephemeralStorageMb: 512,
        architecture: 'x86_64',
        image: IMAGE,
        maxInstances: 160,
        warmInstances: 1,
        concurrency: 1,
      },
      facts: {
        FunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:ml-fraud-scoring',
        State: 'Active',
        LastUpdateStatus: 'Successful',
        region: 'eu-west-1',
        PackageType: 'Image',
        alias: 'live',
        aliasVersion: '1',
        provisionedStatus: 'READY, 1 of 1 allocated',
      },
    });
    expect(fake.calls.map((call) => `${call.method} ${call.path}`)).toEqual([
      'GET /2015-03-31/functions/ml-fraud-scoring',
      'GET /2019-09-30/functions/ml-fraud-scoring/concurrency',
      'GET /2015-03-31/functions/ml-fraud-scoring/aliases/live',
      'GET /2019-09-30/functions/ml-fraud-scoring/provisioned-concurrency?Qualifier=live',
    ]);
    // Signed by the default chain with the test key, for this region and service.
    expect(fake.calls[0]!.headers.authorization).toMatch(
      new RegExp(`^AWS4-HMAC-SHA256 Credential=${fake.accessKeyId}/\\d{8}/eu-west-1/lambda/aws4_request, `),
    );
  });

  it('null when no function has the name', async () => {
    expect(await target.readLive(session, 'ml-nothing')).toBeNull();
  });

  it('no alias: warm 0 and a fact saying so; an alias without provisioned concurrency: 0', async () => {
    fake.seed('no-alias');
    const missing = await target.readLive(session, 'no-alias');
    expect(missing?.settings.warmInstances).toBe(0);
    expect(missing?.settings.maxInstances).toBeNull();
    expect(missing?.facts.aliasVersion).toBe('missing');
    expect(missing?.facts.provisionedStatus).toMatch(/there is no alias live/);

    fake.seed('alias-only', { alias: { name: 'live' } });
    const bare = await target.readLive(session, 'alias-only');
    expect(bare?.settings.warmInstances).toBe(0);
    expect(fake.calls.at(-1)?.operation).toBe('GetProvisionedConcurrencyConfig');
  });

  it('throttling is retried by the SDK and then succeeds', async () => {
    fake.seed('busy');
    fake.failNext('GetFunction', 429, undefined, 2);
    const live = await target.readLive(session, 'busy');
    expect(live?.name).toBe('busy');
    expect(fake.calls.filter((call) => call.operation === 'GetFunction')).toHaveLength(3);
  });

  it('a persistent throttle ends in a MigrateError after the SDK gave up', async () => {
    fake.seed('busy');
    fake.failNext('GetFunction', 429, undefined, 3);
    const error = await target.readLive(session, 'busy').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MigrateError);
    expect((error as MigrateError).message).toBe(
      'lambda:GetFunction on busy: throttled by Lambda after 3 attempts: Rate Exceeded.',
    );
  });

  it('access denied names the permission', async () => {
    fake.seed('locked');
    fake.failNext('GetFunctionConcurrency', 403);
    const error = (await target
      .readLive(session, 'locked')
      .catch((caught: unknown) => caught)) as MigrateError;
    expect(error).toBeInstanceOf(MigrateError);
    expect(error.message).toMatch(
      /^lambda:GetFunctionConcurrency on arn:aws:lambda:eu-west-1:123456789012:function:locked: access denied: User: /,
    );
    expect(error.hint).toMatch(/needs the IAM permission lambda:GetFunctionConcurrency/);
    // Not retried: access denied is not transient.
    expect(fake.calls.filter((call) => call.operation === 'GetFunctionConcurrency')).toHaveLength(1);
  });
});
