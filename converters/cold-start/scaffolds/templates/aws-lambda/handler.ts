/**
 * AWS Lambda entry point (Node.js ESM runtime; configure the handler as `dist/src/handler.handler`).
 *
 * Serves a Function URL or API Gateway HTTP API (payload v2) request whose JSON body is
 * `{"inputs": number[][]}` and answers `{"outputs": number[][]}`. A `{"warmup": true}` event — from
 * an EventBridge schedule, or sent by a deploy script right after publishing — only loads the model.
 */
import {
  BadRequestError,
  isModelLoaded,
  modelStats,
  parseInputs,
  predict,
  warmUp,
} from '../shared/model-cache.ts';

/** The part of a Function URL / API Gateway v2 event this handler reads (no @types/aws-lambda needed). */
export interface HttpEventV2 {
  body?: string | null;
  isBase64Encoded?: boolean;
  requestContext?: { http?: { method?: string } };
}

export interface WarmupEvent {
  warmup: true;
}

export interface HttpResultV2 {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

// Top-level await keeps the load inside Lambda's init phase: that phase runs before the first
// invocation (and ahead of any traffic with provisioned concurrency or SnapStart), whereas a promise
// left running when init returns is frozen with the sandbox and finishes on the first request's clock.
// A failure is only logged: the handler retries, so one bad fetch does not fail every init.
try {
  await warmUp();
} catch (err) {
  console.error(
    JSON.stringify({ msg: 'model load at init failed, retrying on first request', err: String(err) }),
  );
}

function json(statusCode: number, payload: unknown): HttpResultV2 {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) };
}

function isWarmup(event: unknown): event is WarmupEvent {
  return typeof event === 'object' && event !== null && (event as { warmup?: unknown }).warmup === true;
}

function parseBody(event: HttpEventV2): unknown {
  if (event.body == null || event.body === '') throw new BadRequestError('missing JSON body');
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  try {
    return JSON.parse(text);
  } catch {
    throw new BadRequestError('body is not valid JSON');
  }
}

export const handler = async (event: HttpEventV2 | WarmupEvent): Promise<HttpResultV2> => {
  if (isWarmup(event)) {
    await warmUp();
    return json(200, { warmed: true, ...modelStats() });
  }
  const method = event.requestContext?.http?.method;
  if (method !== undefined && method !== 'POST') return json(405, { error: 'use POST' });
  try {
    const inputs = parseInputs(parseBody(event));
    return json(200, { outputs: await predict(inputs) });
  } catch (err) {
    if (err instanceof BadRequestError) return json(400, { error: err.message });
    console.error(
      JSON.stringify({ msg: 'prediction failed', modelLoaded: isModelLoaded(), err: String(err) }),
    );
    return json(isModelLoaded() ? 500 : 503, { error: 'prediction failed' });
  }
};
