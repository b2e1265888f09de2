import { readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { RULES } from './index.ts';

const here = dirname(fileURLToPath(import.meta.url));
const files = readdirSync(here);

describe('rule registry', () => {
  it('registers every rule file once, under an id equal to its file name', () => {
    const ruleFiles = files
      .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
      .map((file) => file.replace(/\.ts$/, ''))
      .filter((name) => !['index', 'types', 'format', 'test-helpers'].includes(name));
    const ids = RULES.map((rule) => rule.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ruleFiles.sort());
  });

  it('gives every rule a test file beside it', () => {
    for (const rule of RULES) expect(files).toContain(`${rule.id}.test.ts`);
  });
});
