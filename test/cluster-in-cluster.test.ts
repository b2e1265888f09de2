import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { type ClusterOptions, loadCluster } from '../analyzers/sources/cluster/index.ts';
import { IN_CLUSTER, loadKubeconfig } from '../analyzers/sources/cluster/kubeconfig.ts';
import { openTransport } from '../analyzers/sources/cluster/transport.ts';
import { loadInputs } from '../analyzers/sources/index.ts';
import { MigrateError } from '../core/errors.ts';
import { analyzeOptions } from './helpers/analyze.ts';
import { FAKE_TOKEN, type FakeApiServer, startFakeApiServer } from './helpers/fake-apiserver.ts';
import { repoRoot } from './helpers/paths.ts';
import { selfSignedCert } from './helpers/self-signed.ts';

/**
 * In-cluster config: migrate running in a pod with no kubeconfig, using its service account as kubectl
 * and client-go do — the API server from KUBERNETES_SERVICE_HOST/PORT, verified against the mounted
 * ca.crt, the mounted token (read again as it rotates), the pod's namespace by default. Against an
 * HTTPS fake API server with a certificate made for the test.
 */

const temporary = mkdtempSync(join(tmpdir(), 'migrate-in-cluster-'));
afterAll(() => rmSync(temporary, { recursive: true, force: true }));
const cert = selfSignedCert(temporary);
const otherCert = selfSignedCert(temporary, 'other');
const examples = (await loadInputs([join(repoRoot, 'examples/k8s')], analyzeOptions())).objects.map(
  (o) => o.obj,
);
const spread = [
  ...examples,
  {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'elsewhere', namespace: 'other' },
    spec: { selector: { matchLabels: { app: 'x' } }, template: { spec: { containers: [] } } },
  },
];

let server: FakeApiServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

let dirs = 0;
/** A service-account directory as the kubelet mounts it. */
function serviceAccount(files: { ca?: string; token?: string; namespace?: string }): string {
  const dir = join(temporary, `serviceaccount-${++dirs}`);
  mkdirSync(dir);
  if (files.ca !== undefined) writeFileSync(join(dir, 'ca.crt'), files.ca);
  if (files.token !== undefined) writeFileSync(join(dir, 'token'), files.token);
  if (files.namespace !== undefined) writeFileSync(join(dir, 'namespace'), files.namespace);
  return dir;
}

const podEnv = (port: number | string, host = '127.0.0.1') => ({
  KUBERNETES_SERVICE_HOST: host,
  KUBERNETES_SERVICE_PORT: String(port),
});

function base(serviceAccountDir: string, env: Record<string, string>): ClusterOptions {
  return { env, cwd: temporary, serviceAccountDir, requestTimeoutMs: 5000, retryBaseMs: 1 };
}

describe('in-cluster config (the service account of a pod)', () => {
  it("reads the pod's namespace over verified TLS with the service-account token", async () => {
    server = await startFakeApiServer({ objects: spread, tls: cert });
    const dir = serviceAccount({ ca: cert.cert, token: FAKE_TOKEN, namespace: 'ml' });
    const loaded = await loadCluster(base(dir, podEnv(server.port)));
    expect(loaded.errors).toEqual([]);
    expect(loaded.inputs).toEqual(['cluster:in-cluster/ml']);
    expect(loaded.notes[0]).toBe(
      `read from the Kubernetes API server at https://127.0.0.1:${server.port}, ${IN_CLUSTER}, namespace ml; each object's source is cluster:<context>/<namespace>/<Kind>/<name>`,
    );
    expect(
      loaded.objects
        .filter((object) => object.obj.kind === 'Deployment')
        .map((object) => object.file)
        .sort(),
    ).toEqual([
      'cluster:in-cluster/ml/Deployment/embeddings-worker',
      'cluster:in-cluster/ml/Deployment/llm-chat',
    ]);
    expect(loaded.objects.some((object) => object.obj.kind === 'InferenceService')).toBe(true);
    // Every request carried the token from the file, and lists asked for namespace ml only.
    expect(new Set(server.requests.map((request) => request.authorization))).toEqual(
      new Set([`Bearer ${FAKE_TOKEN}`]),
    );
    expect(
      server.requests.some((request) => request.path === '/apis/apps/v1/namespaces/ml/deployments'),
    ).toBe(true);
    expect(server.requests.some((request) => request.path === '/apis/apps/v1/deployments')).toBe(false);
  });

  it('lets -n and -A override the namespace file, and reads default without one', async () => {
    server = await startFakeApiServer({ objects: spread, tls: cert });
    const dir = serviceAccount({ ca: cert.cert, token: FAKE_TOKEN, namespace: 'ml\n' });
    const other = await loadCluster({ ...base(dir, podEnv(server.port)), namespace: 'other' });
    expect(other.objects.filter((o) => o.obj.kind === 'Deployment').map((o) => o.file)).toEqual([
      'cluster:in-cluster/other/Deployment/elsewhere',
    ]);
    const all = await loadCluster({ ...base(dir, podEnv(server.port)), allNamespaces: true });
    expect(all.inputs).toEqual(['cluster:in-cluster']);
    expect(all.objects.filter((o) => o.obj.kind === 'Deployment')).toHaveLength(3);
    const noNamespace = serviceAccount({ ca: cert.cert, token: FAKE_TOKEN });
    expect((await loadCluster(base(noNamespace, podEnv(server.port)))).inputs).toEqual([
      'cluster:in-cluster/default',
    ]);
  });

  it('fails with a clear TLS error when ca.crt is not the CA of the server', async () => {
    server = await startFakeApiServer({ objects: examples, tls: cert });
    const dir = serviceAccount({ ca: otherCert.cert, token: FAKE_TOKEN, namespace: 'ml' });
    const failure = await loadCluster(base(dir, podEnv(server.port))).catch((e) => e);
    expect(failure).toBeInstanceOf(MigrateError);
    expect(failure.message).toMatch(
      new RegExp(
        `^cannot read the Kubernetes API server at https://127\\.0\\.0\\.1:${server.port}, in-cluster \\(service account\\): GET /api failed: TLS: cannot verify the server's certificate \\([A-Z_]+: .+\\)$`,
      ),
    );
    expect(failure.hint).toBe(
      `the server's certificate is not signed by ${dir}/ca.crt (or is not issued for 127.0.0.1): is KUBERNETES_SERVICE_HOST the cluster's API server?`,
    );
    // The handshake failed: no request reached the server, so no token was sent to it.
    expect(server.requests).toEqual([]);
  });

  it('reads the token file again for each request, so a rotated token is used', async () => {
    server = await startFakeApiServer({ objects: examples, tls: cert, token: 'token-before' });
    const dir = serviceAccount({ ca: cert.cert, token: 'token-before', namespace: 'ml' });
    const resolved = await loadKubeconfig({
      env: podEnv(server.port),
      cwd: temporary,
      serviceAccountDir: dir,
    });
    const transport = await openTransport(resolved, 5000);
    try {
      expect((await transport.get('/api')).status).toBe(200);
      // The server now takes only the new token: the old one, still in the file, is refused.
      server.setToken('token-after');
      expect((await transport.get('/api')).status).toBe(401);
      // The kubelet rewrites the file (with a newline here, which is not part of the token).
      writeFileSync(join(dir, 'token'), 'token-after\n');
      expect((await transport.get('/api')).status).toBe(200);
    } finally {
      transport.close();
    }
    expect(server.requests.map((request) => request.authorization)).toEqual([
      'Bearer token-before',
      'Bearer token-before',
      'Bearer token-after',
    ]);
  });

  it('builds the server address as client-node does: http on 80/8080/8001, IPv6 hosts in brackets', async () => {
    const dir = serviceAccount({ ca: cert.cert, token: FAKE_TOKEN, namespace: 'ml' });
    const server = async (host: string, port: string) =>
      (await loadKubeconfig({ env: podEnv(port, host), cwd: temporary, serviceAccountDir: dir })).server;
    expect(await server('10.96.0.1', '443')).toBe('https://10.96.0.1:443');
    expect(await server('10.96.0.1', '6443')).toBe('https://10.96.0.1:6443');
    expect(await server('10.96.0.1', '8080')).toBe('http://10.96.0.1:8080');
    expect(await server('10.96.0.1', '80')).toBe('http://10.96.0.1:80');
    expect(await server('127.0.0.1', '8001')).toBe('http://127.0.0.1:8001');
    expect(await server('fd00:10:96::1', '443')).toBe('https://[fd00:10:96::1]:443');
    expect(await server('kubernetes.default.svc', '443')).toBe('https://kubernetes.default.svc:443');
    const resolved = await loadKubeconfig({ env: podEnv('443'), cwd: temporary, serviceAccountDir: dir });
    expect([resolved.context, resolved.label, resolved.namespace]).toEqual(['in-cluster', IN_CLUSTER, 'ml']);
  });

  it('talks plain HTTP on port 8080 (skipped when 8080 cannot be bound here)', async (context) => {
    try {
      server = await startFakeApiServer({ objects: examples, port: 8080 });
    } catch {
      context.skip();
      return;
    }
    const dir = serviceAccount({ token: FAKE_TOKEN, namespace: 'ml' });
    const loaded = await loadCluster(base(dir, podEnv(8080)));
    expect(loaded.errors).toEqual([]);
    expect(loaded.objects.filter((object) => object.obj.kind === 'Deployment')).toHaveLength(2);
    expect(server.requests[0]!.authorization).toBe(`Bearer ${FAKE_TOKEN}`);
  });

  it('is not used when a kubeconfig is found: the kubeconfig wins, as with kubectl', async () => {
    server = await startFakeApiServer({ objects: examples });
    const kubeconfig = server.writeKubeconfig(temporary, { context: 'from-kubeconfig' });
    // The service-account directory points at nothing that answers; it must not be looked at.
    const dir = serviceAccount({ token: 'wrong', namespace: 'ml' });
    const loaded = await loadCluster({
      ...base(dir, { ...podEnv(1), KUBECONFIG: kubeconfig }),
      namespace: 'ml',
    });
    expect(loaded.inputs).toEqual(['cluster:from-kubeconfig/ml']);
    expect(loaded.errors).toEqual([]);
  });

  it('is an error with --context, naming the flag', async () => {
    const dir = serviceAccount({ ca: cert.cert, token: FAKE_TOKEN, namespace: 'ml' });
    const failure = await loadCluster({ ...base(dir, podEnv(443)), context: 'prod' }).catch((e) => e);
    expect(failure).toBeInstanceOf(MigrateError);
    expect(failure.message).toBe(
      '--context prod: there is no kubeconfig to take the context from, only in-cluster (service account) config',
    );
    expect(failure.hint).toMatch(/drop --context/);
  });

  it('says why there is no config when the pod has no service-account token mounted', async () => {
    const dir = serviceAccount({ namespace: 'ml' });
    const failure = await loadCluster(base(dir, podEnv(443))).catch((e) => e);
    expect(failure).toBeInstanceOf(MigrateError);
    expect(failure.message).toBe(
      `no kubeconfig found: KUBECONFIG is not set, ~/.kube/config does not exist, and KUBERNETES_SERVICE_HOST is set but ${dir}/token does not exist (no service-account token mounted)`,
    );
    expect(failure.hint).toContain(`${dir}/token exists (automountServiceAccountToken)`);
  });

  it('reads the environment it is given, not the process environment', async () => {
    const dir = serviceAccount({ ca: cert.cert, token: FAKE_TOKEN, namespace: 'ml' });
    const saved = { ...process.env };
    Object.assign(process.env, podEnv(443));
    try {
      const failure = await loadCluster(base(dir, {})).catch((e) => e);
      expect(failure).toBeInstanceOf(MigrateError);
      expect(failure.message).toMatch(/this is not a pod/);
    } finally {
      for (const key of ['KUBERNETES_SERVICE_HOST', 'KUBERNETES_SERVICE_PORT']) {
        if (saved[key] === undefined) delete process.env[key];
        else process.env[key] = saved[key];
      }
    }
  });
});
