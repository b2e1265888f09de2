import { describe, expect, it } from 'vitest';
import { attemptsText, getWithRetries, MAX_RETRY_AFTER_MS, retryDelayMs } from './retry.ts';
import { ApiRequestError, type ApiResponse, type Transport } from './transport.ts';

/** A transport that answers from a script, one entry per request, and counts them. */
function scripted(answers: (Partial<ApiResponse> | Error)[]): Transport & { calls: number } {
  const transport = {
    calls: 0,
    timeoutMs: 1000,
    close: () => {},
    get: async (): Promise<ApiResponse> => {
      const answer = answers[Math.min(transport.calls, answers.length - 1)]!;
      transport.calls++;
      if (answer instanceof Error) throw answer;
      return { status: 200, body: '{}', retryAfter: null, ...answer };
    },
  };
  return transport;
}

describe('retryDelayMs', () => {
  it('backs off exponentially from the base when the server sends no Retry-After', () => {
    expect([0, 1, 2].map((retry) => retryDelayMs(retry, null, 500))).toEqual([500, 1000, 2000]);
    expect([0, 1, 2].map((retry) => retryDelayMs(retry, null, 3))).toEqual([3, 6, 12]);
  });

  it("waits the server's Retry-After seconds instead, capped at 30 s", () => {
    expect(retryDelayMs(2, '0', 500)).toBe(0);
    expect(retryDelayMs(0, '1', 500)).toBe(1000);
    expect(retryDelayMs(0, ' 7 ', 500)).toBe(7000);
    expect(retryDelayMs(0, '3600', 500)).toBe(MAX_RETRY_AFTER_MS);
    expect(MAX_RETRY_AFTER_MS).toBe(30_000);
  });

  it('ignores a Retry-After that is not whole seconds (an HTTP date, a negative or odd value)', () => {
    for (const header of ['Wed, 21 Oct 2015 07:28:00 GMT', '-1', '1.5', '', 'soon']) {
      expect(retryDelayMs(1, header, 500)).toBe(1000);
    }
  });
});

describe('getWithRetries', () => {
  it('retries 429, 500, 502, 503 and 504 and returns the first other answer, with the attempts it took', async () => {
    const transport = scripted([{ status: 429, retryAfter: '0' }, { status: 502 }, { status: 504 }, {}]);
    const { response, attempts } = await getWithRetries(transport, '/api', undefined, { retryBaseMs: 1 });
    expect(response.status).toBe(200);
    expect(attempts).toBe(4);
    expect(transport.calls).toBe(4);
  });

  it('stops after three retries and returns the last answer', async () => {
    const transport = scripted([{ status: 500 }]);
    const { response, attempts } = await getWithRetries(transport, '/api', undefined, { retryBaseMs: 1 });
    expect(response.status).toBe(500);
    expect(attempts).toBe(4);
    expect(transport.calls).toBe(4);
  });

  it.each([400, 401, 403, 404, 410])('does not retry %i', async (status) => {
    const transport = scripted([{ status }, {}]);
    const { response, attempts } = await getWithRetries(transport, '/api', undefined, { retryBaseMs: 1 });
    expect([response.status, attempts, transport.calls]).toEqual([status, 1, 1]);
  });

  it('does not retry a request that got no answer (a timeout would multiply --request-timeout)', async () => {
    const transport = scripted([new ApiRequestError('no answer within 1 s', 'timeout'), {}]);
    await expect(getWithRetries(transport, '/api', undefined, { retryBaseMs: 1 })).rejects.toThrow(
      'no answer within 1 s',
    );
    expect(transport.calls).toBe(1);
  });

  it('waits the backoff between attempts', async () => {
    const transport = scripted([{ status: 503 }]);
    const started = performance.now();
    await getWithRetries(transport, '/api', undefined, { retryBaseMs: 20 });
    // 20 + 40 + 80 ms; a few ms of slack for timer rounding.
    expect(performance.now() - started).toBeGreaterThanOrEqual(135);
  });

  it('says how many attempts were made only when there was more than one', () => {
    expect(attemptsText(1)).toBe('');
    expect(attemptsText(4)).toBe(' (after 4 attempts)');
  });
});
