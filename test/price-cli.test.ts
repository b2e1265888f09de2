import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.ts';
import { repoRoot } from './helpers/paths.ts';

const dir = mkdtempSync(join(tmpdir(), 'migrate-price-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('migrate price', () => {
  it('prints {platform, currency, totalUsd, lines: [{item, quantity, unit, unitPriceUsd, usd}]} as JSON', async () => {
    const { code, stdout, stderr } = await runCli([
      'price',
      '--usage',
      'examples/usage/aws-lambda-provisioned.yaml',
    ]);

    expect(stderr).toBe('');
    expect(code).toBe(0);
    const json = JSON.parse(stdout);
    expect(json).toMatchObject({
      platform: 'aws-lambda',
      region: 'us-east-1',
      currency: 'USD',
      totalUsd: 19.96,
    });
    expect(json.lines.map((line: { item: string; usd: number }) => [line.item, line.usd])).toEqual([
      ['requests', 0.4],
      ['duration (x86)', 0.83],
      ['provisioned concurrency (x86), configured', 18],
      ['duration on provisioned concurrency (x86)', 0.73],
    ]);
    for (const line of json.lines) {
      expect(Object.keys(line)).toEqual(
        expect.arrayContaining(['item', 'quantity', 'unit', 'unitPriceUsd', 'usd', 'source']),
      );
      expect(typeof line.quantity).toBe('number');
      expect(typeof line.unitPriceUsd).toBe('number');
    }
    expect(json.notes).toEqual(expect.arrayContaining([expect.stringMatching(/provisioned concurrency/)]));
    expect(json.inputs).toEqual({
      usageFile: 'examples/usage/aws-lambda-provisioned.yaml',
      pricesFile: null,
    });
  });

  it.each([
    ['examples/usage/aws-lambda-on-demand.yaml', [], 106.41],
    ['examples/usage/azure-flex-cpu-bound.yaml', [], 1.93],
    ['examples/usage/kubernetes-gpu-nodes.yaml', [], 1315.46],
    ['examples/usage/cloud-run-gpu.yaml', [], 62.21],
    ['examples/usage/cloud-run-gpu.yaml', ['--prices', 'examples/usage/prices-example.yaml'], 257.86],
  ])('prices the bundled example %s %j: $%d', async (usage, extra, totalUsd) => {
    const { code, stdout } = await runCli(['price', '-u', usage, ...extra, '-f', 'json']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).totalUsd).toBe(totalUsd);
  });

  it('lists what it could not price, and a table on a terminal', async () => {
    const { code, stdout } = await runCli(['price', '--usage', 'examples/usage/cloud-run-gpu.yaml'], {
      tty: true,
    });
    expect(code).toBe(0);
    expect(stdout).toMatch(/^cloud-run, us-central1 — USD\n {2}item +quantity +unit +unit price +USD +src\n/);
    expect(stdout).toMatch(/\n {2}CPU \(instance-based\) +3,456,000 +vCPU-s +\$0\.000018 +\$62\.21 +\[1\]\n/);
    expect(stdout).toMatch(/\n {2}total +\$62\.21\n/);
    expect(stdout).toMatch(/the total is a lower bound: 2 items are not priced/);
    expect(stdout).toMatch(/GPU nvidia-l4: 240 GPU-hours not priced/);
  });

  it('a bad usage file names the file, line and field, and exits 2', async () => {
    const bad = file(
      'bad.yaml',
      'platform: aws-lambda\nregion: us-east-1\nfreeTier: true\nmemoryMb: 1536\ninvocations:\n  - {count: 100, avgDurationMs: fast}\n',
    );
    const { code, stdout, stderr } = await runCli(['price', '--usage', bad]);

    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(
      `migrate price: ${bad}:6: invocations[0].avgDurationMs: must be a number ≥ 0 ≤ 900000, got "fast"`,
    );
    expect(stderr).toMatch(/hint: see docs\/price\.md#the-usage-file/);
  });

  it('a bad --prices file names its line too; a missing file or flag is a usage error', async () => {
    const prices = file('prices.yaml', 'aws-lambda:\n  durationX86UsdPerGbSecond: -1\n');
    const badPrices = await runCli([
      'price',
      '-u',
      'examples/usage/aws-lambda-on-demand.yaml',
      '--prices',
      prices,
    ]);
    expect(badPrices.code).toBe(2);
    expect(badPrices.stderr).toContain(
      `${prices}:2: aws-lambda.durationX86UsdPerGbSecond: must be a number ≥ 0, got -1`,
    );

    const missing = await runCli(['price', '--usage', join(dir, 'nope.yaml')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read .*nope\.yaml: no such file/);

    const noFlag = await runCli(['price']);
    expect(noFlag.code).toBe(2);
    expect(noFlag.stderr).toMatch(/--usage FILE is required/);
  });

  it('reads the usage from stdin with -, and writes --out atomically', async () => {
    const out = join(dir, 'out', 'price.json');
    const { code, stdout } = await runCli(['price', '--usage', '-', '--out', out, '-f', 'json'], {
      stdin: readFileSync(join(repoRoot, 'examples/usage/azure-flex-cpu-bound.yaml'), 'utf8'),
    });
    expect(code).toBe(0);
    expect(stdout).toBe('');
    expect(JSON.parse(readFileSync(out, 'utf8'))).toMatchObject({
      platform: 'azure-functions',
      totalUsd: 1.93,
    });
  });

  it('is listed in migrate --help, with its own --help', async () => {
    expect((await runCli(['--help'])).stdout).toMatch(/^ {2}price {2,}price a usage file/m);
    const help = await runCli(['price', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(
      /Usage: migrate price --usage FILE \[--format json\|table\] \[--prices FILE\]/,
    );
  });
});
