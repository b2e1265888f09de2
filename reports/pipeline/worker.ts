/**
 * The worker thread of the replay pool (pool.ts): receives one workload × target at a time, replays
 * it, and posts the report back. Traffic profiles are kept by key, so each crosses the thread once.
 */

import { parentPort } from 'node:worker_threads';
import { MigrateError } from '../../core/errors.ts';
import type { TrafficProfile } from '../../core/traffic/index.ts';
import type { ResultMessage, TaskMessage } from './pool.ts';
import { runTask } from './replay-tasks.ts';

const profiles = new Map<string, TrafficProfile>();
const port = parentPort;
if (!port) throw new Error('reports/pipeline/worker.ts runs only as a worker thread');

port.on('message', (message: TaskMessage) => {
  let reply: ResultMessage;
  try {
    if (message.profile) profiles.set(message.profileKey, message.profile);
    const profile = profiles.get(message.profileKey);
    if (!profile) throw new Error(`worker has no traffic profile ${message.profileKey}`);
    reply = { id: message.id, ok: true, report: runTask({ ...message.input, profile }, message.target) };
  } catch (error) {
    const known = error instanceof MigrateError;
    reply = {
      id: message.id,
      ok: false,
      message: (error as Error).message,
      hint: known ? (error.hint ?? null) : null,
      migrate: known,
      stack: (error as Error).stack ?? null,
    };
  }
  port.postMessage(reply);
});
