/**
 * `migrate measure` on Cloud Run: HTTP requests to the service's URL with an ID token from the same
 * credential chain (google-auth-library's IdTokenClient, audience = the URL), in bursts of
 * `concurrency`, each timed on the client from send to the last byte of the response.
 *
 * Cloud Run tells a client nothing about which instance served a request, so cold and warm are told
 * apart by order: when the service keeps no minimum instances, the first burst is taken as cold (it
 * assumes the service had scaled to zero) and each of its requests' cold start is its time minus the
 * median warm time; when it keeps minimum instances, nothing is counted as cold. `analyzeBursts` is the
 * pure part.
 */

import { performance } from 'node:perf_hooks';
import { MigrateError } from '../../core/errors.ts';
import { coldStartsFromFirstBurst } from '../first-burst.ts';
import type { MeasureOptions, MeasureSamples } from '../types.ts';
import type { CloudRunSession } from './client.ts';
import { getService } from './live.ts';
import { type TemplateLike, templateSettings } from './settings.ts';
import { serviceName } from './v2.ts';

export interface Timed {
  /** Client-measured milliseconds from send to the last byte. */
  ms: number;
  /** null: a response in 2xx; else the failure reason. */
  failure: string | null;
}

export async function measureCloudRun(
  session: CloudRunSession,
  name: string,
  options: MeasureOptions,
): Promise<MeasureSamples> {
  const service = await getService(session, name);
  const full = serviceName(session.project, session.region, name);
  if (!service)
    throw new MigrateError(`Cloud Run service ${full} does not exist`, {
      hint: 'deploy it first (migrate apply --yes), and check --name, --project and --region',
    });
  if (!service.uri)
    throw new MigrateError(`Cloud Run service ${full} has no URL yet`, {
      hint: 'wait until its first revision is ready (gcloud run services describe shows the URL)',
    });
  const uri = service.uri;
  // Minimum instances can be set on the revision template or, in v2, on the service as a whole.
  const minInstances = Math.max(
    Number(service.template?.scaling?.minInstanceCount ?? 0),
    Number(service.scaling?.minInstanceCount ?? 0),
  );
  const authorization = await idTokenHeader(session, uri);
  const url = new URL(options.path ?? '/', uri).toString();
  const method = options.payload === null ? 'GET' : 'POST';
  const body = options.payload ?? undefined;

  const bursts: Timed[][] = [];
  let done = 0;
  const size = Math.max(1, options.concurrency);
  while (done < options.requests) {
    const count = Math.min(size, options.requests - done);
    // The library refreshes the ID token when it is about to expire; ask once per burst.
    const headers: Record<string, string> = { authorization: await authorization() };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const burst = await Promise.all(
      Array.from({ length: count }, async () => {
        const result = await timeOne(url, { method, body, headers }, session.requestTimeoutMs);
        done += 1;
        options.progress(done, options.requests);
        return result;
      }),
    );
    bursts.push(burst);
  }

  const analysis = analyzeBursts(bursts, minInstances);
  const settings = templateSettings(service.template as TemplateLike | null | undefined);
  const facts: Record<string, string | number> = {
    service: full,
    uri,
    region: session.region,
    minInstances,
  };
  if (service.latestReadyRevision)
    facts.revision = service.latestReadyRevision.slice(service.latestReadyRevision.lastIndexOf('/') + 1);
  if (typeof settings.memoryMb === 'number') facts.memoryMb = settings.memoryMb;
  if (typeof settings.concurrency === 'number') facts.concurrency = settings.concurrency;
  if (typeof settings.gpu === 'string') facts.gpu = settings.gpu;
  return {
    ...analysis,
    cpuMillis: typeof settings.cpuMillis === 'number' ? settings.cpuMillis : null,
    facts,
  };
}

/** A function returning `Bearer <ID token>` for the audience, refreshed by the library when it expires. */
async function idTokenHeader(session: CloudRunSession, audience: string): Promise<() => Promise<string>> {
  let client: Awaited<ReturnType<CloudRunSession['client']['auth']['getIdTokenClient']>>;
  try {
    client = await session.client.auth.getIdTokenClient(audience);
  } catch (error) {
    throw noIdToken(error);
  }
  return async () => {
    try {
      const headers = await client.getRequestHeaders(audience);
      return headers.get('authorization') ?? '';
    } catch (error) {
      throw noIdToken(error);
    }
  };
}

function noIdToken(error: unknown): MigrateError {
  const text = error instanceof Error ? error.message.split('\n')[0]!.slice(0, 200) : String(error);
  return new MigrateError(`Cloud Run: could not get an ID token to call the service (${text})`, {
    hint: 'the invoking identity needs roles/run.invoker on the service; ID tokens come from a service account key (GOOGLE_APPLICATION_CREDENTIALS), gcloud user credentials (gcloud auth application-default login) or the metadata server',
  });
}

async function timeOne(
  url: string,
  request: { method: string; body: string | undefined; headers: Record<string, string> },
  timeoutMs: number,
): Promise<Timed> {
  const start = performance.now();
  try {
    const response = await fetch(url, { ...request, signal: AbortSignal.timeout(timeoutMs) });
    await response.arrayBuffer();
    const ms = performance.now() - start;
    if (response.ok) return { ms, failure: null };
    return { ms, failure: response.status === 429 ? 'throttled' : `HTTP ${response.status}` };
  } catch (error) {
    const ms = performance.now() - start;
    const name = (error as Error).name;
    if (name === 'TimeoutError') return { ms, failure: 'timeout' };
    const code = (error as { cause?: { code?: string } }).cause?.code;
    return { ms, failure: code ?? name ?? 'network error' };
  }
}

/** Pure: bursts of timed requests → cold and warm samples and failures. */
export function analyzeBursts(
  bursts: Timed[][],
  minInstances: number,
): Pick<MeasureSamples, 'coldStartMs' | 'serviceMs' | 'failures' | 'method'> {
  const failures: Record<string, number> = {};
  for (const result of bursts.flat())
    if (result.failure) failures[result.failure] = (failures[result.failure] ?? 0) + 1;
  const ok = (burst: Timed[]) => burst.filter((result) => result.failure === null).map((result) => result.ms);
  const timing =
    'times are measured on the client from send to the last byte, so they include the network, TLS and the Cloud Run front end';
  if (minInstances > 0)
    return {
      coldStartMs: [],
      serviceMs: bursts.flatMap(ok),
      failures,
      method: `the service keeps ${minInstances} minimum instance(s) (template.scaling.minInstanceCount), so it was not at zero and no request is counted as a cold start (Cloud Run exposes no per-request instance id to tell a new instance's first request apart); every successful request is a warm sample; ${timing}`,
    };
  const [first = [], ...rest] = bursts;
  const warm = rest.flatMap(ok);
  const { coldStartMs, note } = coldStartsFromFirstBurst(ok(first), warm);
  return {
    coldStartMs,
    serviceMs: warm,
    failures,
    method: `Cloud Run exposes no per-request instance id, so the first burst of ${first.length} request(s) is taken as meeting new instances — assuming the service had scaled to zero (minInstanceCount 0) — and the later ${warm.length} request(s) as warm; ${note}; ${timing}`,
  };
}
