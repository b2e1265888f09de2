import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../test/helpers/cli.ts';
import { listTargetFolders } from './config-dir.ts';
import type { CloudTarget } from './types.ts';

const lambda = { id: 'aws-lambda', configFile: 'template.yaml' } as CloudTarget;
let out: string;

beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'migrate-config-dir-'));
  const result = await runCli(['convert', 'examples/k8s', '--out', out, '--target', 'aws-lambda']);
  expect(result.code, result.stderr).toBe(0);
});
afterAll(() => rm(out, { recursive: true, force: true }));

describe('listTargetFolders', () => {
  it('finds each converted workload and lists the blocked ones as skipped with the reason', async () => {
    const listing = await listTargetFolders(out, lambda);
    expect(listing.folders.map((f) => f.slug)).toEqual([
      'ml-deployment-embeddings-worker',
      'ml-inferenceservice-fraud-scoring',
      'ml-statefulset-vision-triton',
    ]);
    expect(listing.skipped.map((s) => s.slug)).toEqual(['ml-deployment-llm-chat']);
    expect(listing.skipped[0]!.reason).toMatch(
      /^blocked for aws-lambda by the analysis: gpu-required: needs 1 nvidia.com\/gpu/,
    );
  });

  it('takes one workload folder, or its target folder, as well as the whole output', async () => {
    const workload = join(out, 'ml-inferenceservice-fraud-scoring');
    for (const dir of [workload, join(workload, 'aws-lambda')]) {
      const listing = await listTargetFolders(dir, lambda);
      expect(listing.folders).toEqual([
        { folder: join(workload, 'aws-lambda'), slug: 'ml-inferenceservice-fraud-scoring' },
      ]);
    }
  });

  it('says what it expected when the folder holds nothing for the target', async () => {
    await expect(
      listTargetFolders(out, { id: 'cloud-run', configFile: 'service.yaml' } as CloudTarget),
    ).rejects.toThrow(/nothing converted for cloud-run/);
    await expect(listTargetFolders(join(out, 'nope'), lambda)).rejects.toThrow(/no such folder/);
  });
});
