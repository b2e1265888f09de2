/**
 * Azure Functions entry point, v4 Node.js programming model (package.json `main` points here).
 *
 * - HTTP `POST /api/predict` (function key required): `{"inputs": number[][]}` -> `{"outputs": ...}`.
 * - Warm-up trigger (the function must be named `warmup`): the host runs it on each instance that
 *   scale-out adds, before the instance takes traffic, so the model is loaded by then. It is not
 *   available on the Consumption plan and does not run on restarts, hence the load also starts at
 *   module scope below.
 */
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import {
  BadRequestError,
  getSession,
  isModelLoaded,
  modelStats,
  parseInputs,
  predict,
  warmUp,
} from '../shared/model-cache.ts';

// Started when the worker imports this file, not awaited: the worker must finish importing to
// register the functions, and the Node process is not frozen between invocations as on Lambda, so
// the load proceeds in the background and the first request joins it.
getSession().catch((err: unknown) => {
  console.error(
    JSON.stringify({ msg: 'model load at startup failed, retrying on first request', err: String(err) }),
  );
});

export async function predictHandler(
  request: HttpRequest,
  context: InvocationContext,
): Promise<HttpResponseInit> {
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return { status: 400, jsonBody: { error: 'body is not valid JSON' } };
  }
  try {
    return { status: 200, jsonBody: { outputs: await predict(parseInputs(body)) } };
  } catch (err) {
    if (err instanceof BadRequestError) return { status: 400, jsonBody: { error: err.message } };
    context.error('prediction failed', err);
    return { status: isModelLoaded() ? 500 : 503, jsonBody: { error: 'prediction failed' } };
  }
}

export async function warmupHandler(_trigger: unknown, context: InvocationContext): Promise<void> {
  await warmUp();
  context.log('model warm', modelStats());
}

app.http('predict', { methods: ['POST'], authLevel: 'function', handler: predictHandler });
app.warmup('warmup', { handler: warmupHandler });
