import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { expect } from 'vitest';

/**
 * Compares text with a golden file. Goldens change only on purpose: `UPDATE_GOLDEN=1 npm test` rewrites
 * them, and the diff is reviewed like code.
 */
export function expectGolden(actual: string, goldenPath: string): void {
  if (process.env.UPDATE_GOLDEN === '1' || !existsSync(goldenPath)) {
    if (process.env.CI && !existsSync(goldenPath)) throw new Error(`golden file missing: ${goldenPath}`);
    mkdirSync(dirname(goldenPath), { recursive: true });
    writeFileSync(goldenPath, actual);
    return;
  }
  expect(actual, `differs from ${goldenPath}; run UPDATE_GOLDEN=1 npm test if the change is intended`).toBe(
    readFileSync(goldenPath, 'utf8'),
  );
}
