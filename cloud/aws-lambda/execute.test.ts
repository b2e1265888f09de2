import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MigrateError } from '../../core/errors.ts';
import {
  type FakeLambda,
  fastLambdaOptions,
  startFakeLambda,
  useAwsEnv,
} from '../../test/helpers/fake-lambda.ts';
import { diffConfig } from '../diff.ts';
import type { ApiCall, DesiredConfig } from '../types.ts';
import { readDesired } from './desired.ts';
import { createAwsLambdaTarget, type LambdaSession } from './index.ts';
import { WAIT_OPERATION } from './plan.ts';
import { convertExamples, readOrNull } from './testing.ts';

const target = createAwsLambdaTarget(fastLambdaOptions(3));
const ROLE = 'arn:aws:iam::123456789012:role/infer';
const IMAGE = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/fraud-scoring:lambda';

let converted: Awaited<ReturnType<typeof convertExamples>>;
let fraud: DesiredConfig;
let fake: FakeLambda;
let session: LambdaSession;
let restoreEnv: () => void;

beforeAll(async () => {
  converted = await convertExamples();
  fraud = await readDesired(converted.folder('ml-inferenceservice-fraud-scoring'), readOrNull);
});
afterAll(() => converted.remove());
beforeEach(async () => {
  fake = await startFakeLambda();
  restoreEnv = useAwsEnv(fake.env);
  session = await target.connect(fake.flags({ role: ROLE, image: IMAGE }));
});
afterEach(async () => {
  target.close(session);
  restoreEnv();
  await fake.close();
});

async function applyAll(calls: ApiCall[]): Promise<void> {
  for (const call of calls) await target.execute(session, call);
}

const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected a MigrateError');
    },
    (error: unknown) => {
      expect(error).toBeInstanceOf(MigrateError);
      return error as MigrateError;
    },
  );

describe('execute: create end to end', () => {
  it('creates fraud-scoring as the template says; afterwards verify finds no drift and apply nothing to do', async () => {
    const flags = fake.flags({ role: ROLE, image: IMAGE });
    expect(await target.readLive(session, 'ml-fraud-scoring')).toBeNull();
    await applyAll(target.planApply(fraud, null, flags));

    const live = await target.readLive(session, 'ml-fraud-scoring');
    expect(live).not.toBeNull();
    const report = diffConfig(fraud, live);
    expect(report.findings).toEqual([]);
    expect(Object.fromEntries(report.compared.map((row) => [row.field, row.actual]))).toEqual({
      architecture: 'x86_64',
      concurrency: 1,
      image: IMAGE,
      maxInstances: 160,
      memoryMb: 1024,
      timeoutSeconds: 30,
      warmInstances: 1,
    });
    expect(live!.facts.aliasVersion).toBe('1');
    expect(target.planApply(fraud, live, flags)).toEqual([]);

    const sequence = fake.calls.map((call) => call.operation);
    const created = sequence.indexOf('CreateFunction');
    // The wait polled until Active (the fake needs two polls) before anything else touched the function.
    expect(sequence.slice(created, created + 4)).toEqual([
      'CreateFunction',
      'GetFunctionConfiguration',
      'GetFunctionConfiguration',
      'PutFunctionConcurrency',
    ]);
    expect(fake.calls.filter((call) => call.method === 'DELETE' || /Delete/.test(call.operation))).toEqual(
      [],
    );
    const alias = fake.calls.find((call) => call.operation === 'CreateAlias')!;
    expect(alias.body).toEqual({ Name: 'live', FunctionVersion: '1' });
  });

  it('without the wait Lambda refuses the next change while the function is Pending (the fake enforces it)', async () => {
    const calls = target.planApply(fraud, null, fake.flags({ role: ROLE, image: IMAGE }));
    const noWait = calls.filter((call) => call.operation !== WAIT_OPERATION);
    await target.execute(session, noWait[0]!);
    await target.execute(session, noWait[1]!); // PutFunctionConcurrency is allowed while Pending
    const error = await failureOf(target.execute(session, noWait[2]!));
    expect(error.message).toBe(
      'lambda:PublishVersion on ml-fraud-scoring: conflict: The operation cannot be performed at this time. The function is currently in the following state: Pending',
    );
  });

  it('an update waits for InProgress to become Successful between configuration and code', async () => {
    fake.seed('ml-fraud-scoring', {
      imageUri: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/fraud-scoring:old',
      memoryMb: 512,
      timeoutSeconds: 30,
      reserved: 160,
      alias: { name: 'live', provisioned: 1 },
    });
    const live = await target.readLive(session, 'ml-fraud-scoring');
    const calls = target.planApply(fraud, live, fake.flags());
    expect(calls.map((call) => call.operation)).toEqual([
      'lambda:UpdateFunctionConfiguration',
      WAIT_OPERATION,
      'lambda:UpdateFunctionCode',
      WAIT_OPERATION,
      'lambda:PublishVersion',
      'lambda:UpdateAlias',
    ]);
    await applyAll(calls);
    const after = await target.readLive(session, 'ml-fraud-scoring');
    expect(diffConfig(fraud, after).findings).toEqual([]);
    expect(after!.facts.aliasVersion).toBe('2');
    expect(fake.calls.find((call) => call.operation === 'UpdateFunctionConfiguration')!.body).toEqual({
      MemorySize: 1024,
    });
  });

  it('throttling is retried by the SDK, and apply goes on', async () => {
    fake.failNext('CreateFunction', 429, undefined, 2);
    const [create] = target.planApply(fraud, null, fake.flags({ role: ROLE, image: IMAGE }));
    await target.execute(session, create!);
    expect(fake.calls.filter((call) => call.operation === 'CreateFunction')).toHaveLength(3);
    expect(fake.fn('ml-fraud-scoring')?.memoryMb).toBe(1024);
  });

  it('access denied is a MigrateError naming the permission', async () => {
    fake.failNext('CreateFunction', 403);
    const [create] = target.planApply(fraud, null, fake.flags({ role: ROLE, image: IMAGE }));
    const error = await failureOf(target.execute(session, create!));
    expect(error.message).toMatch(
      /^lambda:CreateFunction on ml-fraud-scoring: access denied: User: arn:aws:iam::/,
    );
    expect(error.hint).toMatch(/IAM permission lambda:CreateFunction/);
  });

  it("Lambda's validation message is echoed", async () => {
    const [create] = target.planApply(fraud, null, fake.flags({ role: 'not-a-role', image: IMAGE }));
    const error = await failureOf(target.execute(session, create!));
    expect(error.message).toMatch(
      /Lambda rejected the request \(ValidationException\): 1 validation error detected: Value 'not-a-role' at 'role'/,
    );
  });

  it('an alias call without a version published in this session is refused before any request', async () => {
    fake.seed('ml-fraud-scoring');
    const calls = target.planApply(fraud, null, fake.flags({ role: ROLE, image: IMAGE }));
    const alias = calls.find((call) => call.operation === 'lambda:CreateAlias')!;
    const error = await failureOf(target.execute(session, alias));
    expect(error.message).toMatch(/no version was published in this run/);
    expect(fake.calls).toEqual([]);
  });
});
