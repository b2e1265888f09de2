/** Shared by this target's tests: real converted examples and flags for the fake ARM server. */

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../test/helpers/cli.ts';
import { readOptional } from '../config-dir.ts';
import type { CloudFlags, DesiredConfig } from '../types.ts';
import { readAzureDesired } from './desired.ts';

export const FRAUD = 'ml-inferenceservice-fraud-scoring';
export const EMBEDDINGS = 'ml-deployment-embeddings-worker';
export const TRITON = 'ml-statefulset-vision-triton';
export const LLM = 'ml-deployment-llm-chat';

/** `migrate convert examples/k8s --target azure-functions` into a temporary folder. */
export async function convertExamples(): Promise<{
  out: string;
  folder(slug: string): string;
  cleanup(): Promise<void>;
}> {
  const out = await mkdtemp(join(tmpdir(), 'migrate-azure-'));
  const result = await runCli(['convert', 'examples/k8s', '--out', out, '--target', 'azure-functions']);
  if (result.code !== 0) throw new Error(`convert failed: ${result.stderr}`);
  return {
    out,
    folder: (slug) => join(out, slug, 'azure-functions'),
    cleanup: () => rm(out, { recursive: true, force: true }),
  };
}

export function readDesired(folder: string): Promise<DesiredConfig> {
  return readAzureDesired(folder, readOptional);
}

/** The line a source (`path:line (pointer)`) points at. */
export async function lineAt(source: string): Promise<string> {
  const match = /^(.*):(\d+) \(/.exec(source);
  if (!match) throw new Error(`no line in ${source}`);
  return (await readFile(match[1]!, 'utf8')).split('\n')[Number(match[2]) - 1]!;
}

export function azureFlags(overrides: Partial<CloudFlags> = {}): CloudFlags {
  return {
    region: null,
    project: null,
    subscription: '00000000-0000-0000-0000-0000000000a1',
    resourceGroup: 'rg-migrate',
    endpoint: null,
    caFile: null,
    requestTimeoutMs: 10_000,
    extra: {},
    ...overrides,
  };
}
