import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { analyzeLoaded } from '../analyzers/analyze.ts';
import { type ClusterOptions, loadCluster } from '../analyzers/sources/cluster/index.ts';
import { loadInputs } from '../analyzers/sources/index.ts';
import { MigrateError } from '../core/errors.ts';
import { analyzeOptions } from './helpers/analyze.ts';
import {
  type FakeApiServer,
  type FakeApiServerOptions,
  startFakeApiServer,
} from './helpers/fake-apiserver.ts';
import { repoRoot } from './helpers/paths.ts';

/**
 * Pagination, retries, RBAC denials, missing CRDs, timeouts and unreachable servers, against the fake API
 * server.
 */

const temporary = mkdtempSync(join(tmpdir(), 'migrate-cluster-errors-'));
afterAll(() => rmSync(temporary, { recursive: true, force: true }));
const examples = (await loadInputs([join(repoRoot, 'examples/k8s')], analyzeOptions())).objects.map(
  (o) => o.obj,
);

const deployment = (name: string, namespace = 'ml', metadata: Record<string, unknown> = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace, ...metadata },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: { containers: [{ name: 'c', image: 'python:3.12', resources: { requests: { cpu: '1' } } }] },
    },
  },
});

let server: FakeApiServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

async function read(serverOptions: FakeApiServerOptions, options: Partial<ClusterOptions> = {}) {
  server = await startFakeApiServer(serverOptions);
  const kubeconfig = server.writeKubeconfig(temporary);
  return loadCluster({ kubeconfig, env: {}, cwd: temporary, requestTimeoutMs: 5000, ...options });
}

const listRequests = (plural: string) =>
  server!.requests.filter((request) => request.path.endsWith(`/${plural}`));

describe('pagination', () => {
  const five = ['a', 'b', 'c', 'd', 'e'].map((name) => deployment(name));

  it('follows continue tokens when the server sends fewer items than asked for', async () => {
    const loaded = await read({ objects: five, pageSize: 2 }, { allNamespaces: true });
    expect(
      loaded.objects.map((object) => object.file).filter((file) => file.includes('/Deployment/')),
    ).toEqual(['a', 'b', 'c', 'd', 'e'].map((name) => `cluster:fake/ml/Deployment/${name}`));
    const requests = listRequests('deployments');
    expect(requests.map((request) => request.query.get('limit'))).toEqual(['500', '500', '500']);
    expect(requests[0]!.query.has('continue')).toBe(false);
    expect(requests[1]!.query.get('continue')).toBeTruthy();
    expect(requests[2]!.query.get('continue')).not.toBe(requests[1]!.query.get('continue'));
  });

  it('asks for its own page size with limit', async () => {
    const loaded = await read({ objects: five }, { allNamespaces: true, pageSize: 2 });
    expect(loaded.objects.filter((object) => object.obj.kind === 'Deployment')).toHaveLength(5);
    expect(listRequests('deployments').map((request) => request.query.get('limit'))).toEqual(['2', '2', '2']);
  });

  it('starts the list again when a continue token has expired (410 Gone), without duplicates', async () => {
    const loaded = await read(
      { objects: five, pageSize: 2, expireFirstContinue: true },
      { allNamespaces: true },
    );
    expect(loaded.errors).toEqual([]);
    expect(loaded.objects.filter((object) => object.obj.kind === 'Deployment')).toHaveLength(5);
    const requests = listRequests('deployments');
    expect(requests.map((request) => request.query.has('continue'))).toEqual([
      false,
      true,
      false,
      true,
      true,
    ]);
  });
});

describe('retries: 429 (API Priority and Fairness) and 5xx', () => {
  const five = ['a', 'b', 'c', 'd', 'e'].map((name) => deployment(name));

  it("retries a list answered 429, honouring the server's Retry-After, and reads every object", async () => {
    const loaded = await read(
      {
        objects: [...five, ...examples],
        pageSize: 2,
        throttle: [{ path: '/apis/apps/v1/deployments', status: 429, times: 2 }],
      },
      // A backoff of a minute: only honouring the server's `Retry-After: 0` finishes within the timeout.
      { allNamespaces: true, retryBaseMs: 60_000 },
    );
    expect(loaded.errors).toEqual([]);
    expect(
      loaded.objects
        .filter((object) => object.obj.kind === 'Deployment')
        .map((object) => object.file)
        .sort(),
    ).toEqual(
      [
        ...['a', 'b', 'c', 'd', 'e'].map((name) => `cluster:fake/ml/Deployment/${name}`),
        'cluster:fake/ml/Deployment/embeddings-worker',
        'cluster:fake/ml/Deployment/llm-chat',
      ].sort(),
    );
    // Two 429s for the first page, then the four pages of seven Deployments.
    const requests = listRequests('deployments');
    expect(requests.map((request) => request.query.has('continue'))).toEqual([
      false,
      false,
      false,
      true,
      true,
      true,
    ]);
  }, 10_000);

  it('reports a resource that answers 503 every time as an error after 4 attempts, and reads the rest', async () => {
    const loaded = await read(
      {
        objects: examples,
        throttle: [{ path: '/apis/apps/v1/statefulsets', status: 503, times: Number.POSITIVE_INFINITY }],
      },
      { allNamespaces: true, retryBaseMs: 1 },
    );
    expect(loaded.errors).toEqual([
      {
        file: 'cluster:fake/*/StatefulSet',
        line: null,
        message:
          'listing StatefulSet (apps/v1 statefulsets) in all namespaces: HTTP 503: the server is currently unable to handle the request (after 4 attempts)',
      },
    ]);
    expect(listRequests('statefulsets')).toHaveLength(4);
    expect(listRequests('deployments')).toHaveLength(1);
    expect(loaded.objects.filter((object) => object.obj.kind === 'Deployment')).toHaveLength(2);
    expect(loaded.objects.some((object) => object.obj.kind === 'InferenceService')).toBe(true);
    expect(loaded.objects.some((object) => object.obj.kind === 'StatefulSet')).toBe(false);
  });

  it.each([500, 502, 504] as const)('retries %i too', async (status) => {
    const loaded = await read(
      { objects: examples, throttle: [{ path: '/apis/apps/v1/deployments', status, times: 1 }] },
      { allNamespaces: true, retryBaseMs: 1 },
    );
    expect(loaded.errors).toEqual([]);
    expect(listRequests('deployments')).toHaveLength(2);
    expect(loaded.objects.filter((object) => object.obj.kind === 'Deployment')).toHaveLength(2);
  });

  it('does not retry 403 or 404: they are answers, not overload', async () => {
    const loaded = await read(
      { objects: examples, forbidden: ['deployments'], vanished: ['inferenceservices'] },
      { allNamespaces: true, retryBaseMs: 1 },
    );
    expect(loaded.errors).toEqual([]);
    expect(listRequests('deployments')).toHaveLength(1);
    expect(listRequests('inferenceservices')).toHaveLength(1);
    expect(loaded.notes.some((note) => note.startsWith('RBAC: not allowed to list Deployment'))).toBe(true);
    expect(loaded.notes).toContain('CRD not installed: KServe InferenceService (serving.kserve.io/v1beta1)');
  });

  it('retries discovery too, and fails clearly when the server stays overloaded', async () => {
    const recovered = await read(
      { objects: examples, throttle: [{ path: '/api', status: 429, times: 3 }] },
      { allNamespaces: true, retryBaseMs: 1 },
    );
    expect(recovered.errors).toEqual([]);
    expect(server!.requests.filter((request) => request.path === '/api')).toHaveLength(4);
    await server!.close();
    const failure = await read(
      {
        objects: examples,
        throttle: [{ path: '/apis', status: 429, times: Number.POSITIVE_INFINITY, retryAfter: '0' }],
      },
      { retryBaseMs: 1 },
    ).catch((e) => e);
    expect(failure).toBeInstanceOf(MigrateError);
    expect(failure.message).toMatch(
      /^cannot read the Kubernetes API server at http:\/\/127\.0\.0\.1:\d+ \(context fake\): GET \/apis answered HTTP 429: Too many requests, please try again later\. \(after 4 attempts\)$/,
    );
    expect(failure.hint).toMatch(/overloaded/);
    expect(server!.requests.filter((request) => request.path === '/apis')).toHaveLength(4);
  });
});

describe('what a cluster does not allow or does not have', () => {
  it('notes an RBAC denial per resource, naming it and the namespace, and reads the rest', async () => {
    const loaded = await read(
      { objects: examples, forbidden: ['secrets', 'deployments@ml'] },
      { namespace: 'ml' },
    );
    expect(loaded.errors).toEqual([]);
    expect(loaded.notes).toContain(
      'RBAC: not allowed to list Deployment (apps/v1 deployments) in namespace ml; analysed without them (HTTP 403: deployments is forbidden: User "system:serviceaccount:ci:migrate" cannot list resource "deployments" in API group "apps" in the namespace "ml")',
    );
    expect(
      loaded.notes.some((note) =>
        /^RBAC: not allowed to list Secret \(v1 secrets\) in namespace ml;/.test(note),
      ),
    ).toBe(true);
    const report = await analyzeLoaded(loaded, { ...analyzeOptions(), inputs: loaded.inputs });
    expect(report.workloads.map((workload) => workload.id).sort()).toEqual([
      'ml/InferenceService/fraud-scoring',
      'ml/StatefulSet/vision-triton',
    ]);
  });

  it('notes a CRD group the cluster does not serve as not installed, without asking for its lists', async () => {
    const loaded = await read(
      { objects: examples, uninstalled: ['serving.kserve.io', 'keda.sh'] },
      { allNamespaces: true },
    );
    expect(loaded.errors).toEqual([]);
    expect(loaded.notes).toContain('CRD not installed: KServe InferenceService (serving.kserve.io/v1beta1)');
    expect(loaded.notes).toContain('CRD not installed: KEDA ScaledObject (keda.sh/v1alpha1)');
    expect(loaded.notes).toContain('CRD not installed: Ray RayService (ray.io/v1)');
    expect(server!.requests.filter((request) => request.path.includes('serving.kserve.io'))).toEqual([]);
    expect(loaded.objects.some((object) => object.obj.kind === 'InferenceService')).toBe(false);
    expect(loaded.objects.filter((object) => object.obj.kind === 'Deployment')).toHaveLength(2);
  });

  it('notes a 404 on a list (a CRD removed after discovery) the same way', async () => {
    const loaded = await read(
      { objects: examples, vanished: ['inferenceservices'] },
      { allNamespaces: true },
    );
    expect(listRequests('inferenceservices')).toHaveLength(1);
    expect(loaded.notes).toContain('CRD not installed: KServe InferenceService (serving.kserve.io/v1beta1)');
    expect(loaded.errors).toEqual([]);
  });

  it('lists every resource when discovery is forbidden, and notes the CRDs whose lists answer 404', async () => {
    const loaded = await read({ objects: examples, forbidden: ['discovery'] }, { allNamespaces: true });
    expect(loaded.errors).toEqual([]);
    expect(loaded.notes).toContain(
      'API discovery is forbidden for this user: every resource is listed without checking it is served',
    );
    expect(loaded.notes).toContain('CRD not installed: Ray RayService (ray.io/v1)');
    expect(listRequests('rayservices').map((request) => request.path)).toEqual([
      '/apis/ray.io/v1/rayservices',
    ]);
    expect(loaded.objects.some((object) => object.obj.kind === 'InferenceService')).toBe(true);
  });

  it('reports a list that times out as an error naming the resource, and reads the others', async () => {
    const loaded = await read(
      { objects: examples, hang: (path) => path.endsWith('/deployments') },
      { allNamespaces: true, requestTimeoutMs: 300 },
    );
    expect(loaded.errors).toEqual([
      {
        file: 'cluster:fake/*/Deployment',
        line: null,
        message:
          'listing Deployment (apps/v1 deployments) in all namespaces: timed out: no answer within 0.3 s; raise --request-timeout if the cluster is slow',
      },
    ]);
    expect(loaded.objects.some((object) => object.obj.kind === 'StatefulSet')).toBe(true);
  });

  it('fails with a MigrateError when the server answers nothing at all', async () => {
    const failure = await read({ objects: examples, hang: () => true }, { requestTimeoutMs: 200 }).catch(
      (e) => e,
    );
    expect(failure).toBeInstanceOf(MigrateError);
    expect(failure.message).toMatch(
      /^cannot read the Kubernetes API server at http:\/\/127\.0\.0\.1:\d+ \(context fake\): no answer to GET \/api within 0\.2 s$/,
    );
    expect(failure.hint).toMatch(/--request-timeout/);
  });

  it('fails with a MigrateError when the server is down', async () => {
    server = await startFakeApiServer({ objects: [] });
    const kubeconfig = server.writeKubeconfig(temporary, { context: 'down' });
    await server.close();
    server = null;
    const failure = await loadCluster({ kubeconfig, env: {}, cwd: temporary, requestTimeoutMs: 2000 }).catch(
      (e) => e,
    );
    expect(failure).toBeInstanceOf(MigrateError);
    expect(failure.message).toMatch(/\(context down\): GET \/api failed: connection refused/);
  });

  it('fails with a MigrateError when the credentials are rejected (401)', async () => {
    server = await startFakeApiServer({ objects: [] });
    const kubeconfig = join(temporary, 'bad-token');
    const { writeFileSync, readFileSync } = await import('node:fs');
    const good = readFileSync(server.writeKubeconfig(temporary), 'utf8');
    writeFileSync(kubeconfig, good.replace(/"token": "[^"]+"/, '"token": "expired"'));
    const failure = await loadCluster({ kubeconfig, env: {}, cwd: temporary, requestTimeoutMs: 2000 }).catch(
      (e) => e,
    );
    expect(failure).toBeInstanceOf(MigrateError);
    expect(failure.message).toMatch(/rejected the credentials \(HTTP 401: Unauthorized\)/);
    expect(failure.hint).toMatch(/log in again/);
  });
});

describe('objects a controller made', () => {
  it('are skipped with the owner named, so a workload is counted once', async () => {
    const owner = (kind: string, name: string, apiVersion: string) => ({
      ownerReferences: [{ apiVersion, kind, name, uid: 'u', controller: true, blockOwnerDeletion: true }],
    });
    const objects = [
      deployment('llm'),
      {
        ...deployment('llm-7d9f'),
        kind: 'ReplicaSet',
        metadata: { name: 'llm-7d9f', namespace: 'ml', ...owner('Deployment', 'llm', 'apps/v1') },
      },
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'llm-7d9f-x2', namespace: 'ml', ...owner('ReplicaSet', 'llm-7d9f', 'apps/v1') },
        spec: { containers: [{ name: 'c', image: 'python:3.12' }] },
      },
    ];
    const loaded = await read({ objects }, { namespace: 'ml' });
    const report = await analyzeLoaded(loaded, { ...analyzeOptions(), inputs: loaded.inputs });
    expect(report.workloads.map((workload) => workload.id)).toEqual(['ml/Deployment/llm']);
    expect(report.skipped.map((skipped) => [skipped.source.file, skipped.reason])).toEqual([
      [
        'cluster:fake/ml/ReplicaSet/llm-7d9f',
        'created by its controller Deployment llm (metadata.ownerReferences): the owner is analysed instead',
      ],
      [
        'cluster:fake/ml/Pod/llm-7d9f-x2',
        'created by its controller ReplicaSet llm-7d9f (metadata.ownerReferences): the owner is analysed instead',
      ],
    ]);
  });
});

describe('scope and kubeconfig', () => {
  const spread = [
    deployment('a', 'ml'),
    deployment('b', 'other'),
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ml' } },
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'other' } },
  ];

  it('--namespace lists inside that namespace only, and only that Namespace object', async () => {
    const loaded = await read({ objects: spread }, { namespace: 'ml' });
    expect(loaded.objects.map((object) => object.file)).toEqual([
      'cluster:fake/ml/Deployment/a',
      'cluster:fake/Namespace/ml',
    ]);
    expect(loaded.inputs).toEqual(['cluster:fake/ml']);
    expect(listRequests('deployments')[0]!.path).toBe('/apis/apps/v1/namespaces/ml/deployments');
    expect(listRequests('namespaces')[0]!.query.get('fieldSelector')).toBe('metadata.name=ml');
  });

  it("reads the context's namespace when none is given, else default", async () => {
    server = await startFakeApiServer({ objects: spread });
    const withNamespace = server.writeKubeconfig(temporary, { context: 'ctx-other', namespace: 'other' });
    const base = { env: {}, cwd: temporary, requestTimeoutMs: 5000 };
    const loaded = await loadCluster({ ...base, kubeconfig: withNamespace });
    expect(loaded.objects.filter((o) => o.obj.kind === 'Deployment').map((o) => o.file)).toEqual([
      'cluster:ctx-other/other/Deployment/b',
    ]);
    const plain = await loadCluster({ ...base, kubeconfig: server.writeKubeconfig(temporary) });
    expect(plain.inputs).toEqual(['cluster:fake/default']);
    expect(plain.objects.filter((o) => o.obj.kind === 'Deployment')).toEqual([]);
  });

  it('finds the kubeconfig through KUBECONFIG (skipping entries that do not exist) and HOME', async () => {
    server = await startFakeApiServer({ objects: spread });
    const file = server.writeKubeconfig(temporary, { context: 'from-env' });
    const viaEnv = await loadCluster({
      env: { KUBECONFIG: `${join(temporary, 'missing')}:${file}` },
      cwd: temporary,
      allNamespaces: true,
      requestTimeoutMs: 5000,
    });
    expect(viaEnv.inputs).toEqual(['cluster:from-env']);
    const home = join(temporary, 'home');
    const { mkdirSync, copyFileSync } = await import('node:fs');
    mkdirSync(join(home, '.kube'), { recursive: true });
    copyFileSync(file, join(home, '.kube', 'config'));
    const viaHome = await loadCluster({
      env: { HOME: home },
      cwd: temporary,
      allNamespaces: true,
      requestTimeoutMs: 5000,
    });
    expect(viaHome.objects.filter((o) => o.obj.kind === 'Deployment')).toHaveLength(2);
  });

  it('says what to do when there is no kubeconfig or no such context', async () => {
    const none = await loadCluster({
      env: { HOME: join(temporary, 'nowhere') },
      cwd: temporary,
      requestTimeoutMs: 1000,
    }).catch((e) => e);
    expect(none).toBeInstanceOf(MigrateError);
    expect(none.message).toBe(
      'no kubeconfig found: KUBECONFIG is not set, ~/.kube/config does not exist, and this is not a pod (KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set)',
    );
    expect(none.hint).toMatch(
      /^pass --kubeconfig FILE, set KUBECONFIG, .*; inside a pod, migrate uses the pod's service account \(in-cluster\)/,
    );
    server = await startFakeApiServer({ objects: [] });
    const kubeconfig = server.writeKubeconfig(temporary, { context: 'only-one' });
    const wrong = await loadCluster({
      kubeconfig,
      context: 'prod',
      env: {},
      cwd: temporary,
      requestTimeoutMs: 1000,
    }).catch((e) => e);
    expect(wrong).toBeInstanceOf(MigrateError);
    expect(wrong.message).toBe(`context "prod" is not in ${kubeconfig}`);
    expect(wrong.hint).toBe('contexts there: only-one');
  });
});
