import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { runCli } from './helpers/cli.ts';
import { repoRoot } from './helpers/paths.ts';
import { traceFile } from './helpers/prometheus.ts';
import { schemaErrors } from './helpers/schemas.ts';

const CODE_TRACE = traceFile('azure-llm-code-2023/AzureLLMInferenceTrace_code.csv');
const dir = mkdtempSync(join(tmpdir(), 'migrate-k6-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let counter = 0;
/** Runs `migrate k6 … --out <tmp>.js` and returns the script and the summary printed. */
async function k6(args: string[]): Promise<{ script: string; stdout: string; file: string }> {
  const file = join(dir, `script-${++counter}.js`);
  const { code, stdout, stderr } = await runCli(['k6', ...args, '--out', file]);
  expect(stderr).toBe('');
  expect(code).toBe(0);
  return { script: readFileSync(file, 'utf8'), stdout, file };
}

interface ParsedStages {
  timeUnitSeconds: number;
  startRate: number;
  stages: { durationSeconds: number; target: number }[];
}

/** Reads the stages back out of the script text, as k6 would see them. */
function parseStages(script: string): ParsedStages {
  const seconds = (text: string) => {
    let total = 0;
    for (const [, value, unit] of text.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g))
      total += Number(value) * { ms: 0.001, s: 1, m: 60, h: 3600 }[unit as 'ms' | 's' | 'm' | 'h'];
    return total;
  };
  const stages = [...script.matchAll(/\{ duration: '([^']+)', target: (\d+) \}/g)].map((match) => ({
    durationSeconds: seconds(match[1]!),
    target: Number(match[2]),
  }));
  return {
    timeUnitSeconds: seconds(/timeUnit: '([^']+)'/.exec(script)![1]!),
    startRate: Number(/startRate: (\d+)/.exec(script)![1]),
    stages,
  };
}

function plannedRequests(parsed: ParsedStages): number {
  return parsed.stages.reduce(
    (sum, stage) => sum + (stage.target / parsed.timeUnitSeconds) * stage.durationSeconds,
    0,
  );
}

/** Type-checks files as k6 scripts against @types/k6 (checkJs, strict), as an editor would. */
function k6Diagnostics(files: string[]): string[] {
  const types = join(repoRoot, 'node_modules/@types');
  const program = ts.createProgram(files, {
    allowJs: true,
    checkJs: true,
    noEmit: true,
    strict: true,
    target: ts.ScriptTarget.ES2020,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ['lib.es2020.d.ts'],
    typeRoots: [types],
    types: ['k6'],
    // The scripts live in a temp folder with no node_modules above it: point k6/* at the types.
    paths: { k6: [join(types, 'k6/index.d.ts')], 'k6/*': [join(types, 'k6/*')] },
  });
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const where = diagnostic.file
      ? `${diagnostic.file.fileName}:${diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start ?? 0).line + 1}`
      : '';
    return `${where} ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`;
  });
}

describe('migrate k6', () => {
  it('stages follow the rate series of a recorded trace: k6 would send its requests within 1 %', async () => {
    const { script } = await k6(['--traffic', CODE_TRACE, '--url', 'http://127.0.0.1:8080/predict']);
    const parsed = parseStages(script);
    expect(Math.abs(plannedRequests(parsed) / 8819 - 1)).toBeLessThan(0.01);
    expect(parsed.startRate).toBe(parsed.stages[0]!.target);
    // Jumps are instant ('0s'), holds carry the rate: every hold is preceded by a jump to its target.
    for (let i = 1; i < parsed.stages.length; i += 2) {
      expect(parsed.stages[i]!.durationSeconds).toBe(0);
      expect(parsed.stages[i + 1]!.target).toBe(parsed.stages[i]!.target);
    }
  });

  it('merges flat runs: steady Poisson traffic is one stage, a step change is three', async () => {
    const steady = parseStages(
      (await k6(['--spike', 'constant:rate=20,duration=10m', '--url', 'http://h/p'])).script,
    );
    expect(steady.stages).toHaveLength(1);
    expect(steady.stages[0]!.durationSeconds).toBe(600);
    expect(Math.abs(steady.stages[0]!.target / steady.timeUnitSeconds - 20)).toBeLessThan(1); // Poisson: 12,303 drawn

    const counts = join(dir, 'counts.txt');
    writeFileSync(
      counts,
      `${[...Array(30).fill(600), ...Array(10).fill(3000), ...Array(20).fill(600)].join('\n')}\n`,
    );
    const stepped = parseStages(
      (await k6(['--traffic', counts, '--step', '60', '--url', 'http://h/p'])).script,
    );
    expect(stepped.stages).toEqual([
      { durationSeconds: 1800, target: 10 },
      { durationSeconds: 0, target: 50 },
      { durationSeconds: 600, target: 50 },
      { durationSeconds: 0, target: 10 },
      { durationSeconds: 1200, target: 10 },
    ]);
  });

  it('--speedup compresses time: stages shorter, rates higher, the same requests', async () => {
    const args = [
      '--spike',
      'trending:baseline=20,peak=5,lead=2m,ramp=1m,hold=2m,decay=1m,tail=2m',
      '--url',
      'http://h/p',
    ];
    const normal = parseStages((await k6(args)).script);
    const fast = parseStages((await k6([...args, '--speedup', '4'])).script);
    const wall = (parsed: ParsedStages) =>
      parsed.stages.reduce((sum, stage) => sum + stage.durationSeconds, 0);
    expect(wall(normal)).toBe(480);
    expect(wall(fast)).toBe(120);
    expect(plannedRequests(fast) / plannedRequests(normal)).toBeCloseTo(1, 2);
  });

  it("sizes VUs by Little's law: peak rate × expected latency × 1.5, up to 4× the latency (or the SLO)", async () => {
    const counts = join(dir, 'hundred-per-second.txt');
    writeFileSync(counts, '6000\n6000\n3000\n');
    const args = ['--traffic', counts, '--step', '60', '--url', 'http://h/p', '--expected-latency-ms', '200'];
    const { script } = await k6(args);
    expect(script).toMatch(/preAllocatedVUs: 30,\n\s+maxVUs: 120,/); // 100 × 0.2 × 1.5; 100 × 0.8 × 1.5
    const slo = (await k6([...args, '--slo-p99-ms', '2000'])).script;
    expect(slo).toMatch(/preAllocatedVUs: 30,\n\s+maxVUs: 300,/); // 100 × 2 × 1.5
  });

  it('puts thresholds from the SLO and the error budget', async () => {
    const { script } = await k6([
      '--spike',
      'constant:rate=5,duration=1m',
      '--url',
      'http://h/p',
      '--slo-p99-ms',
      '800',
      '--error-budget',
      '0.02',
    ]);
    expect(script).toContain("'http_req_duration': ['p(99)<800'],");
    expect(script).toContain("'http_req_failed': ['rate<0.02'],");
    const budgetOnly = (await k6(['--spike', 'constant:rate=5,duration=1m', '--url', 'http://h/p'])).script;
    expect(budgetOnly).toContain("'http_req_failed': ['rate<0.01'],");
    expect(budgetOnly).not.toContain('http_req_duration');
  });

  it('gives each --url name=URL its own scenario, tagged, with thresholds per tag (A/B)', async () => {
    const { script } = await k6([
      '--spike',
      'trending',
      '--url',
      'k8s=http://k8s.example/predict',
      '--url',
      'lambda=https://fn.example/predict',
      '--slo-p99-ms',
      '500',
    ]);
    for (const target of ['k8s', 'lambda']) {
      expect(script).toContain(`    "${target}": {\n      executor: 'ramping-arrival-rate',`);
      expect(script).toContain(`tags: { target: "${target}" },`);
      expect(script).toContain(`'http_req_duration{target:${target}}': ['p(99)<500'],`);
      expect(script).toContain(`'http_req_failed{target:${target}}': ['rate<0.01'],`);
    }
    expect(script).toContain('"lambda": __ENV.MIGRATE_URL_LAMBDA || "https://fn.example/predict",');
  });

  it('keeps credentials out of the script and out of its header comment', async () => {
    const { script, stdout } = await k6([
      '--spike',
      'constant:rate=5,duration=1m',
      '--url',
      'https://fn.example/api/predict?code=SECRETCODE',
      '--header',
      'Authorization: Bearer SECRETTOKEN',
      '--header',
      'X-Team: ml',
    ]);
    expect(script).not.toMatch(/SECRET/);
    expect(script).toContain('requireEnv("MIGRATE_URL_DEFAULT")');
    expect(script).toContain('"Authorization": requireEnv("MIGRATE_HEADER_AUTHORIZATION")');
    expect(script).toContain('"X-Team": "ml"');
    expect(stdout).toMatch(/-e MIGRATE_URL_DEFAULT=… -e MIGRATE_HEADER_AUTHORIZATION=…/);
  });

  it('writes scripts that type-check against @types/k6, and the check catches a wrong option', async () => {
    const body = join(dir, 'input.bin');
    writeFileSync(body, Buffer.from([0, 159, 146, 150, 255]));
    const files = [
      (await k6(['--traffic', CODE_TRACE, '--url', 'http://127.0.0.1:8080/p', '--slo-p99-ms', '900'])).file,
      (
        await k6([
          '--spike',
          'trending',
          '--url',
          'a=http://a.example/p?code=x',
          '--url',
          'b=http://b.example/p',
          '--header',
          'Authorization: Bearer t',
          '--timeout-ms',
          '5000',
          '--body',
          body,
        ])
      ).file,
      (await k6(['--spike', 'constant', '--url', 'http://h/health', '--method', 'GET'])).file,
    ];
    expect(k6Diagnostics(files)).toEqual([]);

    const broken = join(dir, 'broken.js');
    writeFileSync(
      broken,
      readFileSync(files[0]!, 'utf8').replace(
        "executor: 'ramping-arrival-rate'",
        "executor: 'ramping-arrival-rates'",
      ),
    );
    expect(k6Diagnostics([broken]).join('\n')).toMatch(/ramping-arrival-rates/);
  }, 60_000);

  it('--distributed N writes a ConfigMap and a k6-operator TestRun that validates against the CRD schema', async () => {
    const { script, stdout, file } = await k6([
      '--spike',
      'constant:rate=50,duration=5m',
      '--url',
      'https://fn.example/p',
      '--header',
      'X-Api-Key: k',
      '--distributed',
      '4',
      '--name',
      'spike-replay',
      '--namespace',
      'loadtest',
    ]);
    const manifestFile = file.replace(/\.js$/, '.testrun.yaml');
    expect(stdout).toContain(`wrote ${manifestFile}`);
    const [configMap, testRun] = parseAllDocuments(readFileSync(manifestFile, 'utf8')).map((doc) =>
      doc.toJS(),
    );
    expect(configMap.data[file.split('/').pop()!]).toBe(script);
    expect(testRun).toMatchObject({
      apiVersion: 'k6.io/v1alpha1',
      kind: 'TestRun',
      metadata: { name: 'spike-replay', namespace: 'loadtest' },
      spec: { parallelism: 4, script: { configMap: { name: 'spike-replay', file: file.split('/').pop() } } },
    });
    expect(testRun.spec.runner.env).toEqual([
      {
        name: 'MIGRATE_HEADER_X_API_KEY',
        valueFrom: { secretKeyRef: { name: 'spike-replay-secrets', key: 'MIGRATE_HEADER_X_API_KEY' } },
      },
    ]);
    expect(schemaErrors('k6-testrun.schema.json', testRun)).toEqual([]);
    expect(
      schemaErrors('k6-testrun.schema.json', { ...testRun, spec: { ...testRun.spec, parallelism: '4' } }),
    ).not.toEqual([]);
  });

  it('is deterministic, and explains itself in --help', async () => {
    const args = ['--spike', 'trending', '--seed', '3', '--url', 'http://h/p'];
    expect((await runCli(['k6', ...args])).stdout).toBe((await runCli(['k6', ...args])).stdout);
    const help = await runCli(['k6', '--help']);
    expect(help.stdout).toMatch(/Examples:\n {2}migrate k6 --traffic/);
    expect(help.stdout).toMatch(/Little's law/);
    const missing = await runCli(['k6', '--spike', 'trending', '--url', 'http://h/p', '--distributed', '2']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--distributed needs --out/);
  });
});
