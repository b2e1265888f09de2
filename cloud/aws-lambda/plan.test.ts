import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MigrateError } from '../../core/errors.ts';
import type { ApiCall, CloudFlags, DesiredConfig, LiveConfig } from '../types.ts';
import { readDesired } from './desired.ts';
import { ALIAS_MISSING } from './live.ts';
import { PUBLISHED_VERSION, planApply, resolveImage } from './plan.ts';
import { convertExamples, readOrNull } from './testing.ts';

const ROLE = 'arn:aws:iam::123456789012:role/infer';
const IMAGE = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/fraud-scoring:lambda';
const ARN = 'arn:aws:lambda:eu-west-1:123456789012:function:ml-fraud-scoring';

const flags = (extra: Record<string, string> = {}, region: string | null = null): CloudFlags => ({
  region,
  project: null,
  subscription: null,
  resourceGroup: null,
  endpoint: null,
  caFile: null,
  requestTimeoutMs: 30_000,
  extra,
});

let fraud: DesiredConfig;
let embeddings: DesiredConfig;
let converted: Awaited<ReturnType<typeof convertExamples>>;
beforeAll(async () => {
  converted = await convertExamples();
  fraud = await readDesired(converted.folder('ml-inferenceservice-fraud-scoring'), readOrNull);
  embeddings = await readDesired(converted.folder('ml-deployment-embeddings-worker'), readOrNull);
});
afterAll(() => converted.remove());

/** The fraud-scoring function as the template would leave it, deployed in eu-west-1. */
function liveFraud(
  changes: Partial<LiveConfig['settings']> = {},
  facts: Record<string, string> = {},
): LiveConfig {
  return {
    name: 'ml-fraud-scoring',
    id: ARN,
    settings: {
      memoryMb: 1024,
      timeoutSeconds: 30,
      ephemeralStorageMb: 512,
      architecture: 'x86_64',
      image: IMAGE,
      maxInstances: 160,
      warmInstances: 1,
      concurrency: 1,
      ...changes,
    },
    facts: {
      FunctionArn: ARN,
      State: 'Active',
      LastUpdateStatus: 'Successful',
      region: 'eu-west-1',
      PackageType: 'Image',
      alias: 'live',
      aliasVersion: '3',
      ...facts,
    },
  };
}

const operations = (calls: ApiCall[]) => calls.map((call) => call.operation);
const noDelete = (calls: ApiCall[]) =>
  expect(calls.filter((call) => /delete|remove/i.test(call.operation))).toEqual([]);

function thrown(run: () => unknown): MigrateError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(MigrateError);
    return error as MigrateError;
  }
  throw new Error('expected a MigrateError');
}

describe('planApply: create', () => {
  it('creates the function, waits for Active, reserves, publishes, aliases, provisions', () => {
    const calls = planApply(fraud, null, flags({ role: ROLE, image: IMAGE }));
    expect(operations(calls)).toEqual([
      'lambda:CreateFunction',
      'lambda:GetFunctionConfiguration',
      'lambda:PutFunctionConcurrency',
      'lambda:PublishVersion',
      'lambda:CreateAlias',
      'lambda:PutProvisionedConcurrencyConfig',
    ]);
    expect(calls[0]!.input).toEqual({
      FunctionName: 'ml-fraud-scoring',
      PackageType: 'Image',
      Code: { ImageUri: IMAGE },
      Role: ROLE,
      MemorySize: 1024,
      Timeout: 30,
      Architectures: ['x86_64'],
      Description: expect.stringContaining('ml/InferenceService/fraud-scoring'),
      Tags: { 'migrate:workload': 'ml/InferenceService/fraud-scoring' },
    });
    expect(calls[2]!.input).toEqual({ FunctionName: 'ml-fraud-scoring', ReservedConcurrentExecutions: 160 });
    expect(calls[4]!.input).toEqual({
      FunctionName: 'ml-fraud-scoring',
      Name: 'live',
      FunctionVersion: PUBLISHED_VERSION,
    });
    expect(calls[5]!.input).toEqual({
      FunctionName: 'ml-fraud-scoring',
      Qualifier: 'live',
      ProvisionedConcurrentExecutions: 1,
    });
  });

  it('needs --role, and --image while the account id is a placeholder', () => {
    expect(thrown(() => planApply(fraud, null, flags({ image: IMAGE }))).hint).toMatch(/--role ARN/);
    const error = thrown(() => planApply(fraud, null, flags({ role: ROLE }, 'eu-west-1')));
    expect(error.message).toContain('${AWS::AccountId}.dkr.ecr.eu-west-1.amazonaws.com/fraud-scoring:lambda');
    expect(error.hint).toMatch(/--image URI/);
  });

  it('secret references never reach a call; literal variables do', () => {
    const calls = planApply(embeddings, null, flags({ role: ROLE, image: IMAGE }));
    expect(calls[0]!.input.Environment).toEqual({
      Variables: { MODEL_ID: 'sentence-transformers/all-MiniLM-L6-v2', HF_HOME: '/tmp/huggingface' },
    });
    expect(JSON.stringify(calls)).not.toMatch(/resolve:|HF_TOKEN|LOG_LEVEL/);
    // No reservation and no warm capacity in the template: neither call is planned.
    expect(operations(calls)).toEqual([
      'lambda:CreateFunction',
      'lambda:GetFunctionConfiguration',
      'lambda:PublishVersion',
      'lambda:CreateAlias',
    ]);
  });
});

describe('planApply: update', () => {
  it('nothing differs: no calls (the template image matches with account and region filled in)', () => {
    expect(planApply(fraud, liveFraud(), flags())).toEqual([]);
  });

  it('only the changed configuration fields, then a new version for the alias', () => {
    const calls = planApply(fraud, liveFraud({ memoryMb: 512 }), flags());
    expect(operations(calls)).toEqual([
      'lambda:UpdateFunctionConfiguration',
      'lambda:GetFunctionConfiguration',
      'lambda:PublishVersion',
      'lambda:UpdateAlias',
    ]);
    expect(calls[0]!.input).toEqual({ FunctionName: 'ml-fraud-scoring', MemorySize: 1024 });
    expect(calls[0]!.summary).toBe('update ml-fraud-scoring: MemorySize 512 → 1024 MB');
  });

  it('a different image updates the code with the resolved URI', () => {
    const calls = planApply(
      fraud,
      liveFraud({ image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/fraud-scoring:old' }),
      flags(),
    );
    expect(operations(calls)).toEqual([
      'lambda:UpdateFunctionCode',
      'lambda:GetFunctionConfiguration',
      'lambda:PublishVersion',
      'lambda:UpdateAlias',
    ]);
    expect(calls[0]!.input).toEqual({ FunctionName: 'ml-fraud-scoring', ImageUri: IMAGE });
  });

  it('reserved and provisioned concurrency alone need no new version', () => {
    const calls = planApply(fraud, liveFraud({ maxInstances: 100, warmInstances: 0 }), flags());
    expect(operations(calls)).toEqual([
      'lambda:PutFunctionConcurrency',
      'lambda:PutProvisionedConcurrencyConfig',
    ]);
  });

  it('a missing alias is created on a published version, then provisioned', () => {
    const calls = planApply(fraud, liveFraud({ warmInstances: 0 }, { aliasVersion: ALIAS_MISSING }), flags());
    expect(operations(calls)).toEqual([
      'lambda:PublishVersion',
      'lambda:CreateAlias',
      'lambda:PutProvisionedConcurrencyConfig',
    ]);
  });

  it('a function still updating is waited for before the first change', () => {
    const calls = planApply(
      fraud,
      liveFraud({ timeoutSeconds: 3 }, { LastUpdateStatus: 'InProgress' }),
      flags(),
    );
    expect(operations(calls).slice(0, 2)).toEqual([
      'lambda:GetFunctionConfiguration',
      'lambda:UpdateFunctionConfiguration',
    ]);
  });

  it('never deletes: less reserved or provisioned concurrency than deployed is left for the user', () => {
    const lower = { ...fraud, settings: { ...fraud.settings, warmInstances: { value: 0, source: 'test' } } };
    delete lower.settings.maxInstances;
    const calls = planApply(lower, liveFraud({ warmInstances: 5, maxInstances: 300 }), flags());
    expect(calls).toEqual([]);
    for (const live of [null, liveFraud({ memoryMb: 128, image: 'x', maxInstances: 1, warmInstances: 9 })])
      noDelete(planApply(fraud, live, flags({ role: ROLE, image: IMAGE })));
  });

  it('a template alias other than the one read live is refused, not guessed', () => {
    const error = thrown(() => planApply(fraud, liveFraud({}, { alias: 'prod' }), flags()));
    expect(error.message).toMatch(/AutoPublishAlias is live, but the live read looked at alias prod/);
  });
});

describe('resolveImage', () => {
  it('fills region and account, and leaves what it does not know', () => {
    const uri = '${AWS::AccountId}.dkr.ecr.${AWS::Region}.${AWS::URLSuffix}/x:1';
    expect(resolveImage(uri, { region: 'cn-north-1', account: '1' })).toBe(
      '1.dkr.ecr.cn-north-1.amazonaws.com.cn/x:1',
    );
    expect(resolveImage(uri, { region: null, account: '1' })).toBe(
      '1.dkr.ecr.${AWS::Region}.${AWS::URLSuffix}/x:1',
    );
  });
});
