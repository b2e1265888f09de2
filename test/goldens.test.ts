import { describe, it } from 'vitest';
import { runCli } from './helpers/cli.ts';
import { expectGolden } from './helpers/golden.ts';
import { repoRoot } from './helpers/paths.ts';

/** The bundled example, analysed in each output format: what a user sees, reviewed as files. */
describe('migrate analyze examples/k8s (goldens)', () => {
  it.each([
    ['table', 'analyze-examples.txt'],
    ['json', 'analyze-examples.json'],
    ['md', 'analyze-examples.md'],
  ])('--format %s', async (format, golden) => {
    const { stdout } = await runCli(['analyze', 'examples/k8s', '--format', format]);
    expectGolden(stdout, `${repoRoot}test/goldens/${golden}`);
  });
});
