import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MigrateError } from '../../core/errors.ts';
import {
  type FakeLambda,
  fastLambdaOptions,
  startFakeLambda,
  useAwsEnv,
} from '../../test/helpers/fake-lambda.ts';
import { createAwsLambdaTarget } from './index.ts';

const target = createAwsLambdaTarget(fastLambdaOptions(3));
let fake: FakeLambda;
let restoreEnv: (() => void) | null = null;
let dir: string | null = null;

beforeEach(async () => {
  fake = await startFakeLambda({ region: 'us-east-2' });
  fake.seed('fn');
});
afterEach(async () => {
  restoreEnv?.();
  restoreEnv = null;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = null;
  await fake.close();
});

async function connectError(
  env: Record<string, string>,
  extra: Partial<ReturnType<FakeLambda['flags']>> = {},
) {
  restoreEnv = useAwsEnv(env);
  const error = await target.connect({ ...fake.flags(), ...extra }).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(MigrateError);
  return error as MigrateError;
}

describe('connect: region and credentials from the SDK default chain', () => {
  it('no credentials anywhere in the chain: a MigrateError that explains the chain, before any call', async () => {
    const { AWS_ACCESS_KEY_ID: _key, AWS_SECRET_ACCESS_KEY: _secret, ...rest } = fake.env;
    const error = await connectError(rest);
    expect(error.message).toMatch(/^AWS credentials: none found in the SDK's default chain/);
    expect(error.hint).toMatch(/aws configure/);
    expect(error.hint).toMatch(/AWS_PROFILE/);
    expect(error.hint).toMatch(/AWS_ACCESS_KEY_ID/);
    expect(fake.calls).toEqual([]);
  });

  it('no region: says where a region comes from', async () => {
    const { AWS_REGION: _region, ...rest } = fake.env;
    const error = await connectError(rest);
    expect(error.hint).toMatch(/--region/);
    expect(error.hint).toMatch(/AWS_REGION/);
  });

  it('a profile in the shared credentials file (AWS_PROFILE) is found by the chain', async () => {
    dir = mkdtempSync(join(tmpdir(), 'migrate-aws-profile-'));
    writeFileSync(
      join(dir, 'credentials'),
      `[migrate-test]\naws_access_key_id = ${fake.accessKeyId}\naws_secret_access_key = profile-secret\n`,
    );
    writeFileSync(join(dir, 'config'), '[profile migrate-test]\nregion = us-east-2\n');
    restoreEnv = useAwsEnv({
      AWS_PROFILE: 'migrate-test',
      AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
      AWS_CONFIG_FILE: join(dir, 'config'),
      AWS_EC2_METADATA_DISABLED: 'true',
    });
    const session = await target.connect(fake.flags());
    try {
      expect(session.region).toBe('us-east-2');
      expect((await target.readLive(session, 'fn'))?.name).toBe('fn');
    } finally {
      target.close(session);
    }
  });

  it('--region overrides the chain: the request is signed for it', async () => {
    restoreEnv = useAwsEnv({ ...fake.env, AWS_REGION: 'eu-central-1' });
    const session = await target.connect({ ...fake.flags(), region: 'us-east-2' });
    try {
      expect((await target.readLive(session, 'fn'))?.facts.region).toBe('us-east-2');
      expect(fake.calls[0]!.headers.authorization).toContain('/us-east-2/lambda/aws4_request');
    } finally {
      target.close(session);
    }
  });

  it('credentials Lambda does not recognise: a MigrateError that neither prints them nor blames permissions', async () => {
    restoreEnv = useAwsEnv({ ...fake.env, AWS_ACCESS_KEY_ID: 'AKIAUNKNOWNKEY000000' });
    const session = await target.connect(fake.flags());
    try {
      const error = (await target.readLive(session, 'fn').catch((caught: unknown) => caught)) as MigrateError;
      expect(error).toBeInstanceOf(MigrateError);
      expect(error.message).toMatch(/credentials were rejected \(UnrecognizedClientException\)/);
      expect(`${error.message} ${error.hint}`).not.toContain(fake.env.AWS_SECRET_ACCESS_KEY);
    } finally {
      target.close(session);
    }
  });
});
