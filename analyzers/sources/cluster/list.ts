import { isPlainObject } from '../parse.ts';
import { parseJson, statusMessage } from './http-status.ts';
import { attemptsText, getWithRetries, type RetryOptions } from './retry.ts';
import { ApiRequestError, formatSeconds, type Transport } from './transport.ts';

export type ListOutcome =
  | { type: 'items'; items: unknown[]; pages: number }
  | { type: 'forbidden'; message: string }
  | { type: 'not-found' }
  | { type: 'error'; message: string };

/** Asks for object metadata only: the server leaves out everything but `metadata` (Secret values included). */
export const METADATA_ONLY_ACCEPT = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1';

/**
 * Lists one collection to the end, page by page: `limit` per request, then the `continue` token the
 * server hands back until it hands back none. An expired token (410 Gone: the server compacted the
 * snapshot the pages came from) restarts the list once from the top, as kubectl does, so the result
 * is one consistent snapshot rather than pages of two. A page answered 429 or 5xx is asked for again
 * (retry.ts), up to three times; what the last attempt got is the outcome.
 */
export async function listAll(
  transport: Transport,
  path: string,
  options: { pageSize: number; metadataOnly: boolean } & RetryOptions,
): Promise<ListOutcome> {
  const accept = options.metadataOnly ? METADATA_ONLY_ACCEPT : 'application/json';
  let restarted = false;
  let items: unknown[] = [];
  let pages = 0;
  let token: string | null = null;
  const seenTokens = new Set<string>();
  for (;;) {
    const query = new URLSearchParams({ limit: String(options.pageSize) });
    if (token) query.set('continue', token);
    const separator = path.includes('?') ? '&' : '?';
    let response: Awaited<ReturnType<Transport['get']>>;
    let attempts: number;
    try {
      ({ response, attempts } = await getWithRetries(
        transport,
        `${path}${separator}${query}`,
        accept,
        options,
      ));
    } catch (error) {
      if (!(error instanceof ApiRequestError)) throw error;
      return {
        type: 'error',
        message:
          error.reason === 'timeout'
            ? `timed out: no answer within ${formatSeconds(transport.timeoutMs)}${pages ? ` (after ${pages} page(s))` : ''}; raise --request-timeout if the cluster is slow`
            : `request failed: ${error.message}`,
      };
    }
    if (response.status === 410 && token && !restarted) {
      restarted = true;
      items = [];
      pages = 0;
      token = null;
      seenTokens.clear();
      continue;
    }
    if (response.status === 403) return { type: 'forbidden', message: statusMessage(response) };
    if (response.status === 404) return { type: 'not-found' };
    if (response.status !== 200) {
      return { type: 'error', message: `${statusMessage(response)}${attemptsText(attempts)}` };
    }
    const body = parseJson(response.body);
    if (!isPlainObject(body) || !(Array.isArray(body.items) || body.items === null)) {
      return { type: 'error', message: 'the server answered with something that is not a list (no items)' };
    }
    pages++;
    if (Array.isArray(body.items)) items.push(...body.items);
    const next = isPlainObject(body.metadata) ? body.metadata.continue : undefined;
    if (typeof next !== 'string' || next === '') return { type: 'items', items, pages };
    if (seenTokens.has(next)) {
      return {
        type: 'error',
        message: `the server returned the same continue token twice (page ${pages}): stopped`,
      };
    }
    seenTokens.add(next);
    token = next;
  }
}
