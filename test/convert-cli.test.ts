import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.ts';

const scratch = mkdtempSync(join(tmpdir(), 'migrate-convert-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let counter = 0;
const freshOut = () => join(scratch, `out-${++counter}`);
const filesUnder = (dir: string) =>
  readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => statSync(join(dir, file)).isFile())
    .sort();
const lambdaOnly = ['--target', 'aws-lambda'];

describe('migrate convert: flags and help', () => {
  it('--help teaches with flags and examples', async () => {
    const { code, stdout } = await runCli(['convert', '--help']);

    expect(code).toBe(0);
    for (const flag of [
      '--target <list>',
      '--out <dir>',
      '--workload <ID>',
      '--force',
      '--dry-run',
      '--warm-quantile <q>',
      '--service-ms <ms>',
      '--traffic <file>',
      '--prometheus <url>',
      '--spike',
    ])
      expect(stdout).toContain(flag);
    expect(stdout).toMatch(/Examples:\n {2}migrate convert \.\/k8s --out \.\/serverless/);
  });

  it('is listed by migrate --help', async () => {
    expect((await runCli(['--help'])).stdout).toMatch(/convert\s+write deployable serverless configs/);
  });

  it.each([
    [['convert', 'examples/k8s'], /needs --out DIR \(or --dry-run/],
    [['convert', '--out', 'x'], /needs at least one path/],
    [['convert', 'examples/k8s', '--dry-run', '--target', 'aws-lambda,gcf'], /--target does not know gcf/],
    [['convert', 'examples/k8s', '--dry-run', '--warm-quantile', '0'], /--warm-quantile must be in \(0, 1\]/],
    [
      ['convert', 'examples/k8s', '--dry-run', '--warm-quantile', '1.5'],
      /--warm-quantile must be in \(0, 1\]/,
    ],
    [
      ['convert', 'examples/k8s', '--dry-run', '--workload', 'ml/Deployment/nope'],
      /--workload ml\/Deployment\/nope is not in the input/,
    ],
    [
      [
        'convert',
        'examples/k8s',
        '--dry-run',
        '--spike',
        'constant',
        '-w',
        'ml/Deployment/llm-chat',
        '-w',
        'ml/StatefulSet/vision-triton',
      ],
      /give a single --workload with them/,
    ],
    [['convert', 'examples/k8s', '--dry-run', '--format', 'yaml'], /--format must be one of table, json/],
  ])('%j is a usage error (exit 2)', async (argv, message) => {
    const { code, stderr } = await runCli(argv);

    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });

  it('refuses input with errors before converting or writing anything', async () => {
    const bad = join(scratch, 'bad.yaml');
    writeFileSync(bad, 'apiVersion: v1\nkind: ConfigMap\nmetadata: [\n');
    const out = freshOut();

    const { code, stderr } = await runCli(['convert', 'examples/k8s', bad, '--out', out]);

    expect(code).toBe(2);
    expect(stderr).toMatch(/bad\.yaml:\d+: YAML/);
    expect(stderr).toMatch(/nothing was converted or written/);
    expect(existsSync(out)).toBe(false);
  });
});

describe('migrate convert: what it writes', () => {
  it('--dry-run prints what it would write and writes nothing', async () => {
    const out = freshOut();

    const { code, stdout } = await runCli([
      'convert',
      'examples/k8s',
      '--out',
      out,
      '--dry-run',
      ...lambdaOnly,
    ]);

    expect(code).toBe(0);
    expect(stdout).toContain(`${out}/ml-deployment-embeddings-worker/aws-lambda/template.yaml`);
    expect(stdout).toMatch(/--dry-run: 10 file\(s\) would be written under .*; nothing was written\./);
    expect(existsSync(out)).toBe(false);
  });

  it('--format json: {artifacts: [{workload, target, status, files, reasons}]}', async () => {
    const out = freshOut();

    const { code, stdout } = await runCli(['convert', 'examples/k8s', '--out', out, '--format', 'json']);
    const summary = JSON.parse(stdout);

    expect(code).toBe(0);
    expect(summary.artifacts).toHaveLength(12);
    for (const artifact of summary.artifacts) {
      expect(Object.keys(artifact)).toEqual(['workload', 'target', 'status', 'files', 'reasons']);
      expect(['converted', 'blocked', 'not-implemented']).toContain(artifact.status);
      for (const file of artifact.files) expect(existsSync(file)).toBe(true);
      if (artifact.status === 'converted') expect(artifact.reasons).toEqual([]);
      else {
        expect(artifact.reasons.length).toBeGreaterThan(0);
        expect(artifact.files.map((file: string) => file.split('/').pop())).toEqual(['MIGRATION.md']);
      }
    }
    const llm = summary.artifacts.find(
      (artifact: { workload: string; target: string }) =>
        artifact.workload === 'ml/Deployment/llm-chat' && artifact.target === 'aws-lambda',
    );
    expect(llm.status).toBe('blocked');
    expect(llm.reasons[0]).toMatch(/nvidia.com\/gpu/);
    expect(summary.notSelected).toEqual([]);
  });

  it('never overwrites without --force: it fails before writing anything, listing the files', async () => {
    const out = freshOut();
    expect((await runCli(['convert', 'examples/k8s', '--out', out, ...lambdaOnly])).code).toBe(0);
    const template = join(out, 'ml-deployment-embeddings-worker/aws-lambda/template.yaml');
    const deleted = join(out, 'ml-statefulset-vision-triton/aws-lambda/MIGRATION.md');
    writeFileSync(template, 'edited by a reviewer\n');
    rmSync(deleted);

    const { code, stderr } = await runCli(['convert', 'examples/k8s', '--out', out, ...lambdaOnly]);

    expect(code).toBe(2);
    expect(stderr).toMatch(
      /9 file\(s\) already exist; nothing was written: .*ml-deployment-embeddings-worker\/aws-lambda\/template\.yaml/,
    );
    expect(stderr).toMatch(/hint: pass --force/);
    expect(readFileSync(template, 'utf8')).toBe('edited by a reviewer\n');
    expect(existsSync(deleted)).toBe(false);
  });

  it('--force overwrites, atomically: no temporary files are left', async () => {
    const out = freshOut();
    await runCli(['convert', 'examples/k8s', '--out', out, ...lambdaOnly]);
    const template = join(out, 'ml-deployment-embeddings-worker/aws-lambda/template.yaml');
    const original = readFileSync(template, 'utf8');
    writeFileSync(template, 'edited\n');

    const { code } = await runCli(['convert', 'examples/k8s', '--out', out, '--force', ...lambdaOnly]);

    expect(code).toBe(0);
    expect(readFileSync(template, 'utf8')).toBe(original);
    expect(filesUnder(out).filter((file) => file.endsWith('.tmp'))).toEqual([]);
    expect(filesUnder(out)).toHaveLength(10);
  });

  it('a failure part-way leaves the files written before it complete, and says so', async () => {
    const reference = freshOut();
    await runCli(['convert', 'examples/k8s', '--out', reference, ...lambdaOnly]);
    const out = freshOut();
    // A directory where the last workload's template goes: that write fails.
    mkdirSync(join(out, 'ml-statefulset-vision-triton/aws-lambda/template.yaml'), { recursive: true });

    const { code, stderr } = await runCli([
      'convert',
      'examples/k8s',
      '--out',
      out,
      '--force',
      ...lambdaOnly,
    ]);

    expect(code).toBe(2);
    expect(stderr).toMatch(
      /could not write .*ml-statefulset-vision-triton\/aws-lambda\/template\.yaml: .*; 7 file\(s\) were written before it and are complete/,
    );
    const written = filesUnder(out);
    expect(written).toHaveLength(7);
    for (const file of written)
      expect(readFileSync(join(out, file), 'utf8')).toBe(readFileSync(join(reference, file), 'utf8'));
  });

  it('sizes provisioned concurrency from --spike traffic of one --workload', async () => {
    const out = freshOut();

    const { code } = await runCli([
      'convert',
      'examples/k8s',
      '--out',
      out,
      ...lambdaOnly,
      '--workload',
      'ml/InferenceService/fraud-scoring',
      '--spike',
      'trending:baseline=20,peak=10',
      '--service-ms',
      '100',
    ]);

    expect(code).toBe(0);
    expect(filesUnder(out)).toEqual([
      'ml-inferenceservice-fraud-scoring/aws-lambda/MIGRATION.md',
      'ml-inferenceservice-fraud-scoring/aws-lambda/serverless.yml',
      'ml-inferenceservice-fraud-scoring/aws-lambda/template.yaml',
    ]);
    const page = readFileSync(join(out, 'ml-inferenceservice-fraud-scoring/aws-lambda/MIGRATION.md'), 'utf8');
    expect(page).toMatch(
      /Little's law on the median \(p50\) of the 1-minute request rates: [\d.]+ req\/s × 100 ms \(--service-ms\)/,
    );
    expect(page).toMatch(/Traffic: synthetic trending:baseline=20,peak=10,.* seed=1./);
  });
});
