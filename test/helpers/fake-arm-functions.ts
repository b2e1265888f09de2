import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { fakeTls } from './fake-arm-tls.ts';

/**
 * The function app's HTTP front end, for `migrate measure`: HTTPS with the same self-signed certificate
 * as the fake ARM server (its site's defaultHostName points here). It checks the function key
 * (x-functions-key, as Functions' authLevel function does) and the route, and simulates instances: a
 * request that finds no instance with a free slot starts a new one and waits `coldMs` before its
 * `serviceMs`; always-ready instances exist from the start. Times are fixed, so cold starts measured
 * against it are known.
 */
export interface FakeFunctionHostOptions {
  coldMs: number;
  serviceMs: number;
  /** Requests one instance serves at once (Flex perInstanceConcurrency). */
  perInstance: number;
}

export interface FakeFunctionHost {
  /** `127.0.0.1:<port>`: the site's defaultHostName. */
  hostName: string;
  key: string;
  /** The route the HTTP function answers, and its methods (lower case). */
  route: { path: string; methods: string[] };
  requests: { method: string; path: string; cold: boolean; status: number }[];
  /** Instances started so far (always-ready ones included). */
  instances(): number;
  /** Back to idle: only the always-ready instances remain; `perInstance` from the app's settings when it has one. */
  idle(alwaysReady: number, perInstance?: number): void;
  failNext(status: number, times?: number): void;
  /** Changes the simulated times from now on. */
  setTimes(times: { coldMs: number; serviceMs: number }): void;
  close(): Promise<void>;
}

export async function startFakeFunctionHost(
  key: string,
  options: FakeFunctionHostOptions,
): Promise<FakeFunctionHost> {
  const tls = fakeTls();
  let instances: { busy: number }[] = [];
  let perInstance = options.perInstance;
  let times = { coldMs: options.coldMs, serviceMs: options.serviceMs };
  const failures: number[] = [];
  const requests: FakeFunctionHost['requests'] = [];
  const route = { path: '/api/predict', methods: ['post'] };
  const server = createServer({ cert: tls.cert, key: tls.key }, (req, res) => {
    const path = new URL(req.url ?? '/', 'https://127.0.0.1').pathname;
    const method = (req.method ?? 'GET').toLowerCase();
    const answer = (status: number, body: string, cold = false) => {
      requests.push({ method, path, cold, status });
      res.statusCode = status;
      res.setHeader('content-type', 'application/json');
      res.end(body);
    };
    req.resume();
    req.on('end', () => {
      if (req.headers['x-functions-key'] !== key) return answer(401, '');
      if (path !== route.path) return answer(404, '');
      if (!route.methods.includes(method)) return answer(405, '');
      const failure = failures.shift();
      if (failure !== undefined) return answer(failure, JSON.stringify({ error: `injected ${failure}` }));
      let instance = instances.find((candidate) => candidate.busy < perInstance);
      const cold = instance === undefined;
      if (!instance) {
        instance = { busy: 0 };
        instances.push(instance);
      }
      instance.busy++;
      const held = instance;
      setTimeout(
        () => {
          held.busy--;
          answer(200, JSON.stringify({ scores: [0.1] }), cold);
        },
        (cold ? times.coldMs : 0) + times.serviceMs,
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    hostName: `127.0.0.1:${port}`,
    key,
    route,
    requests,
    instances: () => instances.length,
    idle: (alwaysReady, capacity) => {
      perInstance = capacity ?? options.perInstance;
      instances = Array.from({ length: alwaysReady }, () => ({ busy: 0 }));
    },
    failNext: (status, times = 1) => {
      for (let i = 0; i < times; i++) failures.push(status);
    },
    setTimes: (next) => {
      times = { ...next };
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
