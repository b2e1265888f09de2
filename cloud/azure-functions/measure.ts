/**
 * `migrate measure` for a function app: read the app (host name, always-ready instances, size), a
 * function key (Web Apps - List Host Keys; sent as x-functions-key, never printed) and the HTTP
 * function's route (Web Apps - List Functions), then send the requests in bursts and time each one.
 *
 * Azure reports no per-request cold-start figure, so cold and warm are told apart by position: the
 * first burst after idle meets new instances (cold), later bursts the instances it started (warm). A
 * cold start is then the first-burst time minus the warm median. When the app keeps always-ready
 * instances the first burst meets those, so no cold sample is recorded and the method says so.
 */

import { createSecureContext } from 'node:tls';
import { MigrateError } from '../../core/errors.ts';
import { coldStartsFromFirstBurst } from '../first-burst.ts';
import type { MeasureOptions, MeasureSamples } from '../types.ts';
import type { AzureSession } from './client.ts';
import { toMigrateError } from './errors.ts';
import { type ProbeResult, probe } from './http-probe.ts';
import { readAzureLive } from './live.ts';

interface HttpFunction {
  path: string;
  methods: string[] | null;
}

export async function measureAzure(
  session: AzureSession,
  name: string,
  options: MeasureOptions,
): Promise<MeasureSamples> {
  const live = await readAzureLive(session, name);
  if (live === null)
    throw new MigrateError(
      `${name}: no function app of that name in resource group ${session.resourceGroup}`,
      {
        hint: 'check --name, --resource-group and --subscription, or create it with migrate apply',
      },
    );
  const host = live.facts.defaultHostName;
  if (!host) throw new MigrateError(`${name}: the app has no defaultHostName (is it stopped?)`);
  const key = await functionKey(session, name);
  const fn =
    options.path === null ? await httpFunction(session, name) : { path: options.path, methods: null };
  const url = new URL(fn.path.startsWith('/') ? fn.path : `/${fn.path}`, `https://${host}`);
  const httpMethod: 'GET' | 'POST' =
    options.payload !== null || (fn.methods !== null && !fn.methods.includes('get')) ? 'POST' : 'GET';
  const body = httpMethod === 'POST' ? (options.payload ?? '{}') : null;

  const secureContext = session.ca ? createSecureContext({ ca: session.ca }) : null;
  const results: ProbeResult[][] = [];
  let done = 0;
  for (let sent = 0; sent < options.requests; ) {
    const size = Math.min(options.concurrency, options.requests - sent);
    sent += size;
    results.push(
      await Promise.all(
        Array.from({ length: size }, async () => {
          const result = await probe({
            url,
            method: httpMethod,
            body,
            headers: { 'x-functions-key': key },
            secureContext,
            timeoutMs: session.requestTimeoutMs,
          });
          options.progress(++done, options.requests);
          return result;
        }),
      ),
    );
  }

  const failures: Record<string, number> = {};
  for (const result of results.flat())
    if (result.failure !== null) failures[result.failure] = (failures[result.failure] ?? 0) + 1;
  const ok = (burst: ProbeResult[]) =>
    burst.filter((result) => result.failure === null).map((result) => result.ms);
  const warmReady = Number(live.settings.warmInstances ?? 0);
  const [first = [], ...rest] = results;
  let coldStartMs: number[] = [];
  let serviceMs: number[];
  let method: string;
  const what = `client-measured times from sending each request to the last byte of its answer, each on a new TLS connection, to ${url.origin}${url.pathname}`;
  // What the always-ready instances absorb at once: instances × per-instance concurrency (1 when unknown).
  const readyCapacity = warmReady * (Number(live.settings.concurrency) || 1);
  if (warmReady > 0 && options.concurrency <= readyCapacity) {
    serviceMs = results.flatMap(ok);
    method = `${name} keeps ${warmReady} always-ready instance(s), so it was not at zero and no request was counted as a cold start; service times are ${what}`;
  } else if (warmReady > 0) {
    serviceMs = rest.flatMap(ok);
    method = `${name} keeps ${warmReady} always-ready instance(s) for ${readyCapacity} request(s) at once, fewer than the ${options.concurrency} of the first burst: that burst mixed warm and new instances with no way to tell them apart, so it is left out and no cold start is recorded; service times are the later bursts', ${what}`;
  } else {
    serviceMs = rest.flatMap(ok);
    const firstBurst = coldStartsFromFirstBurst(ok(first), serviceMs);
    coldStartMs = firstBurst.coldStartMs;
    method = `the first burst of ${first.length} request(s) after idle is taken as meeting new instances (the app keeps no always-ready instance) and the later bursts as warm; ${firstBurst.note}; times are ${what}`;
  }
  return {
    coldStartMs,
    serviceMs: serviceMs.map(round),
    failures,
    cpuMillis: typeof live.settings.cpuMillis === 'number' ? live.settings.cpuMillis : null,
    method,
    facts: {
      functionApp: live.id,
      url: `${url.origin}${url.pathname}`,
      location: live.facts.location ?? '',
      plan: live.facts.sku ?? '',
      ...(typeof live.settings.memoryMb === 'number' ? { memoryMb: live.settings.memoryMb } : {}),
      alwaysReady: warmReady,
      ...(typeof live.settings.concurrency === 'number'
        ? { perInstanceConcurrency: live.settings.concurrency }
        : {}),
    },
  };
}

/** The default function key, else the master key: either authorises an HTTP function of authLevel function. */
async function functionKey(session: AzureSession, name: string): Promise<string> {
  try {
    const keys = await session.client.webApps.listHostKeys(session.resourceGroup, name, {
      requestOptions: { timeout: session.requestTimeoutMs },
    });
    const key = keys.functionKeys?.default ?? keys.masterKey;
    if (!key)
      throw new MigrateError(`${name}: the host has no default function key or master key`, {
        hint: 'create one: az functionapp keys set --key-type functionKeys --key-name default',
      });
    return key;
  } catch (error) {
    throw toMigrateError(error, { operation: 'web.sites.listHostKeys', name, endpoint: session.endpoint });
  }
}

/** The first HTTP-triggered function's route, from its invoke URL; `{*rest}` catch-alls become empty. */
async function httpFunction(session: AzureSession, name: string): Promise<HttpFunction> {
  const found: { name: string; template: string; methods: string[] | null }[] = [];
  try {
    for await (const fn of session.client.webApps.listFunctions(session.resourceGroup, name, {
      requestOptions: { timeout: session.requestTimeoutMs },
    })) {
      const bindings =
        (fn.config as { bindings?: { type?: string; methods?: string[] }[] } | undefined)?.bindings ?? [];
      const trigger = bindings.find((binding) => binding.type?.toLowerCase() === 'httptrigger');
      if (trigger && fn.invokeUrlTemplate && !fn.isDisabled)
        found.push({
          name: fn.name ?? '?',
          template: fn.invokeUrlTemplate,
          methods: trigger.methods ? trigger.methods.map((m) => m.toLowerCase()) : null,
        });
    }
  } catch (error) {
    throw toMigrateError(error, { operation: 'web.sites.listFunctions', name, endpoint: session.endpoint });
  }
  const first = found.sort((a, b) => a.name.localeCompare(b.name))[0];
  if (!first)
    throw new MigrateError(`${name}: no HTTP-triggered function is deployed`, {
      hint: 'publish the app first (func azure functionapp publish), or give the route with --path /api/<function>',
    });
  const path = decodeURI(new URL(first.template).pathname).replace(/\{\*[^}]*\}/g, '');
  if (/\{[^}]*\}/.test(path))
    throw new MigrateError(`${name}: the HTTP function ${first.name} has route parameters (${path})`, {
      hint: 'give a concrete path with --path',
    });
  return { path, methods: first.methods };
}

const round = (ms: number) => Math.round(ms * 10) / 10;
