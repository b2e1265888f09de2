/** Instances as child processes: `node --import tsx worker.ts` with the handler and model in the env. */

import { type ChildProcess, fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MigrateError } from '../../core/errors.ts';
import type { InstanceHandle, Spawn } from './pool.ts';

const WORKER = fileURLToPath(new URL('./worker.ts', import.meta.url));

/** Where the Lambda handler is in a converted target folder, an emitted scaffold or the template dir. */
export function findHandler(dir: string): string {
  const candidates = ['src/handler.ts', 'handler.ts', 'dist/src/handler.js', 'aws-lambda/src/handler.ts'];
  for (const candidate of candidates) {
    const path = resolve(dir, candidate);
    if (existsSync(path)) return path;
  }
  throw new MigrateError(`no Lambda handler in ${dir}`, {
    hint: `serve-local runs the aws-lambda scaffold: point --dir at a folder with ${candidates.join(', ')}`,
  });
}

export interface ProcessSpawnOptions {
  handler: string;
  model: string;
  /** MODEL_CACHE_DIR shared by the instances, like a disk that outlives processes (default: per pool temp dir). */
  cacheDir: string;
  env?: Record<string, string | undefined>;
}

export function processSpawn(options: ProcessSpawnOptions): { spawn: Spawn; children: Set<ChildProcess> } {
  const children = new Set<ChildProcess>();
  const spawn: Spawn = (id) => {
    const child = fork(WORKER, [], {
      execArgv: ['--import', 'tsx'],
      env: {
        ...process.env,
        ...options.env,
        MIGRATE_HANDLER: options.handler,
        MODEL_URI: resolve(options.model),
        MODEL_CACHE_DIR: join(options.cacheDir, `instance-${id}`),
      },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    children.add(child);
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-2000);
    });
    const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
    let nextCall = 1;
    let exited = false;
    const ready = new Promise<{ initMs: number }>((resolveReady, rejectReady) => {
      child.on(
        'message',
        (message: { type: string; id?: number; initMs?: number; result?: unknown; error?: string }) => {
          if (message.type === 'ready') resolveReady({ initMs: message.initMs ?? 0 });
          else if (message.type === 'failed')
            rejectReady(new Error(`instance ${id} failed to start: ${message.error}`));
          else if (message.type === 'result' && message.id !== undefined) {
            const call = pending.get(message.id);
            pending.delete(message.id);
            if (message.error !== undefined) call?.reject(new Error(message.error));
            else call?.resolve(message.result);
          }
        },
      );
      child.on('exit', (code) => {
        exited = true;
        children.delete(child);
        const error = new Error(
          `instance ${id} exited with code ${code}${stderr ? `: ${stderr.trim()}` : ''}`,
        );
        rejectReady(error);
        for (const call of pending.values()) call.reject(error);
        pending.clear();
      });
    });
    ready.catch(() => undefined);
    const handle: InstanceHandle = {
      ready,
      invoke: (event) =>
        new Promise((resolveCall, rejectCall) => {
          if (exited) return rejectCall(new Error(`instance ${id} is gone`));
          const callId = nextCall++;
          pending.set(callId, { resolve: resolveCall, reject: rejectCall });
          child.send({ type: 'invoke', id: callId, event });
        }),
      stop: () =>
        new Promise<void>((resolveStop) => {
          if (exited) return resolveStop();
          child.once('exit', () => resolveStop());
          child.kill('SIGTERM');
          setTimeout(() => {
            if (!exited) child.kill('SIGKILL');
          }, 2000).unref();
        }),
    };
    return handle;
  };
  return { spawn, children };
}
