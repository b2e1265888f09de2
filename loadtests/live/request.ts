/**
 * What every request of a live run carries, decided once and serialised to bytes before the run: the
 * replayer writes a ready buffer per request instead of building headers on the hot path.
 */

import { MigrateError } from '../../core/errors.ts';
import { createRandom } from '../../core/random.ts';
import { connectPort, type LiveTarget } from './target.ts';

export interface RequestTemplate {
  method: string;
  /** Extra headers, in order; Host, Content-Length and Connection are set by the replayer. */
  headers: [string, string][];
  /** Bodies used round-robin; one empty buffer for a request without a body. */
  bodies: Buffer[];
}

/** How many distinct sample bodies to cycle through: enough that a cache keyed on the body misses. */
export const SAMPLE_BODIES = 64;
export const SAMPLE_FEATURES = 4;

/**
 * `{"inputs":[[f1,f2,f3,f4]]}`, the KServe v1 / TF-Serving shape most model servers accept, with
 * seeded values so the same seed sends the same bytes.
 */
export function sampleBodies(seed: number, count = SAMPLE_BODIES): Buffer[] {
  const random = createRandom(seed);
  const bodies: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const features = Array.from(
      { length: SAMPLE_FEATURES },
      () => Math.round(random.nextFloat() * 1e4) / 1e4,
    );
    bodies.push(Buffer.from(JSON.stringify({ inputs: [features] })));
  }
  return bodies;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const RESERVED = new Set(['host', 'content-length', 'connection', 'transfer-encoding']);

/** `Name: value`, refusing what would corrupt the request (CR/LF) or fight the replayer's own headers. */
export function parseHeader(text: string, flag = '--header'): [string, string] {
  const colon = text.indexOf(':');
  const name = colon > 0 ? text.slice(0, colon).trim() : '';
  const value = colon > 0 ? text.slice(colon + 1).trim() : '';
  if (!TOKEN.test(name))
    throw new MigrateError(`${flag} ${JSON.stringify(text)} is not "Name: value"`, {
      hint: `e.g. ${flag} 'Authorization: Bearer …'`,
    });
  if (/[\r\n\0]/.test(value)) throw new MigrateError(`${flag} ${name}: the value holds a line break`);
  if (RESERVED.has(name.toLowerCase()))
    throw new MigrateError(`${flag} ${name} is set by the replayer and cannot be overridden`);
  return [name, value];
}

export function validateMethod(method: string): string {
  const upper = method.toUpperCase();
  if (!TOKEN.test(upper)) throw new MigrateError(`--method ${JSON.stringify(method)} is not an HTTP method`);
  return upper;
}

/**
 * The template from the flags (method POST unless told): a body file wins over the sample generator;
 * GET and HEAD send no body unless a file is given. A JSON content type is added when the body is the sample or a .json file
 * and no Content-Type header was given.
 */
export function buildTemplate(input: {
  method: string | undefined;
  headers: [string, string][];
  body: { bytes: Buffer; file: string } | null;
  seed: number;
}): RequestTemplate {
  const method = validateMethod(input.method ?? 'POST');
  const bodyless = method === 'GET' || method === 'HEAD';
  const bodies = input.body ? [input.body.bytes] : bodyless ? [Buffer.alloc(0)] : sampleBodies(input.seed);
  const headers = [...input.headers];
  const jsonBody = input.body ? /\.json$/i.test(input.body.file) : !bodyless;
  if (jsonBody && !headers.some(([name]) => name.toLowerCase() === 'content-type'))
    headers.push(['Content-Type', 'application/json']);
  return { method, headers, bodies };
}

/** One ready-to-write HTTP/1.1 request per body, for one target. */
export function serializeRequests(target: LiveTarget, template: RequestTemplate): Buffer[] {
  const url = target.url;
  const defaultPort = connectPort(url) === (url.protocol === 'https:' ? 443 : 80);
  const host = defaultPort ? url.hostname : `${url.hostname}:${connectPort(url)}`;
  const lines = [`${template.method} ${url.pathname}${url.search} HTTP/1.1`, `Host: ${host}`];
  for (const [name, value] of template.headers) lines.push(`${name}: ${value}`);
  lines.push('Connection: keep-alive');
  return template.bodies.map((body) => {
    const head = [...lines];
    if (body.length > 0 || !['GET', 'HEAD'].includes(template.method))
      head.push(`Content-Length: ${body.length}`);
    return Buffer.concat([Buffer.from(`${head.join('\r\n')}\r\n\r\n`, 'latin1'), body]);
  });
}
