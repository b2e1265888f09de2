import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MigrateError } from '../../core/errors.ts';
import {
  type FakeLambda,
  fastLambdaOptions,
  startFakeLambda,
  useAwsEnv,
} from '../../test/helpers/fake-lambda.ts';
import type { MeasureOptions } from '../types.ts';
import { createAwsLambdaTarget, type LambdaSession } from './index.ts';

const target = createAwsLambdaTarget(fastLambdaOptions(3));
let fake: FakeLambda;
let session: LambdaSession;
let restoreEnv: () => void;

beforeEach(async () => {
  fake = await startFakeLambda({ invokeHoldMs: 25 });
  restoreEnv = useAwsEnv(fake.env);
  session = await target.connect(fake.flags());
});
afterEach(async () => {
  target.close(session);
  restoreEnv();
  await fake.close();
});

function options(requests: number, concurrency: number, progress: [number, number][] = []): MeasureOptions {
  return {
    requests,
    concurrency,
    payload: '{"instances": [[0.1, 0.2]]}',
    path: null,
    progress: (done, total) => progress.push([done, total]),
  };
}

describe('measure', () => {
  it('bursts of 5 against an idle function meet exactly 5 new environments; the rest are warm', async () => {
    fake.seed('ml-fraud-scoring', { memoryMb: 1024, invoke: { durationMs: 12.34, initDurationMs: 230.51 } });
    const progress: [number, number][] = [];
    const samples = await target.measure(session, 'ml-fraud-scoring', options(10, 5, progress));
    expect(samples.coldStartMs).toEqual([230.51, 230.51, 230.51, 230.51, 230.51]);
    expect(samples.serviceMs).toEqual([12.34, 12.34, 12.34, 12.34, 12.34]);
    expect(samples.failures).toEqual({});
    expect(samples.cpuMillis).toBe(Math.round((1024 / 1769) * 1000));
    expect(samples.facts).toMatchObject({
      FunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:ml-fraud-scoring',
      region: 'eu-west-1',
      memoryMb: 1024,
      executedVersion: '$LATEST',
      coldRequests: 5,
      warmRequests: 5,
    });
    expect(samples.method).toMatch(/Init Duration/);
    expect(progress).toHaveLength(10);
    expect(progress.at(-1)).toEqual([10, 10]);
    expect(fake.fn('ml-fraud-scoring')!.environments.get('$LATEST')).toHaveLength(5);
    const invokes = fake.calls.filter((call) => call.operation === 'Invoke');
    expect(invokes).toHaveLength(10);
    expect(invokes[0]!.path).toBe('/2015-03-31/functions/ml-fraud-scoring/invocations');
    expect(invokes[0]!.headers['x-amz-log-type']).toBe('Tail');
    expect(invokes[0]!.body).toBe('{"instances": [[0.1, 0.2]]}');
  });

  it('function errors and missing REPORT lines are failures by reason, not samples', async () => {
    fake.seed('broken', { invoke: { functionError: 'Unhandled' } });
    expect((await target.measure(session, 'broken', options(3, 1))).failures).toEqual({
      'FunctionError: Unhandled': 3,
    });
    // A log longer than the 4 KB tail with the REPORT line cut off gives no figures.
    fake.seed('chatty', { invoke: { reportLine: 'cut', logLines: ['x'.repeat(5000)] } });
    const chatty = await target.measure(session, 'chatty', options(2, 1));
    expect(chatty.failures).toEqual({ 'no REPORT line': 2 });
    expect(chatty.coldStartMs).toEqual([]);
  });

  it('throttling is retried by the SDK; a request still throttled after its attempts counts as throttled', async () => {
    fake.seed('hot');
    fake.failNext('Invoke', 429, undefined, 2); // retried, then served
    fake.failNext('Invoke', 429, undefined, 3); // the next request exhausts its 3 attempts
    const samples = await target.measure(session, 'hot', options(3, 1));
    expect(samples.failures).toEqual({ throttled: 1 });
    expect(samples.coldStartMs).toHaveLength(1);
    expect(samples.serviceMs).toHaveLength(1);
    expect(fake.calls.filter((call) => call.operation === 'Invoke')).toHaveLength(7);
  });

  it('a qualifier with provisioned concurrency is served by initialized environments: no cold start', async () => {
    fake.seed('warm', { alias: { name: 'live', provisioned: 2 } });
    const qualified = await target.connect(fake.flags({ qualifier: 'live' }));
    try {
      const samples = await target.measure(qualified, 'warm', options(4, 2));
      expect(samples.coldStartMs).toEqual([]);
      expect(samples.serviceMs).toHaveLength(4);
      expect(samples.facts.qualifier).toBe('live');
      expect(fake.calls.filter((call) => call.operation === 'Invoke')[0]!.path).toBe(
        '/2015-03-31/functions/warm/invocations?Qualifier=live',
      );
    } finally {
      target.close(qualified);
    }
  });

  it('a function that does not exist is a MigrateError before any invocation', async () => {
    const error = await target.measure(session, 'ghost', options(5, 1)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MigrateError);
    expect((error as MigrateError).message).toMatch(/^lambda:GetFunctionConfiguration on ghost: not found/);
    expect(fake.calls.some((call) => call.operation === 'Invoke')).toBe(false);
  });
});
