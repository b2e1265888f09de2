import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.ts';
import { type FakeArm, startFakeArm, useAzureEnv } from './helpers/fake-arm.ts';

/**
 * The three cloud verbs end to end through the CLI, against the real App Service SDK and
 * DefaultAzureCredential (signing in at a local managed-identity endpoint) and a local ARM over TLS:
 * convert → apply (dry run, then --yes through the long-running operation) → verify (in sync, then
 * drift) → measure. One fake for the file: MSAL keeps its managed-identity source per process.
 */

let out: string;
let fake: FakeArm;
let restoreEnv: () => void;
const WORKLOAD = 'ml-inferenceservice-fraud-scoring';

beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'migrate-cloud-azure-'));
  const converted = await runCli(['convert', 'examples/k8s', '--out', out, '--target', 'azure-functions']);
  expect(converted.code, converted.stderr).toBe(0);
  fake = await startFakeArm({ asyncPolls: 1 });
  restoreEnv = useAzureEnv(fake.env);
});
afterAll(async () => {
  restoreEnv();
  await fake.close();
  await rm(out, { recursive: true, force: true });
});

/** Runs a cloud verb, and checks that nothing it printed holds the bearer token the chain obtained. */
async function cloud(verb: string, ...rest: string[]) {
  const result = await runCli([
    verb,
    '--target',
    'azure-functions',
    '--endpoint',
    fake.endpoint,
    '--ca-file',
    fake.caFile,
    '--resource-group',
    fake.resourceGroup,
    '--region',
    'westeurope',
    ...rest,
  ]);
  expect(result.stdout + result.stderr).not.toContain(fake.token);
  return result;
}

describe('migrate apply, verify, measure on azure-functions', () => {
  it('apply: a dry run only reads; --yes creates plan and app; verify finds them in sync; measure; drift exits 1', async () => {
    const dry = await cloud('apply', '--config-dir', out, '--workload', WORKLOAD);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('would call web.serverfarms.createOrUpdate');
    expect(dry.stdout).toContain('would call web.sites.createOrUpdate');
    expect(dry.stdout).toContain('not applied: Microsoft.Storage/storageAccounts');
    expect(fake.calls.every((call) => call.method === 'GET')).toBe(true);

    const applied = await cloud('apply', '--config-dir', out, '--workload', WORKLOAD, '--yes');
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toContain('made 2 call(s) for 1 workload(s)');
    expect(fake.calls.map((call) => call.operation)).toContain('web.operations.get');
    expect(fake.calls.some((call) => call.method === 'DELETE')).toBe(false);

    const verified = await cloud('verify', '--config-dir', out, '--workload', WORKLOAD, '--fail-on', 'any');
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
    expect(verified.stdout).toMatch(/ml-fraud-scoring {2}\(ml\/InferenceService\/fraud-scoring\) {2}in sync/);
    expect(verified.stdout).toMatch(/warmInstances\s+1\s+1/);

    // measure: with an always-ready instance there is no cold start to see, and the file says why
    const file = join(out, 'azure.json');
    const measured = await cloud(
      'measure',
      '--name',
      'ml-fraud-scoring',
      '--requests',
      '6',
      '--concurrency',
      '2',
      '--out',
      file,
    );
    expect(measured.code, measured.stderr).toBe(0);
    const calibration = JSON.parse(await readFile(file, 'utf8'));
    expect(calibration.coldStartMs).toBeUndefined();
    expect(calibration.serviceMs.samples).toHaveLength(6);
    expect(calibration.source.method).toMatch(/always-ready/);
    expect(JSON.stringify(calibration)).not.toMatch(/x-functions-key|masterKey/);

    // someone lowers the always-ready instances in the portal
    const site = fake.site('ml-fraud-scoring')!;
    const scale = (
      (site.properties as Record<string, unknown>).functionAppConfig as {
        scaleAndConcurrency: { alwaysReady: { name: string; instanceCount: number }[] };
      }
    ).scaleAndConcurrency;
    scale.alwaysReady = [{ name: 'http', instanceCount: 0 }];
    const drifted = await cloud('verify', '--config-dir', out, '--workload', WORKLOAD, '--fail-on', 'drift');
    expect(drifted.code).toBe(1);
    const template = join(out, WORKLOAD, 'azure-functions', 'azuredeploy.json');
    expect(drifted.stdout).toMatch(new RegExp(`✗ warmInstances\\s+1\\s+0\\s+← ${template}:\\d+ `));
    const line = Number(new RegExp(`${template}:(\\d+) `).exec(drifted.stdout)![1]);
    expect((await readFile(template, 'utf8')).split('\n')[line - 1]).toMatch(/instanceCount|alwaysReady/);
  });
});
