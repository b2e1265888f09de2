import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../test/helpers/cli.ts';

const scratch = mkdtempSync(join(tmpdir(), 'migrate-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('migrate', () => {
  it('--help lists the verbs and exits 0', async () => {
    const { code, stdout } = await runCli(['--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/analyze\s+read Kubernetes manifests/);
  });

  it('with no verb prints help and exits 2', async () => {
    expect((await runCli([])).code).toBe(2);
  });

  it('an unknown verb is a usage error naming the verbs', async () => {
    const { code, stderr } = await runCli(['analyse']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/unknown verb "analyse". Verbs: analyze/);
  });
});

describe('migrate analyze', () => {
  it('--help teaches with flags and examples', async () => {
    const { code, stdout } = await runCli(['analyze', '--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/--format <format>/);
    expect(stdout).toMatch(/Examples:\n {2}migrate analyze \.\/k8s/);
  });

  it('an unknown flag exits 2 with a hint', async () => {
    const { code, stderr } = await runCli(['analyze', 'examples/k8s', '--formt', 'json']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/Unknown option '--formt'/);
    expect(stderr).toMatch(/hint: run `migrate analyze --help`/);
  });

  it('a bad --format value names the choices', async () => {
    const { code, stderr } = await runCli(['analyze', 'examples/k8s', '--format', 'yaml']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/--format must be one of table, json, md; got "yaml"/);
  });

  it('defaults to JSON when stdout is not a terminal and to a table when it is', async () => {
    expect(JSON.parse((await runCli(['analyze', 'examples/k8s'])).stdout).schemaVersion).toBe(1);
    expect((await runCli(['analyze', 'examples/k8s'], { tty: true })).stdout).toMatch(/^WORKLOAD\s+SERVER/);
  });

  it('colours the table only on a terminal without NO_COLOR', async () => {
    expect((await runCli(['analyze', 'examples/k8s'], { tty: true })).stdout).toContain('\u001b[');
    expect(
      (await runCli(['analyze', 'examples/k8s'], { tty: true, env: { NO_COLOR: '1' } })).stdout,
    ).not.toContain('\u001b[');
    expect((await runCli(['analyze', 'examples/k8s', '-f', 'table'])).stdout).not.toContain('\u001b[');
  });

  it('reads stdin with -', async () => {
    const stdin = readFileSync('examples/k8s/llm-chat/deployment.yaml', 'utf8');
    const { code, stdout } = await runCli(['analyze', '-', '-f', 'json'], { stdin });
    expect(code).toBe(0);
    expect(JSON.parse(stdout).workloads.map((workload: { id: string }) => workload.id)).toEqual([
      'ml/Deployment/llm-chat',
    ]);
  });

  it('input errors exit 2 but still report what could be read, and --out is written', async () => {
    const bad = join(scratch, 'bad.yaml');
    writeFileSync(bad, 'apiVersion: v1\nkind: ConfigMap\nmetadata: [\n');
    const out = join(scratch, 'report.json');
    const { code, stderr } = await runCli(['analyze', 'examples/k8s', bad, '--out', out]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/bad\.yaml:\d+: YAML/);
    const report = JSON.parse(readFileSync(out, 'utf8'));
    expect(report.summary.errors).toBe(1);
    expect(report.summary.workloads).toBeGreaterThan(0);
  });

  it('a usage error leaves an existing --out file untouched', async () => {
    const out = join(scratch, 'keep.json');
    writeFileSync(out, 'previous');
    const { code } = await runCli(['analyze', 'examples/k8s', '--out', out, '--slo-ms', 'fast']);
    expect(code).toBe(2);
    expect(readFileSync(out, 'utf8')).toBe('previous');
  });

  it('--fail-on exits 1 when the condition holds and 0 when it does not', async () => {
    expect((await runCli(['analyze', 'examples/k8s/llm-chat', '--fail-on', 'container-service'])).code).toBe(
      1,
    );
    expect(
      (await runCli(['analyze', 'examples/k8s/vision-triton', '--fail-on', 'stay-on-cluster'])).code,
    ).toBe(0);
    const { code, stderr } = await runCli(['analyze', 'examples/k8s', '--fail-on', 'everything']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/--fail-on does not know everything/);
  });

  it('is deterministic: two runs give the same bytes', async () => {
    const first = await runCli(['analyze', 'examples/k8s', '-f', 'json']);
    const second = await runCli(['analyze', 'examples/k8s', '-f', 'json']);
    expect(first.stdout).toBe(second.stdout);
  });
});
