import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

/**
 * A Kubernetes API server for tests, serving recorded-shape answers built from manifests: what a real
 * server holds after `kubectl apply` of them (uid, resourceVersion, managedFields, the last-applied
 * annotation; Secret `stringData` folded into base64 `data`), with the discovery documents (/api, /apis,
 * /api/v1, /apis/<group>/<version>), list pages with `continue` tokens, Status answers for 401/403/404/410,
 * 429 (API Priority and Fairness, with Retry-After) and 5xx, and metadata-only lists for
 * `Accept: …;as=PartialObjectMetadataList`. It speaks HTTP, or HTTPS with a given certificate. Its catalogue of resources is its
 * own (plurals by Kubernetes' naming rule), independent of the client's list, so a wrong plural or
 * scope in the client shows up as a missing object rather than passing by agreement.
 *
 * It does not convert between versions: an object is served at the version it was written in, and a
 * built-in resource at its default version only when no object says otherwise.
 */
export interface FakeApiServerOptions {
  objects: readonly Record<string, unknown>[];
  /** The most items the server puts in one page (it honours a smaller `limit`). */
  pageSize?: number;
  /** Lists answered 403: `plural` anywhere, or `plural@namespace` (`*` for all namespaces); `discovery` for /api and /apis. */
  forbidden?: readonly string[];
  /** Requests never answered (the connection stays open). */
  hang?: (path: string) => boolean;
  /** CRD groups not installed, even if objects of theirs are given. */
  uninstalled?: readonly string[];
  /** Plurals discovery still lists but whose lists answer 404 (a CRD deleted in between). */
  vanished?: readonly string[];
  /** Behave like a server that ignores the metadata-only Accept header and sends whole objects. */
  ignoreMetadataOnly?: boolean;
  /** Answer the first request that carries a continue token with 410 Gone (an expired token). */
  expireFirstContinue?: boolean;
  /**
   * Answer the first `times` requests for `path` (a path without query; `times` may be Infinity) with
   * `status`: 429 Too Many Requests as API Priority and Fairness sheds load (with `Retry-After: 0`
   * unless `retryAfter` says otherwise), or a 5xx (no Retry-After unless given).
   */
  throttle?: readonly {
    path: string;
    status: 429 | 500 | 502 | 503 | 504;
    times: number;
    retryAfter?: string;
  }[];
  /** Serve HTTPS with this key and certificate (PEM) instead of plain HTTP. */
  tls?: { key: string | Buffer; cert: string | Buffer };
  /** The bearer token accepted (default FAKE_TOKEN); `setToken` changes it while running. */
  token?: string;
  /** Listen on this port instead of any free one (the listen fails if it is taken). */
  port?: number;
}

export interface RecordedRequest {
  path: string;
  query: URLSearchParams;
  accept: string;
  /** The Authorization header as received. */
  authorization: string | undefined;
}

export interface FakeApiServer {
  url: string;
  port: number;
  requests: RecordedRequest[];
  /** Accept only this bearer token from now on (a rotated service-account token). */
  setToken(token: string): void;
  /** Writes a kubeconfig (token auth; over HTTPS, insecure-skip-tls-verify) pointing at this server; returns its path. */
  writeKubeconfig(dir: string, options?: { context?: string; namespace?: string }): string;
  close(): Promise<void>;
}

export const FAKE_TOKEN = 'fake-apiserver-token';

/** What a real API server says with each 5xx (the Status reason and message). */
const SERVER_ERRORS: Record<500 | 502 | 503 | 504, [reason: string, message: string]> = {
  500: ['InternalError', 'Internal error occurred: etcdserver: request timed out'],
  502: ['InternalError', 'the server responded with the status code 502 but did not return more information'],
  503: ['ServiceUnavailable', 'the server is currently unable to handle the request'],
  504: [
    'Timeout',
    'the server was unable to return a response in the time allotted, but may still be processing the request',
  ],
};
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

interface Served {
  group: string;
  kind: string;
  plural: string;
  namespaced: boolean;
  builtIn: boolean;
  versions: Set<string>;
}

const BUILT_IN: [group: string, versions: string[], kind: string, namespaced: boolean][] = [
  ['', ['v1'], 'Pod', true],
  ['', ['v1'], 'Service', true],
  ['', ['v1'], 'ConfigMap', true],
  ['', ['v1'], 'Secret', true],
  ['', ['v1'], 'ServiceAccount', true],
  ['', ['v1'], 'PersistentVolumeClaim', true],
  ['', ['v1'], 'Event', true],
  ['', ['v1'], 'PersistentVolume', false],
  ['', ['v1'], 'Namespace', false],
  ['', ['v1'], 'Node', false],
  ['apps', ['v1'], 'Deployment', true],
  ['apps', ['v1'], 'StatefulSet', true],
  ['apps', ['v1'], 'DaemonSet', true],
  ['apps', ['v1'], 'ReplicaSet', true],
  ['apps', ['v1'], 'ControllerRevision', true],
  ['batch', ['v1'], 'Job', true],
  ['batch', ['v1'], 'CronJob', true],
  ['autoscaling', ['v2', 'v1'], 'HorizontalPodAutoscaler', true],
  ['networking.k8s.io', ['v1'], 'Ingress', true],
  ['networking.k8s.io', ['v1'], 'NetworkPolicy', true],
  ['networking.k8s.io', ['v1'], 'IngressClass', false],
  ['rbac.authorization.k8s.io', ['v1'], 'ClusterRole', false],
  ['rbac.authorization.k8s.io', ['v1'], 'Role', true],
  ['apiextensions.k8s.io', ['v1'], 'CustomResourceDefinition', false],
];

/** Kubernetes' default plural: lower-case, then -es after s/x/ch/sh, -ies after a consonant and y. */
export function pluralOf(kind: string): string {
  const lower = kind.toLowerCase();
  if (/(s|x|ch|sh)$/.test(lower)) return `${lower}es`;
  if (/[^aeiou]y$/.test(lower)) return `${lower.slice(0, -1)}ies`;
  return `${lower}s`;
}

const isClusterScoped = (kind: string) =>
  kind.startsWith('Cluster') || ['Namespace', 'PersistentVolume', 'Node', 'StorageClass'].includes(kind);

function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.lastIndexOf('/');
  return slash === -1
    ? { group: '', version: apiVersion }
    : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

type Obj = Record<string, unknown> & { metadata: Record<string, unknown> };

export async function startFakeApiServer(options: FakeApiServerOptions): Promise<FakeApiServer> {
  const served = new Map<string, Served>();
  const stored: { key: string; version: string; object: Obj }[] = [];
  const touched = new Set<string>();
  options.objects.forEach((manifest, index) => {
    if (typeof manifest.apiVersion !== 'string' || typeof manifest.kind !== 'string') return;
    const { group, version } = splitApiVersion(manifest.apiVersion);
    if (options.uninstalled?.includes(group)) return;
    const key = `${group}/${manifest.kind}`;
    const builtIn = BUILT_IN.find(([g, , kind]) => g === group && kind === manifest.kind);
    const entry = served.get(key) ?? {
      group,
      kind: manifest.kind,
      plural: pluralOf(manifest.kind),
      namespaced: builtIn ? builtIn[3] : !isClusterScoped(manifest.kind),
      builtIn: Boolean(builtIn),
      versions: new Set<string>(),
    };
    // Objects decide the versions served (the first object of a kind replaces the built-in default).
    if (!touched.has(key)) entry.versions.clear();
    touched.add(key);
    entry.versions.add(version);
    served.set(key, entry);
    stored.push({ key, version, object: store(manifest, index, entry.namespaced) });
  });
  for (const [group, versions, kind, namespaced] of BUILT_IN) {
    const key = `${group}/${kind}`;
    if (!served.has(key)) {
      served.set(key, {
        group,
        kind,
        plural: pluralOf(kind),
        namespaced,
        builtIn: true,
        versions: new Set(versions),
      });
    }
  }
  stored.sort((a, b) => sortKey(a.object).localeCompare(sortKey(b.object)));

  const requests: RecordedRequest[] = [];
  let expireNext = options.expireFirstContinue === true;
  let token = options.token ?? FAKE_TOKEN;
  const throttled = new Map<string, number>();
  const groupVersions = (group: string) =>
    [...new Set([...served.values()].filter((s) => s.group === group).flatMap((s) => [...s.versions]))].sort(
      (a, b) => b.localeCompare(a),
    );

  const handle = (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://fake');
    const accept = request.headers.accept ?? '';
    requests.push({
      path: url.pathname,
      query: url.searchParams,
      accept,
      authorization: request.headers.authorization,
    });
    if (options.hang?.(url.pathname)) return;
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      response.writeHead(status, { 'Content-Type': 'application/json', ...headers });
      response.end(JSON.stringify(body));
    };
    const fail = (code: number, reason: string, message: string, headers: Record<string, string> = {}) =>
      send(
        code,
        {
          kind: 'Status',
          apiVersion: 'v1',
          metadata: {},
          status: 'Failure',
          message,
          reason,
          code,
        },
        headers,
      );
    if (request.headers.authorization !== `Bearer ${token}`) {
      return fail(401, 'Unauthorized', 'Unauthorized');
    }
    const path = url.pathname;
    // After authentication, as API Priority and Fairness comes after it in a real server's filters.
    const throttle = options.throttle?.find((entry) => entry.path === path);
    if (throttle && (throttled.get(path) ?? 0) < throttle.times) {
      throttled.set(path, (throttled.get(path) ?? 0) + 1);
      const retryAfter = throttle.retryAfter ?? (throttle.status === 429 ? '0' : undefined);
      const headers: Record<string, string> = retryAfter === undefined ? {} : { 'Retry-After': retryAfter };
      if (throttle.status === 429) {
        return fail(429, 'TooManyRequests', 'Too many requests, please try again later.', headers);
      }
      const [reason, message] = SERVER_ERRORS[throttle.status];
      return fail(throttle.status, reason, message, headers);
    }
    if (options.forbidden?.includes('discovery') && (path === '/api' || path === '/apis')) {
      return fail(403, 'Forbidden', `forbidden: User "system:anonymous" cannot get path "${path}"`);
    }
    if (path === '/api') {
      return send(200, {
        kind: 'APIVersions',
        versions: ['v1'],
        serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '10.0.0.1:6443' }],
      });
    }
    if (path === '/apis') {
      const groups = [...new Set([...served.values()].map((s) => s.group))].filter(Boolean).sort();
      return send(200, {
        kind: 'APIGroupList',
        apiVersion: 'v1',
        groups: groups.map((name) => {
          const versions = groupVersions(name).map((version) => ({
            groupVersion: `${name}/${version}`,
            version,
          }));
          return { name, versions, preferredVersion: versions[0] };
        }),
      });
    }
    const discovery = /^\/(?:api|apis\/([^/]+))\/([^/]+)$/.exec(path);
    if (discovery) {
      const group = discovery[1] ?? '';
      const version = discovery[2]!;
      const here = [...served.values()].filter((s) => s.group === group && s.versions.has(version));
      if (here.length === 0) return fail(404, 'NotFound', 'the server could not find the requested resource');
      return send(200, {
        kind: 'APIResourceList',
        apiVersion: 'v1',
        groupVersion: group ? `${group}/${version}` : version,
        resources: here.flatMap((s) => [
          {
            name: s.plural,
            singularName: s.kind.toLowerCase(),
            namespaced: s.namespaced,
            kind: s.kind,
            verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
          },
          {
            name: `${s.plural}/status`,
            singularName: '',
            namespaced: s.namespaced,
            kind: s.kind,
            verbs: ['get'],
          },
        ]),
      });
    }
    const list = /^\/(?:api|apis\/([^/]+))\/([^/]+)(?:\/namespaces\/([^/]+))?\/([^/]+)$/.exec(path);
    if (!list) return fail(404, 'NotFound', 'the server could not find the requested resource');
    const group = list[1] ?? '';
    const version = list[2]!;
    const namespace = list[3] ? decodeURIComponent(list[3]) : null;
    const plural = list[4]!;
    const resource = [...served.values()].find(
      (s) => s.group === group && s.plural === plural && s.versions.has(version),
    );
    if (!resource || options.vanished?.includes(plural) || (namespace !== null && !resource.namespaced)) {
      return fail(404, 'NotFound', 'the server could not find the requested resource');
    }
    const forbidden = options.forbidden ?? [];
    if (forbidden.includes(plural) || forbidden.includes(`${plural}@${namespace ?? '*'}`)) {
      const where = namespace ? ` in the namespace "${namespace}"` : ' at the cluster scope';
      return fail(
        403,
        'Forbidden',
        `${plural} is forbidden: User "system:serviceaccount:ci:migrate" cannot list resource "${plural}" in API group "${group}"${where}`,
      );
    }
    const nameSelector = /^metadata\.name=(.+)$/.exec(url.searchParams.get('fieldSelector') ?? '')?.[1];
    const matching = stored
      .filter((entry) => entry.key === `${group}/${resource.kind}` && entry.version === version)
      .map((entry) => entry.object)
      .filter((object) => namespace === null || object.metadata.namespace === namespace)
      .filter((object) => nameSelector === undefined || object.metadata.name === nameSelector);
    let offset = 0;
    const continueToken = url.searchParams.get('continue');
    if (continueToken) {
      if (expireNext) {
        expireNext = false;
        return fail(
          410,
          'Expired',
          'The provided continue parameter is too old to display a consistent list result.',
        );
      }
      const decoded = JSON.parse(Buffer.from(continueToken, 'base64url').toString('utf8')) as {
        path: string;
        offset: number;
      };
      if (decoded.path !== path)
        return fail(400, 'BadRequest', 'continue token does not belong to this list');
      offset = decoded.offset;
    }
    const limit = Number(url.searchParams.get('limit') ?? '0') || Number.POSITIVE_INFINITY;
    const size = Math.min(limit, options.pageSize ?? Number.POSITIVE_INFINITY);
    const page = matching.slice(offset, offset + size);
    const rest = matching.length - offset - page.length;
    const metadata = {
      resourceVersion: '99999',
      ...(rest > 0
        ? {
            continue: Buffer.from(JSON.stringify({ path, offset: offset + page.length })).toString(
              'base64url',
            ),
            remainingItemCount: rest,
          }
        : {}),
    };
    if (accept.includes('as=PartialObjectMetadataList') && !options.ignoreMetadataOnly) {
      return send(200, {
        kind: 'PartialObjectMetadataList',
        apiVersion: 'meta.k8s.io/v1',
        metadata,
        items: page.map((object) => ({
          kind: 'PartialObjectMetadata',
          apiVersion: 'meta.k8s.io/v1',
          metadata: object.metadata,
        })),
      });
    }
    send(200, {
      kind: `${resource.kind}List`,
      apiVersion: group ? `${group}/${version}` : version,
      metadata,
      // Items of built-in lists carry no apiVersion or kind; custom resources keep theirs.
      items: page.map((object) => {
        if (!resource.builtIn) return object;
        const { apiVersion: _a, kind: _k, ...item } = object;
        return item;
      }),
    });
  };

  const server = options.tls
    ? createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, handle)
    : createServer(handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  return {
    url,
    port,
    requests,
    setToken(next) {
      token = next;
    },
    writeKubeconfig(dir, { context = 'fake', namespace } = {}) {
      const file = join(dir, `kubeconfig-${context}`);
      const config = {
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'fake-cluster', cluster: { server: url, 'insecure-skip-tls-verify': true } }],
        users: [{ name: 'fake-user', user: { token } }],
        contexts: [
          {
            name: context,
            context: { cluster: 'fake-cluster', user: 'fake-user', ...(namespace ? { namespace } : {}) },
          },
        ],
        'current-context': context,
      };
      // JSON is YAML: the client reads it as a kubeconfig file.
      writeFileSync(file, JSON.stringify(config, null, 2));
      return file;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function sortKey(object: Obj): string {
  return `${String(object.metadata.namespace ?? '')}/${String(object.metadata.name ?? '')}`;
}

/** The object as the server would hold it after `kubectl apply`. */
function store(manifest: Record<string, unknown>, index: number, namespaced: boolean): Obj {
  const object = structuredClone(manifest) as Obj;
  const metadata: Record<string, unknown> = { ...((object.metadata as Record<string, unknown>) ?? {}) };
  if (namespaced) metadata.namespace = metadata.namespace ?? 'default';
  else delete metadata.namespace;
  metadata.uid = createHash('sha256').update(`${index}`).digest('hex').slice(0, 32);
  metadata.resourceVersion = String(1000 + index);
  metadata.generation = 1;
  metadata.creationTimestamp = '2025-01-01T00:00:00Z';
  metadata.annotations = {
    ...((metadata.annotations as Record<string, unknown>) ?? {}),
    [LAST_APPLIED]: `${JSON.stringify(manifest)}\n`,
  };
  metadata.managedFields = [
    {
      manager: 'kubectl-client-side-apply',
      operation: 'Update',
      apiVersion: manifest.apiVersion,
      time: '2025-01-01T00:00:00Z',
      fieldsType: 'FieldsV1',
      fieldsV1: { 'f:metadata': { 'f:annotations': { [`f:${LAST_APPLIED}`]: {} } } },
    },
  ];
  object.metadata = metadata;
  if (manifest.kind === 'Secret' && manifest.apiVersion === 'v1') {
    const data: Record<string, unknown> = { ...((object.data as Record<string, unknown>) ?? {}) };
    for (const [key, value] of Object.entries((object.stringData as Record<string, unknown>) ?? {})) {
      data[key] = Buffer.from(String(value)).toString('base64');
    }
    object.data = data;
    delete object.stringData;
  }
  return object;
}
