/**
 * One serverless instance: a child process that imports the Lambda handler (whose top-level await
 * loads the model with onnxruntime-node: the init phase), reports `ready` with its init time, then
 * answers `invoke` messages one by one as they come (the pool decides the concurrency).
 *
 * Started by pool.ts with `node --import tsx worker.ts`; the handler path is MIGRATE_HANDLER.
 */

import { pathToFileURL } from 'node:url';

interface Invoke {
  type: 'invoke';
  id: number;
  event: unknown;
}

const send = (message: unknown) => process.send?.(message);
const started = performance.now();
const handlerPath = process.env.MIGRATE_HANDLER;
if (!handlerPath || !process.send) {
  console.error('serve-local worker: run by the pool with MIGRATE_HANDLER and an IPC channel');
  process.exit(2);
}

try {
  const module = (await import(pathToFileURL(handlerPath).href)) as {
    handler?: (event: unknown) => Promise<unknown>;
  };
  const handler = module.handler;
  if (typeof handler !== 'function') throw new Error(`${handlerPath} exports no handler function`);
  process.on('message', (message: Invoke) => {
    if (message?.type !== 'invoke') return;
    handler(message.event).then(
      (result) => send({ type: 'result', id: message.id, result }),
      (error: unknown) => send({ type: 'result', id: message.id, error: String(error) }),
    );
  });
  send({ type: 'ready', initMs: performance.now() - started, pid: process.pid });
} catch (error) {
  send({ type: 'failed', error: String(error) });
  process.exit(1);
}
