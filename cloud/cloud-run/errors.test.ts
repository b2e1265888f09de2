/**
 * The gRPC transport (the SDK's default, without --endpoint) cannot be served by the local fake, so its
 * error shapes — as @grpc/grpc-js and google-gax build them — are checked here directly.
 */

import { describe, expect, it } from 'vitest';
import { cloudRunError, isNotFound, providerError } from './errors.ts';

const grpcError = (code: number, name: string, details: string) =>
  Object.assign(new Error(`${code} ${name}: ${details}`), { code, details });

const context = { operation: 'run.services.get', resource: 'projects/p/locations/r/services/s' };

describe('Cloud Run errors', () => {
  it('reads gRPC status codes and details', () => {
    const error = grpcError(5, 'NOT_FOUND', "Resource 's' of kind 'SERVICE' does not exist.");
    expect(providerError(error)).toEqual({
      status: 'NOT_FOUND',
      message: "Resource 's' of kind 'SERVICE' does not exist.",
      retriesExhausted: false,
    });
    expect(isNotFound(error)).toBe(true);
    expect(cloudRunError(grpcError(7, 'PERMISSION_DENIED', 'denied'), context).hint).toContain(
      'roles/run.viewer',
    );
    expect(cloudRunError(grpcError(16, 'UNAUTHENTICATED', 'bad token'), context).message).toBe(
      'Cloud Run run.services.get projects/p/locations/r/services/s: the credentials were rejected: bad token',
    );
  });

  it('reads the Google JSON error of the REST transport', () => {
    const error = Object.assign(
      new Error('{"error":{"code":429,"message":"Quota exceeded","status":"RESOURCE_EXHAUSTED"}}'),
      { name: 'GaxiosError', status: 429, code: 429, response: {} },
    );
    expect(providerError(error)).toEqual({
      status: 'RESOURCE_EXHAUSTED',
      message: 'Quota exceeded',
      retriesExhausted: false,
    });
  });

  it('sees throttling through gax’s retry wrapper, on either transport', () => {
    const grpc = Object.assign(
      new Error(
        'Exceeded maximum number of retries retrying error Error: 8 RESOURCE_EXHAUSTED: Quota exceeded for quota metric before any response was received',
      ),
      { code: 4 },
    );
    expect(providerError(grpc)).toEqual({
      status: 'RESOURCE_EXHAUSTED',
      message: 'Quota exceeded for quota metric',
      retriesExhausted: true,
    });
    expect(cloudRunError(grpc, context).message).toMatch(
      /throttled by Cloud Run after retries: Quota exceeded/,
    );
    const rest = Object.assign(
      new Error(
        'Exceeded maximum number of retries retrying error GaxiosError: {"error":{"code":429,"message":"Quota \\"x\\" exceeded","status":"RESOURCE_EXHAUSTED"}} before any response was received',
      ),
      { code: 4 },
    );
    expect(providerError(rest).status).toBe('RESOURCE_EXHAUSTED');
    expect(providerError(rest).message).toBe('Quota "x" exceeded');
  });

  it('tells an unreachable endpoint from an answer', () => {
    const error = Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
    expect(providerError(error).status).toBe('NETWORK');
    expect(cloudRunError(error, { ...context, endpoint: 'http://127.0.0.1:9' }).message).toBe(
      'Cloud Run run.services.get projects/p/locations/r/services/s: cannot reach the Cloud Run API at http://127.0.0.1:9 (ECONNREFUSED)',
    );
  });
});
