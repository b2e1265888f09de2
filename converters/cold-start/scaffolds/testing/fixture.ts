/**
 * Test fixture for the scaffolds: the tiny model written into a throwaway "object store" folder, a
 * separate disk-cache folder, and the environment the templates read, restored afterwards.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect } from 'vitest';
import { encodeLinearModel, type LinearModel, linearReference, TINY_MODEL } from './tiny-onnx.ts';

const ENV_KEYS = ['MODEL_URI', 'MODEL_CACHE_DIR', 'PORT', 'HOST', 'ORT_INTRA_OP_THREADS'] as const;

export interface ModelFixture {
  root: string;
  /** The "object store": where MODEL_URI points. */
  modelFile: string;
  modelUri: string;
  cacheDir: string;
  cleanup(): void;
}

export function createModelFixture(model: LinearModel = TINY_MODEL): ModelFixture {
  const root = mkdtempSync(path.join(tmpdir(), 'migrate-scaffold-'));
  const modelFile = path.join(root, 'store', 'model.onnx');
  writeModel(modelFile, model);
  const modelUri = pathToFileURL(modelFile).href;
  const cacheDir = path.join(root, 'cache');
  const saved = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));
  process.env.MODEL_URI = modelUri;
  process.env.MODEL_CACHE_DIR = cacheDir;
  return {
    root,
    modelFile,
    modelUri,
    cacheDir,
    cleanup() {
      for (const k of ENV_KEYS) {
        if (saved[k] === undefined) delete process.env[k];
        else process.env[k] = saved[k];
      }
      rmSync(root, { recursive: true, force: true });
    },
  };
}

export function writeModel(file: string, model: LinearModel = TINY_MODEL): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, encodeLinearModel(model));
}

/** Deterministic, varied batches (1 to 3 rows) so each invocation checks different numbers. */
export function batch(i: number): number[][] {
  const rows = (i % 3) + 1;
  return Array.from({ length: rows }, (_, r) =>
    Array.from({ length: 4 }, (_, c) => ((i * 7 + r * 5 + c * 3) % 11) / 4 - 1.25),
  );
}

/** float32 inference against a float64 reference. */
export function expectPredictions(
  actual: unknown,
  inputs: number[][],
  model: LinearModel = TINY_MODEL,
): void {
  const expected = linearReference(inputs, model);
  expect(Array.isArray(actual)).toBe(true);
  const rows = actual as number[][];
  expect(rows).toHaveLength(expected.length);
  for (const [r, row] of rows.entries()) {
    expect(row).toHaveLength(expected[r]!.length);
    for (const [c, v] of row.entries()) expect(v).toBeCloseTo(expected[r]![c]!, 5);
  }
}
