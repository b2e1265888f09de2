import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.ts';
import { type FakeLambda, startFakeLambda, useAwsEnv } from './helpers/fake-lambda.ts';

/**
 * The three cloud verbs end to end through the CLI, against the real Lambda SDK and the local Lambda
 * API: convert → apply (dry run, then --yes) → verify (in sync, then drift) → measure → replay with
 * the measured calibration.
 */

let out: string;
let fake: FakeLambda;
let restoreEnv: () => void;
const IMAGE = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/fraud-scoring:lambda';
const ROLE = 'arn:aws:iam::123456789012:role/inference';
const WORKLOAD = 'ml-inferenceservice-fraud-scoring';

beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'migrate-cloud-lambda-'));
  const converted = await runCli(['convert', 'examples/k8s', '--out', out, '--target', 'aws-lambda']);
  expect(converted.code, converted.stderr).toBe(0);
});
afterAll(() => rm(out, { recursive: true, force: true }));
beforeEach(async () => {
  fake = await startFakeLambda({ settlePolls: 1 });
  restoreEnv = useAwsEnv(fake.env);
});
afterEach(async () => {
  restoreEnv();
  await fake.close();
});

/** Runs a cloud verb, and checks that nothing it printed holds the credentials the chain supplied. */
async function cloud(verb: string, ...rest: string[]) {
  const result = await runCli([verb, '--target', 'aws-lambda', '--endpoint', fake.endpoint, ...rest]);
  for (const secret of [fake.env.AWS_SECRET_ACCESS_KEY, fake.env.AWS_SESSION_TOKEN].filter(Boolean))
    expect(result.stdout + result.stderr).not.toContain(secret);
  return result;
}

const MUTATING = /^(Create|Update|Put|Publish|Delete)/;

describe('migrate apply, verify, measure on aws-lambda', () => {
  it('dry run reads and prints the calls, makes none; --yes makes them; verify then finds it in sync', async () => {
    const dry = await cloud(
      'apply',
      '--config-dir',
      out,
      '--workload',
      WORKLOAD,
      '--role',
      ROLE,
      '--image',
      IMAGE,
    );
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('ml-fraud-scoring (ml/InferenceService/fraud-scoring): not deployed');
    expect(dry.stdout).toContain('would call lambda:CreateFunction');
    expect(dry.stdout).toContain('would call lambda:PutProvisionedConcurrencyConfig');
    expect(dry.stdout).toMatch(
      /dry run: nothing changed\. Run again with --yes to make these \d+ call\(s\)\./,
    );
    expect(fake.calls.filter((call) => MUTATING.test(call.operation))).toEqual([]);
    expect(fake.fn('ml-fraud-scoring')).toBeUndefined();

    const applied = await cloud(
      'apply',
      '--config-dir',
      out,
      '--workload',
      WORKLOAD,
      '--role',
      ROLE,
      '--image',
      IMAGE,
      '--yes',
      '--format',
      'json',
    );
    expect(applied.code, applied.stderr).toBe(0);
    const summary = JSON.parse(applied.stdout);
    expect(summary.dryRun).toBe(false);
    expect(summary.results[0].calls.every((call: { status: string }) => call.status === 'done')).toBe(true);
    const fn = fake.fn('ml-fraud-scoring')!;
    expect([fn.memoryMb, fn.timeoutSeconds, fn.reserved, fn.imageUri]).toEqual([1024, 30, 160, IMAGE]);
    expect(fn.provisioned.get('live')?.requested).toBe(1);
    expect(fake.calls.some((call) => call.operation.startsWith('Delete'))).toBe(false);

    const verified = await cloud(
      'verify',
      '--config-dir',
      out,
      '--workload',
      WORKLOAD,
      '--format',
      'json',
      '--fail-on',
      'any',
    );
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
    const report = JSON.parse(verified.stdout);
    expect(report.summary).toMatchObject({ workloads: 1, inSync: 1, drifted: 0, notDeployed: 0 });

    const again = await cloud(
      'apply',
      '--config-dir',
      out,
      '--workload',
      WORKLOAD,
      '--role',
      ROLE,
      '--image',
      IMAGE,
    );
    expect(again.stdout).toContain('already matches, nothing to do');
  });

  it('verify names each drifted setting with the template line it came from, and --fail-on drift exits 1', async () => {
    fake.seed('ml-fraud-scoring', {
      imageUri: IMAGE,
      memoryMb: 512,
      timeoutSeconds: 30,
      reserved: 160,
      alias: { name: 'live', provisioned: 0 },
    });
    const result = await cloud('verify', '--config-dir', out, '--fail-on', 'drift');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--fail-on: drift met');
    const template = await readFile(join(out, WORKLOAD, 'aws-lambda', 'template.yaml'), 'utf8');
    const memoryLine = template.split('\n').findIndex((line) => /^\s+MemorySize: 1024$/.test(line)) + 1;
    expect(result.stdout).toContain(`✗ memoryMb`);
    expect(result.stdout).toContain(`template.yaml:${memoryLine} `);
    expect(result.stdout).toMatch(/✗ warmInstances\s+1\s+0/);
    // the other two converted functions are not deployed; the blocked one is listed, not dropped
    expect(result.stdout).toContain('NOT DEPLOYED');
    expect(result.stdout).toMatch(/skipped ml-deployment-llm-chat: blocked for aws-lambda by the analysis/);
    expect(result.stdout).toMatch(/3 workload\(s\): 0 in sync, 1 drifted .*, 2 not deployed; 1 skipped/);
  });

  it('measure writes a calibration file replay reads', async () => {
    fake.seed('ml-fraud-scoring', {
      imageUri: IMAGE,
      memoryMb: 1024,
      invoke: { durationMs: 12.34, initDurationMs: 230.51 },
    });
    const file = join(out, 'lambda-calibration.json');
    const measured = await cloud(
      'measure',
      '--name',
      'ml-fraud-scoring',
      '--requests',
      '12',
      '--concurrency',
      '4',
      '--out',
      file,
    );
    expect(measured.code, measured.stderr).toBe(0);
    expect(measured.stderr).toContain(
      'ml-fraud-scoring: 4 cold start(s) p50 230.51 ms p99 230.51 ms; 8 warm request(s)',
    );
    const calibration = JSON.parse(await readFile(file, 'utf8'));
    expect(calibration.coldStartMs).toEqual({ p50: 230.51, p99: 230.51 });
    expect(calibration.serviceMs.samples).toEqual(Array(8).fill(12.34));
    expect(calibration.measuredAtCpuMillis).toBe(579);
    expect(fake.calls.filter((call) => call.operation === 'Invoke')).toHaveLength(12);

    const replay = await runCli([
      'replay',
      'examples/k8s',
      '--workload',
      'ml/InferenceService/fraud-scoring',
      '--targets',
      'aws-lambda',
      '--spike',
      'constant',
      '--calibration',
      file,
      '--format',
      'json',
    ]);
    expect(replay.code, replay.stderr).toBe(0);
    expect(replay.stdout).toContain('lambda-calibration.json');
  });

  it('says how to give credentials when the chain finds none', async () => {
    restoreEnv();
    restoreEnv = useAwsEnv({
      AWS_REGION: 'eu-west-1',
      AWS_CONFIG_FILE: '/nonexistent',
      AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
      AWS_EC2_METADATA_DISABLED: 'true',
    });
    const result = await cloud('verify', '--config-dir', out);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/credential/i);
    expect(result.stderr).toMatch(/hint: /);
  });
});

describe('migrate measure flags', () => {
  it('refuses a flag the target has no use for instead of ignoring it', async () => {
    const lambda = await runCli(['measure', '--target', 'aws-lambda', '--name', 'f', '--path', '/predict']);
    expect(lambda.code).toBe(2);
    expect(lambda.stderr).toContain('--path is for HTTP targets');
    const run = await runCli(['measure', '--target', 'cloud-run', '--name', 's', '--qualifier', 'live']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--qualifier is for aws-lambda');
    const many = await runCli([
      'measure',
      '--target',
      'aws-lambda',
      '--name',
      'f',
      '--requests',
      '2',
      '--concurrency',
      '3',
    ]);
    expect(many.code).toBe(2);
    expect(many.stderr).toContain('--concurrency 3 is more than --requests 2');
  });
});
