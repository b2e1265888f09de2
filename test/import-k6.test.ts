/** k6 is not installed here: the fixture is hand-written from k6's documented --summary-export shape. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ImportedK6Results } from '../loadtests/k6/import.ts';
import { runCli } from './helpers/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'migrate-import-k6-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('migrate import-k6', () => {
  it('writes live run results from a summary export', async () => {
    const file = join(dir, 'summary.json');
    writeFileSync(
      file,
      JSON.stringify({
        metrics: {
          http_req_duration: { avg: 12, min: 1, med: 10, max: 90, 'p(90)': 20, 'p(95)': 30, 'p(99)': 80 },
          http_reqs: { count: 50, rate: 5 },
          http_req_failed: { passes: 0, fails: 50, value: 0 },
          iterations: { count: 50, rate: 5 },
        },
      }),
    );
    const out = join(dir, 'live.json');
    const { code, stderr } = await runCli(['import-k6', file, '--target', 'aws-lambda', '--out', out]);
    expect(code, stderr).toBe(0);
    expect(stderr).toMatch(/wrote .*1 run/);
    const results = JSON.parse(readFileSync(out, 'utf8')) as ImportedK6Results;
    expect(results.kind).toBe('live');
    expect(results.runs[0]).toMatchObject({
      target: 'aws-lambda',
      requests: { total: 50, served: 50, failed: 0, dropped: 0, timedOut: 0 },
      latencyMs: { p50: 10, p99: 80 },
    });
  });

  it('a missing file and a file that is not k6 output exit 2 with a hint', async () => {
    const missing = await runCli(['import-k6', join(dir, 'nope.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no such file/);
    const other = join(dir, 'other.json');
    writeFileSync(other, '{"kind": "something else"}');
    const wrong = await runCli(['import-k6', other]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/hint: give the file of `k6 run --summary-export/);
  });
});
