/**
 * `migrate verify`, `apply` (dry run) and `measure` with --target cloud-run, end to end through the CLI
 * against the fake API, credentials from the default chain (process.env, as the SDK reads it).
 */

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli as runCliUnchecked } from './helpers/cli.ts';
import { applyEnv, type FakeCloudRun, startFakeCloudRun } from './helpers/fake-cloud-run.ts';

let out: string;
let fake: FakeCloudRun;
let restore: () => void;

beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'cloud-run-cli-'));
  const result = await runCliUnchecked(['convert', 'examples/k8s', '--out', out, '--target', 'cloud-run']);
  expect(result.code, result.stderr).toBe(0);
});

afterAll(async () => {
  await rm(out, { recursive: true, force: true });
});

beforeEach(async () => {
  fake = await startFakeCloudRun({ coldStartMs: 300, serviceMs: 20 });
  restore = applyEnv(fake.env);
});

afterEach(async () => {
  restore();
  expect(fake.unexpected).toEqual([]);
  await fake.close();
});

/** Runs the CLI, and checks that nothing it printed holds the access token the chain obtained. */
async function runCli(argv: string[]) {
  const result = await runCliUnchecked(argv);
  expect(result.stdout + result.stderr).not.toContain(fake.metadata.accessToken);
  return result;
}

const where = () => ['--target', 'cloud-run', '--region', fake.region, '--endpoint', fake.endpoint];

describe('migrate verify / apply / measure --target cloud-run', () => {
  it('verify reports drift with the line it came from, and the services not deployed', async () => {
    fake.seed('ml-fraud-scoring', {
      template: {
        scaling: { minInstanceCount: 0, maxInstanceCount: 20 },
        maxInstanceRequestConcurrency: 8,
        timeout: '30s',
        containers: [
          {
            image: 'europe-west4-docker.pkg.dev/fake-project/ml/fraud-scoring:cloud-run',
            resources: { limits: { cpu: '1', memory: '2Gi' } },
          },
        ],
      },
    });
    const result = await runCli(['verify', ...where(), '--config-dir', out, '--format', 'json']);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as {
      results: { name: string; findings: { kind: string; field: string | null; source: string }[] }[];
    };
    const byName = Object.fromEntries(report.results.map((entry) => [entry.name, entry.findings]));
    expect(byName['ml-fraud-scoring']!.map((finding) => finding.field)).toEqual(['warmInstances']);
    expect(byName['ml-fraud-scoring']![0]!.source).toMatch(
      /ml-inferenceservice-fraud-scoring\/cloud-run\/service\.yaml:\d+ \(spec\.template\.metadata\.annotations\["autoscaling\.knative\.dev\/minScale"\]\)$/,
    );
    for (const name of ['ml-embeddings-worker', 'ml-llm-chat', 'ml-vision-triton'])
      expect(byName[name]!.map((finding) => finding.kind)).toEqual(['not-deployed']);
  });

  it('apply without --yes prints the calls and what it will not set, and changes nothing', async () => {
    const result = await runCli(['apply', ...where(), '--config-dir', out]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.match(/would call run\.services\.create/g)).toHaveLength(4);
    expect(result.stdout).toContain('parent":"projects/fake-project/locations/europe-west4"');
    expect(result.stdout).toContain('not applied: Secret Manager secret ml-hf-token-token (version latest)');
    expect(result.stdout).toContain('dry run: nothing changed');
    expect(fake.calls.map((call) => call.operation)).toEqual(Array(4).fill('GetService'));
  });

  it('apply --yes creates the service through the long-running operation; verify then finds it in sync', async () => {
    const workload = ['--workload', 'ml-inferenceservice-fraud-scoring'];
    const applied = await runCli(['apply', ...where(), '--config-dir', out, ...workload, '--yes']);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toContain('calling run.services.create');
    expect(applied.stdout).toContain('made 1 call(s) for 1 workload(s)');
    expect(fake.calls.map((call) => call.operation)).toContain('GetOperation');
    const verified = await runCli([
      'verify',
      ...where(),
      '--config-dir',
      out,
      ...workload,
      '--fail-on',
      'any',
    ]);
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
    expect(verified.stdout).toContain('1 workload(s): 1 in sync, 0 drifted');
    const again = await runCli(['apply', ...where(), '--config-dir', out, ...workload]);
    expect(again.stdout).toContain('already matches, nothing to do');
  });

  it('measure writes a calibration with the cold starts it saw', async () => {
    fake.seed('model', {
      template: {
        containers: [{ image: 'gcr.io/fake-project/model:1', resources: { limits: { cpu: '1' } } }],
      },
    });
    const result = await runCli([
      'measure',
      ...where(),
      '--name',
      'model',
      '--requests',
      '8',
      '--concurrency',
      '4',
    ]);
    expect(result.code, result.stderr).toBe(0);
    const calibration = JSON.parse(result.stdout) as {
      coldStartMs: { p50: number; p99: number };
      serviceMs: { samples: number[] };
      measuredAtCpuMillis: number;
      source: Record<string, unknown>;
    };
    expect(calibration.coldStartMs.p50).toBeGreaterThanOrEqual(250);
    expect(calibration.coldStartMs.p50).toBeLessThanOrEqual(450);
    expect(calibration.serviceMs.samples).toHaveLength(4);
    expect(calibration.measuredAtCpuMillis).toBe(1000);
    expect(calibration.source).toMatchObject({ target: 'cloud-run', coldStarts: 4, uri: fake.serviceUri });
  });
});
