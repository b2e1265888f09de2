import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { KIND_READERS } from '../analyzers/kinds/index.ts';
import { RULES } from '../analyzers/rules/index.ts';
import { kindsPage, rulesPage } from '../tools/gen-docs.ts';
import { repoRoot } from './helpers/paths.ts';

const read = (path: string) => readFileSync(`${repoRoot}${path}`, 'utf8');

describe('docs stay in step with the code', () => {
  it('docs/kinds.md and docs/rules.md are generated from the current metadata (npm run docs)', () => {
    expect(read('docs/kinds.md')).toBe(kindsPage());
    expect(read('docs/rules.md')).toBe(rulesPage());
  });

  it('every kind reader file is registered, and its id is its file name', () => {
    const files = readdirSync(`${repoRoot}analyzers/kinds`).filter(
      (file) =>
        file.endsWith('.ts') && !file.endsWith('.test.ts') && !['index.ts', 'types.ts'].includes(file),
    );
    expect(KIND_READERS.map((reader) => `${reader.id}.ts`).sort()).toEqual(files.sort());
  });

  it('every rule file is registered, and its id is its file name', () => {
    const helpers = ['index.ts', 'types.ts', 'format.ts', 'test-helpers.ts'];
    const files = readdirSync(`${repoRoot}analyzers/rules`).filter(
      (file) => file.endsWith('.ts') && !file.endsWith('.test.ts') && !helpers.includes(file),
    );
    expect(RULES.map((rule) => `${rule.id}.ts`).sort()).toEqual(files.sort());
  });

  it('every verb has a page in docs/', async () => {
    const { stdout } = await import('./helpers/cli.ts').then(({ runCli }) => runCli(['--help']));
    const verbs = [...stdout.matchAll(/^ {2}([a-z-]+) {2,}/gm)].map((match) => match[1]);
    expect(verbs.length).toBeGreaterThan(0);
    for (const verb of verbs) expect(read(`docs/${verb}.md`)).toMatch(new RegExp(`migrate ${verb}`));
  });
});
