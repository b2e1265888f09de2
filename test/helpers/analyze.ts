import type { AnalyzeOptions } from '../../analyzers/analyze.ts';

/** Options for `analyzePaths` in tests: no kubectl or helm, no stdin, the kubectl default namespace. */
export function analyzeOptions(overrides: Partial<AnalyzeOptions> = {}): AnalyzeOptions {
  return {
    maxFileBytes: 16 * 1024 * 1024,
    maxAliasCount: 100,
    which: () => null,
    readStdin: async () => '',
    defaultNamespace: 'default',
    sloMs: null,
    version: 'test',
    ...overrides,
  };
}
