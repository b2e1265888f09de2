/**
 * Runs replay tasks on worker threads (node:worker_threads), one task per thread at a time, and hands
 * the results back in task order — so the output never depends on which thread finished first. With
 * one thread (or one task) it runs in-process: same results, no start-up cost.
 */

import { Worker } from 'node:worker_threads';
import { MigrateError } from '../../core/errors.ts';
import type { ReplayInput } from '../../loadtests/engine/replay.ts';
import type { ReplayReport } from '../../loadtests/engine/result.ts';
import { type ReplayTask, runTask } from './replay-tasks.ts';

/** From the main thread to a worker: a task, with its traffic profile the first time that worker needs it. */
export interface TaskMessage {
  id: number;
  target: ReplayTask['target'];
  profileKey: string;
  profile: ReplayInput['profile'] | null;
  input: Omit<ReplayInput, 'profile' | 'onProgress' | 'modules'>;
}

export type ResultMessage =
  | { id: number; ok: true; report: ReplayReport }
  | { id: number; ok: false; message: string; hint: string | null; migrate: boolean; stack: string | null };

const WORKER_URL = new URL('./worker-entry.mjs', import.meta.url);

export async function runTasks(
  tasks: readonly ReplayTask[],
  threads: number,
  onDone: (done: number, total: number) => void = () => {},
): Promise<ReplayReport[]> {
  if (threads <= 1 || tasks.length <= 1) {
    return tasks.map((task, index) => {
      const report = runTask(task.input, task.target);
      onDone(index + 1, tasks.length);
      return report;
    });
  }
  const workers = Array.from({ length: Math.min(threads, tasks.length) }, () => new Worker(WORKER_URL));
  try {
    return await dispatch(tasks, workers, onDone);
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}

function dispatch(
  tasks: readonly ReplayTask[],
  workers: Worker[],
  onDone: (done: number, total: number) => void,
): Promise<ReplayReport[]> {
  const results: ReplayReport[] = new Array(tasks.length);
  const sent = workers.map(() => new Set<string>());
  let next = 0;
  let done = 0;
  return new Promise((resolve, reject) => {
    const feed = (slot: number) => {
      if (next >= tasks.length) return;
      const id = next++;
      const task = tasks[id]!;
      const { profile, onProgress: _progress, modules: _modules, ...input } = task.input;
      const first = !sent[slot]!.has(task.profileKey);
      sent[slot]!.add(task.profileKey);
      const message: TaskMessage = {
        id,
        target: task.target,
        profileKey: task.profileKey,
        profile: first ? profile : null,
        input,
      };
      workers[slot]!.postMessage(message);
    };
    workers.forEach((worker, slot) => {
      worker.on('message', (message: ResultMessage) => {
        if (!message.ok) {
          reject(
            message.migrate
              ? new MigrateError(message.message, message.hint ? { hint: message.hint } : {})
              : Object.assign(new Error(message.message), { stack: message.stack ?? undefined }),
          );
          return;
        }
        results[message.id] = message.report;
        done += 1;
        onDone(done, tasks.length);
        if (done === tasks.length) resolve(results);
        else feed(slot);
      });
      worker.on('error', reject);
      worker.on('exit', (code) => {
        if (done < tasks.length)
          reject(new Error(`replay worker ${slot} exited with code ${code} before the run ended`));
      });
      feed(slot);
    });
  });
}
