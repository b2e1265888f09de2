import type { ApiResponse } from './transport.ts';

/** Parses a JSON body; null when it is not JSON (a proxy's HTML page, a truncated answer). */
export function parseJson(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return null;
  }
}

/** The message of a Kubernetes `Status` answer, or the start of whatever else the server sent. */
export function statusMessage(response: ApiResponse): string {
  const parsed = parseJson(response.body);
  const message =
    typeof parsed === 'object' && parsed !== null && 'message' in parsed
      ? String((parsed as { message: unknown }).message)
      : response.body.trim().slice(0, 200);
  return `HTTP ${response.status}${message ? `: ${message}` : ''}`;
}
