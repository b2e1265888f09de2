/**
 * The endpoints a live run may send to: `--url URL` or `--url name=URL`, one per target.
 *
 * Only loopback hosts are accepted unless the caller allows remote ones: this workplace (and any CI
 * that copies it) must never send load to an address it does not own by accident, and a typo in a
 * URL should not turn into a load test against someone else's service.
 */

import { isIP } from 'node:net';
import { MigrateError } from '../../core/errors.ts';

export interface LiveTarget {
  /** Tags results and k6 scenarios: `default` when a single URL is given without a name. */
  name: string;
  url: URL;
}

const NAME = /^[A-Za-z][A-Za-z0-9_-]{0,62}$/;

/** `name=URL` or a bare URL; several bare URLs are refused because their results could not be told apart. */
export function parseTargets(
  specs: readonly string[],
  options: { allowRemote: boolean; flag?: string } = { allowRemote: false },
): LiveTarget[] {
  const flag = options.flag ?? '--url';
  if (specs.length === 0)
    throw new MigrateError(`no target: pass ${flag} URL`, {
      hint: `e.g. ${flag} http://127.0.0.1:8080/v1/models/m:predict, or ${flag} a=URL ${flag} b=URL for an A/B run`,
    });
  const targets = specs.map((spec) => parseTarget(spec, flag));
  const unnamed = specs.filter((spec) => !/^[A-Za-z][A-Za-z0-9_-]*=/.test(spec));
  if (targets.length > 1 && unnamed.length > 0)
    throw new MigrateError(`several targets need a name each: ${unnamed.join(', ')}`, {
      hint: `${flag} a=http://127.0.0.1:8080/predict ${flag} b=http://127.0.0.1:8081/predict`,
    });
  const seen = new Set<string>();
  for (const target of targets) {
    if (seen.has(target.name)) throw new MigrateError(`target name ${target.name} is given twice`);
    seen.add(target.name);
    if (!options.allowRemote && !isLoopbackHost(target.url.hostname))
      throw new MigrateError(
        `refusing to send load to ${target.url.hostname}: only loopback addresses (127.0.0.0/8, ::1, localhost) are allowed by default`,
        { hint: 'pass --allow-remote if you own that endpoint and mean to load it' },
      );
  }
  return targets;
}

function parseTarget(spec: string, flag: string): LiveTarget {
  const named = /^([A-Za-z][A-Za-z0-9_-]*)=(.+)$/.exec(spec);
  const name = named ? named[1]! : 'default';
  const text = named ? named[2]! : spec;
  if (!NAME.test(name))
    throw new MigrateError(`${flag} ${spec}: a target name is a letter then letters, digits, _ or - (≤ 63)`);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new MigrateError(`${flag} ${JSON.stringify(spec)} is not a URL`, {
      hint: 'give a full URL with the scheme: http://127.0.0.1:8080/predict',
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new MigrateError(`${flag} ${text}: only http:// and https:// URLs can be loaded`);
  return { name, url };
}

/** Loopback by address, never by DNS: `localhost` is taken as 127.0.0.1 (see `connectHost`). */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) === 6) return host === '::1' || /^::ffff:127\./.test(host);
  return false;
}

/** The address to dial: `localhost` is pinned to 127.0.0.1 so a resolver cannot send it elsewhere. */
export function connectHost(url: URL): string {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return host.toLowerCase() === 'localhost' ? '127.0.0.1' : host;
}

export function connectPort(url: URL): number {
  if (url.port) return Number(url.port);
  return url.protocol === 'https:' ? 443 : 80;
}

/** The URL as results and scripts show it: no credentials, no query values (they may hold tokens). */
export function displayUrl(url: URL): string {
  const query = url.search ? `?${[...url.searchParams.keys()].map((key) => `${key}=…`).join('&')}` : '';
  return `${url.protocol}//${url.host}${url.pathname}${query}`;
}
