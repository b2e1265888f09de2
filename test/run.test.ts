import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runCli } from './helpers/cli.ts';
import { expectGolden } from './helpers/golden.ts';
import { repoRoot } from './helpers/paths.ts';

const addFormats = addFormatsModule.default;
const goldens = `${repoRoot}test/goldens/report/`;

/** The examples under four minutes of the bundled trace around its spike, with two thresholds to violate. */
const RUN_ARGS = [
  'examples/k8s',
  '--traffic',
  'examples/traces/azure-llm-code-first-20min.csv',
  '--service-ms',
  'lognormal:p50=200,p99=2000',
  '--service-ms',
  'ml/Deployment/llm-chat=lognormal:p50=800,p99=9000',
  '--pod-concurrency',
  'ml/Deployment/llm-chat=8',
  '--window',
  '13m..17m',
  '--fail-on',
  'p99_ms > 5000 and target == "aws-lambda"',
  '--fail-on',
  'timeouts > 0, cost_delta_pct > 100000',
];

let scratch: string;
const read = (dir: string, file: string) => readFileSync(join(scratch, dir, file), 'utf8');
let whole: Awaited<ReturnType<typeof runCli>>;
let merged: Awaited<ReturnType<typeof runCli>>;

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'migrate-run-'));
  // The whole run on two worker threads; the shards in-process: the reports must agree byte for byte.
  whole = await runCli(['run', ...RUN_ARGS, '--out', join(scratch, 'whole'), '--jobs', '2']);
  for (const shard of ['0/2', '1/2']) {
    const result = await runCli([
      'run',
      ...RUN_ARGS,
      '--out',
      join(scratch, 'sharded'),
      '--jobs',
      '1',
      '--shard',
      shard,
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`shard ${shard} done`);
  }
  merged = await runCli([
    'report',
    '--from',
    join(scratch, 'sharded'),
    ...RUN_ARGS.slice(RUN_ARGS.indexOf('--fail-on')),
  ]);
});

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('migrate run on the examples', () => {
  it('exits 1 because thresholds are violated, and says which on the terminal', () => {
    expect(whole.code, whole.stderr).toBe(1);
    expect(whole.stdout).toContain('FAIL  --fail-on timeouts > 0: ');
    expect(whole.stdout).toContain('ok    --fail-on cost_delta_pct > 100000');
    expect(whole.stderr).toMatch(/replay: 20 run\(s\) of 4 workload\(s\) × 5 target\(s\) on 2 thread\(s\)/);
  });

  it('writes every stage under --out', () => {
    const dir = join(scratch, 'whole');
    for (const file of [
      'analysis.json',
      'shards/0-of-1.json',
      'replay/ml-deployment-llm-chat.json',
      'configs/ml-deployment-llm-chat/conversions.json',
      'configs/ml-inferenceservice-fraud-scoring/aws-lambda/template.yaml',
      'configs/ml-deployment-llm-chat/aws-lambda/MIGRATION.md',
      'report.md',
      'report.html',
      'report.json',
      'report.junit.xml',
    ])
      expect(existsSync(join(dir, file)), file).toBe(true);
    const replay = JSON.parse(read('whole', 'replay/ml-deployment-llm-chat.json'));
    expect(replay.settings.serviceTime).toBe('lognormal:p50=800,p99=9000 (--service-ms)');
  });

  it('matches the goldens (Markdown, JSON, JUnit)', () => {
    expectGolden(read('whole', 'report.md'), `${goldens}examples.md`);
    expectGolden(read('whole', 'report.json'), `${goldens}examples.json`);
    expectGolden(read('whole', 'report.junit.xml'), `${goldens}examples.junit.xml`);
  });

  it('gives byte-identical reports from two shards merged by migrate report --from', () => {
    expect(merged.code, merged.stderr).toBe(1);
    for (const file of ['report.json', 'report.md', 'report.junit.xml', 'report.html', 'analysis.json'])
      expect(read('sharded', file), file).toBe(read('whole', file));
    const shards = [0, 1].map((index) => JSON.parse(read('sharded', `shards/${index}-of-2.json`)).slice);
    expect(shards).toEqual([
      ['ml/Deployment/embeddings-worker', 'ml/InferenceService/fraud-scoring'],
      ['ml/Deployment/llm-chat', 'ml/StatefulSet/vision-triton'],
    ]);
  });

  it('writes JSON valid against docs/report.schema.json', () => {
    const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
    addFormats(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(`${repoRoot}docs/report.schema.json`, 'utf8')));
    const report = JSON.parse(read('whole', 'report.json'));
    expect(validate(report) ? [] : validate.errors).toEqual([]);
    expect(report.summary).toMatchObject({
      workloads: 4,
      rows: 20,
      thresholds: { checked: 3, violated: 2 },
      passed: false,
    });
  });

  it('lists each violated threshold in every format', () => {
    const expression = 'p99_ms > 5000 and target == "aws-lambda"';
    const report = JSON.parse(read('whole', 'report.json'));
    const violated = report.thresholds.find(
      (threshold: { expression: string }) => threshold.expression === expression,
    );
    expect(violated.violations.length).toBeGreaterThan(0);
    expect(read('whole', 'report.md')).toContain(`| ❌ | \`${expression}\` |`);
    const escaped = expression.replace(/>/g, '&gt;').replace(/"/g, '&quot;');
    expect(read('whole', 'report.html')).toContain(`<code>${escaped}</code>`);
    const junit = read('whole', 'report.junit.xml');
    expect(junit).toContain(`name="fail-on: ${escaped}"`);
    const failures = report.thresholds.reduce(
      (sum: number, threshold: { violations: unknown[] }) => sum + threshold.violations.length,
      0,
    );
    expect(junit).toMatch(new RegExp(`<testsuites name="migrate" tests="60" failures="${failures}"`));
  });

  it('carries no clock unless --now is given', async () => {
    expect(read('whole', 'report.json')).not.toContain('generatedAt');
    expect(read('whole', 'report.junit.xml')).not.toContain('timestamp=');
    const result = await runCli([
      'report',
      '--from',
      join(scratch, 'whole'),
      '--out',
      join(scratch, 'stamped'),
      '--now',
      '2026-05-01T12:00:00Z',
      '-f',
      'json,junit',
    ]);
    expect(result.code).toBe(0);
    expect(JSON.parse(read('stamped', 'report.json')).generatedAt).toBe('2026-05-01T12:00:00.000Z');
    expect(read('stamped', 'report.junit.xml')).toContain('timestamp="2026-05-01T12:00:00.000Z"');
  });

  it('shows what changed since a baseline', async () => {
    const previous = JSON.parse(read('whole', 'report.json'));
    const row = previous.results.find((entry: { verdict: string }) => entry.verdict === 'ok');
    row.monthlyCostUsd = 100;
    row.verdict = 'warn';
    writeFileSync(join(scratch, 'previous.json'), JSON.stringify(previous));
    const result = await runCli([
      'report',
      '--from',
      join(scratch, 'whole'),
      '--out',
      join(scratch, 'diff'),
      '--baseline',
      join(scratch, 'previous.json'),
      '-f',
      'md,json',
    ]);
    expect(result.code).toBe(0);
    const changes = JSON.parse(read('diff', 'report.json')).baseline.changes;
    expect(changes).toEqual([
      expect.objectContaining({
        workload: row.workload,
        target: row.target,
        change: 'changed',
        verdict: { before: 'warn', after: 'ok' },
      }),
    ]);
    expect(changes[0].monthlyCostUsd.before).toBe(100);
    expect(read('diff', 'report.md')).toContain(`### Since the baseline`);
    expect(read('diff', 'report.md')).toContain(`| ${row.workload} | ${row.target} | changed | warn → ok |`);
  });
});

describe('migrate run and report: errors and the Job', () => {
  it('refuses an unknown threshold field before running anything, naming it and the known ones', async () => {
    const result = await runCli([
      'run',
      'examples/k8s',
      '--out',
      join(scratch, 'never'),
      '--spike',
      'trending',
      '--fail-on',
      'latency > 5',
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown field "latency"');
    expect(result.stderr).toMatch(/hint: known fields: workload, target, .*p99_ms.*cost_delta_pct/);
    expect(existsSync(join(scratch, 'never'))).toBe(false);
  });

  it('refuses a per-workload value for a workload the run does not replay', async () => {
    const out = join(scratch, 'typo');
    const result = await runCli([
      'run',
      'examples/k8s',
      '--out',
      out,
      '--spike',
      'trending',
      '--service-ms',
      'fixed:10',
      '--service-ms',
      'ml/Deployment/llm-chatt=fixed:50',
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      '--service-ms names ml/Deployment/llm-chatt, which this run does not replay',
    );
    expect(existsSync(join(out, 'replay'))).toBe(false);
  });

  it('names the shard that has not finished', async () => {
    cpSync(join(scratch, 'sharded'), join(scratch, 'partial'), { recursive: true });
    unlinkSync(join(scratch, 'partial', 'shards', '1-of-2.json'));
    const result = await runCli(['report', '--from', join(scratch, 'partial')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('shard(s) 1/2 have not finished');
    expect(result.stderr).toContain('--shard 1/2');
  });

  it('says where results are missing when --from is not a run', async () => {
    const result = await runCli(['report', '--from', join(scratch, 'nothing-here')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('holds no results of migrate run');
  });

  it('writes an Indexed Job whose pods run the same command, one shard each', async () => {
    const file = join(scratch, 'job.yaml');
    const result = await runCli([
      'run',
      'examples/k8s',
      '--out',
      'results',
      '--spike',
      'trending',
      '--emit-job',
      file,
      '--shards',
      '3',
      '--image',
      'ghcr.io/acme/migrate:1',
    ]);
    expect(result.code, result.stderr).toBe(0);
    const job = parse(readFileSync(file, 'utf8'));
    expect(job.spec).toMatchObject({ completionMode: 'Indexed', completions: 3, parallelism: 3 });
    expect(job.spec.template.spec.containers[0].args).toEqual([
      'run',
      'examples/k8s',
      '--out',
      'results',
      '--spike',
      'trending',
      '--shard',
      '$(JOB_COMPLETION_INDEX)/3',
    ]);
  });
});
