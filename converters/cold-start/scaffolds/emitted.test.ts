/**
 * The emitted packages as a user gets them: written to disk, compiled with their own tsconfig.json,
 * and run as plain Node processes on the compiled JavaScript (no vitest, no TypeScript loader).
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCAFFOLD_TARGETS, type ScaffoldTarget, scaffoldFiles } from './index.ts';
import { batch, expectPredictions, writeModel } from './testing/fixture.ts';

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const tsc = path.join(repoRoot, 'node_modules/typescript/bin/tsc');

let root: string;
let modelFile: string;
const dirs = {} as Record<ScaffoldTarget, string>;
const children: ChildProcess[] = [];

function envFor(target: ScaffoldTarget): NodeJS.ProcessEnv {
  return { ...process.env, MODEL_URI: modelFile, MODEL_CACHE_DIR: path.join(root, `cache-${target}`) };
}

/** Runs an ESM snippet inside an emitted package and returns what it prints as JSON. */
async function evalIn(target: ScaffoldTarget, code: string): Promise<unknown> {
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', code], {
    cwd: dirs[target],
    env: envFor(target),
  });
  const lines = stdout.trim().split('\n');
  return JSON.parse(lines.at(-1)!);
}

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'migrate-emitted-'));
  modelFile = path.join(root, 'store', 'model.onnx');
  writeModel(modelFile);
  await Promise.all(
    SCAFFOLD_TARGETS.map(async (target) => {
      const dir = path.join(root, target);
      dirs[target] = dir;
      for (const f of scaffoldFiles(target, { modelUri: modelFile })) {
        mkdirSync(path.dirname(path.join(dir, f.path)), { recursive: true });
        writeFileSync(path.join(dir, f.path), f.content);
      }
      // Stands in for `npm ci`: same packages, already installed in this repo.
      symlinkSync(path.join(repoRoot, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
      await run(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: dir });
    }),
  );
});

afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  rmSync(root, { recursive: true, force: true });
});

describe('emitted packages, compiled and run', () => {
  it('aws-lambda: dist/src/handler.js answers 50 invocations with one model load', async () => {
    const result = (await evalIn(
      'aws-lambda',
      `const { handler } = await import('./dist/src/handler.js');
       const { modelStats } = await import('./dist/shared/model-cache.js');
       const outputs = [];
       for (let i = 0; i < 50; i++) {
         const rows = ${JSON.stringify(Array.from({ length: 50 }, (_, i) => batch(i)))}[i];
         const res = await handler({ body: JSON.stringify({ inputs: rows }), requestContext: { http: { method: 'POST' } } });
         outputs.push(JSON.parse(res.body).outputs);
       }
       console.log(JSON.stringify({ outputs, stats: modelStats() }));`,
    )) as { outputs: unknown[]; stats: { sessionsCreated: number } };
    for (const [i, out] of result.outputs.entries()) expectPredictions(out, batch(i));
    expect(result.stats.sessionsCreated).toBe(1);
  });

  it('cloud-run: `npm start`’s dist/src/server.js gates /ready, predicts, and exits 0 on SIGTERM', async () => {
    const child = spawn(process.execPath, ['dist/src/server.js'], {
      cwd: dirs['cloud-run'],
      env: { ...envFor('cloud-run'), PORT: '0', HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(child);
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`server did not listen: ${out}`)), 15_000);
      child.stdout!.on('data', () => {
        const m = /"msg":"listening","port":(\d+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      });
    });
    const base = `http://127.0.0.1:${port}`;
    for (let i = 0; ; i++) {
      if ((await fetch(`${base}/ready`)).status === 200) break;
      expect(i).toBeLessThan(500);
      await new Promise((r) => setTimeout(r, 20));
    }
    for (let i = 0; i < 10; i++) {
      const res = await fetch(`${base}/predict`, {
        method: 'POST',
        body: JSON.stringify({ inputs: batch(i) }),
      });
      expectPredictions(((await res.json()) as { outputs: unknown }).outputs, batch(i));
    }
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(out).toContain('SIGTERM: draining');
  });

  it('azure-functions: dist/src/function.js imports outside the host and its handler predicts', async () => {
    const result = (await evalIn(
      'azure-functions',
      `const { predictHandler } = await import('./dist/src/function.js');
       const { default: azure } = await import('@azure/functions');
       const inputs = ${JSON.stringify(batch(4))};
       const request = new azure.HttpRequest({ method: 'POST', url: 'http://localhost/api/predict', body: { string: JSON.stringify({ inputs }) } });
       const res = await predictHandler(request, new azure.InvocationContext({ functionName: 'predict' }));
       console.log(JSON.stringify(res));`,
    )) as { status: number; jsonBody: { outputs: unknown } };
    expect(result.status).toBe(200);
    expectPredictions(result.jsonBody.outputs, batch(4));
  });
});
