import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { loadCluster } from '../analyzers/sources/cluster/index.ts';
import { METADATA_ONLY_ACCEPT } from '../analyzers/sources/cluster/list.ts';
import { loadInputs } from '../analyzers/sources/index.ts';
import { analyzeOptions } from './helpers/analyze.ts';
import { runCli } from './helpers/cli.ts';
import {
  type FakeApiServer,
  type FakeApiServerOptions,
  startFakeApiServer,
} from './helpers/fake-apiserver.ts';
import { repoRoot } from './helpers/paths.ts';

/** `migrate analyze --cluster` end to end: flags, exit codes, and Secret values that must never come out. */

const temporary = mkdtempSync(join(tmpdir(), 'migrate-cluster-cli-'));
afterAll(() => rmSync(temporary, { recursive: true, force: true }));
const examples = (await loadInputs([join(repoRoot, 'examples/k8s')], analyzeOptions())).objects.map(
  (o) => o.obj,
);

let server: FakeApiServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

async function serve(options: Partial<FakeApiServerOptions> = {}): Promise<string> {
  server = await startFakeApiServer({ objects: examples, ...options });
  return server.writeKubeconfig(temporary);
}

describe('migrate analyze --cluster', () => {
  it('reads the cluster of the kubeconfig and writes the same kind of report', async () => {
    const kubeconfig = await serve({ pageSize: 2 });
    const { code, stdout, stderr } = await runCli([
      'analyze',
      '--cluster',
      '--kubeconfig',
      kubeconfig,
      '-A',
      '-f',
      'json',
    ]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.inputs).toEqual(['cluster:fake']);
    expect(report.summary.workloads).toBe(4);
    expect(report.notes).toContain('CRD not installed: Ray RayService (ray.io/v1)');
  });

  it('takes the kubeconfig from KUBECONFIG and the namespace from -n, and shows notes in the table', async () => {
    const kubeconfig = await serve({ uninstalled: ['serving.kserve.io'] });
    const { code, stdout } = await runCli(
      ['analyze', '--cluster', '--context', 'fake', '-n', 'ml', '-f', 'table'],
      {
        env: { KUBECONFIG: kubeconfig },
      },
    );
    expect(code).toBe(0);
    expect(stdout).toContain('note: CRD not installed: KServe InferenceService (serving.kserve.io/v1beta1)');
    expect(stdout).toMatch(/llm-chat/);
    expect(server!.requests.some((request) => request.path.startsWith('/apis/apps/v1/namespaces/ml/'))).toBe(
      true,
    );
  });

  it('exits 2 with a clear message when the API server is down', async () => {
    const kubeconfig = await serve();
    await server!.close();
    server = null;
    const { code, stdout, stderr } = await runCli(['analyze', '--cluster', '--kubeconfig', kubeconfig]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(
      /^migrate analyze: cannot read the Kubernetes API server at http:\/\/127\.0\.0\.1:\d+ \(context fake\): GET \/api failed: connection refused/,
    );
    expect(stderr).toMatch(/\nhint: is the cluster up and reachable from here\?/);
  });

  it('exits 2 after writing the report when a list timed out, naming the resource', async () => {
    const kubeconfig = await serve({ hang: (path) => path.endsWith('/statefulsets') });
    const { code, stdout, stderr } = await runCli([
      'analyze',
      '--cluster',
      '--kubeconfig',
      kubeconfig,
      '-A',
      '--request-timeout',
      '0.3',
      '-f',
      'json',
    ]);
    expect(code).toBe(2);
    expect(JSON.parse(stdout).summary.workloads).toBe(3);
    expect(stderr).toContain(
      'the first: cluster:fake/*/StatefulSet: listing StatefulSet (apps/v1 statefulsets) in all namespaces: timed out: no answer within 0.3 s',
    );
  });

  it('retries lists the server throttles (429 with Retry-After: 0) and reports nothing amiss', async () => {
    const kubeconfig = await serve({
      throttle: [{ path: '/apis/apps/v1/statefulsets', status: 429, times: 2 }],
    });
    const { code, stdout, stderr } = await runCli([
      'analyze',
      '--cluster',
      '--kubeconfig',
      kubeconfig,
      '-A',
      '-f',
      'json',
    ]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(JSON.parse(stdout).summary.workloads).toBe(4);
    expect(server!.requests.filter((request) => request.path === '/apis/apps/v1/statefulsets')).toHaveLength(
      3,
    );
  });

  it.each([
    [['--cluster', 'examples/k8s'], /reads either paths or --cluster, not both/],
    [['--context', 'prod', 'examples/k8s'], /--context applies only with --cluster/],
    [['-A'], /--all-namespaces applies only with --cluster/],
    [['--cluster', '-n', 'ml', '-A'], /--namespace and --all-namespaces exclude each other/],
    [['--cluster', '--request-timeout', '0'], /--request-timeout must be a number ≥ 0\.001/],
    [['--cluster', '--kubeconfig', 'no-such-file'], /--kubeconfig no-such-file: no such file/],
  ])('usage: analyze %j exits 2', async (args, message) => {
    const { code, stderr } = await runCli(['analyze', ...args]);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });
});

describe('Secret values never leave the cluster', () => {
  const planted = ['PLANTED-STRINGDATA-VALUE-4f2a', 'PLANTED-DATA-VALUE-9c1e'];
  const secrets = [
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'hf-token', namespace: 'ml', annotations: { owner: 'ml-platform' } },
      type: 'Opaque',
      stringData: { token: planted[0] },
      data: { extra: Buffer.from(planted[1]!).toString('base64') },
    },
  ];
  // The examples' own hf-token is replaced by the one carrying the planted values.
  const objects = [...examples.filter((object) => object.kind !== 'Secret'), ...secrets];
  const forms = planted.flatMap((value) => [value, Buffer.from(value).toString('base64')]);

  /** The JSON report, and everything written in every format. */
  async function everyOutput(kubeconfig: string): Promise<{ json: string; all: string }> {
    const outputs: Record<string, string> = {};
    for (const format of ['json', 'md', 'table']) {
      const { code, stdout, stderr } = await runCli([
        'analyze',
        '--cluster',
        '--kubeconfig',
        kubeconfig,
        '-A',
        '-f',
        format,
      ]);
      expect(code).toBe(0);
      outputs[format] = `${stdout}\n${stderr}`;
    }
    return { json: outputs.json!, all: Object.values(outputs).join('\n') };
  }

  it('asks the server for Secret metadata only, and no value reaches any output', async () => {
    const kubeconfig = await serve({ objects });
    const { json, all } = await everyOutput(kubeconfig);
    for (const form of forms) expect(all).not.toContain(form);
    // The Secret is still read, by name, and attached to the workloads that use it.
    const related = JSON.parse(json).related as { id: string; attachedTo: string[] }[];
    expect(related.find((entry) => entry.id === 'ml/Secret/hf-token')?.attachedTo).toEqual([
      'ml/Deployment/embeddings-worker',
      'ml/Deployment/llm-chat',
    ]);
    const secretRequests = server!.requests.filter((request) => /\/secrets$/.test(request.path));
    expect(secretRequests.length).toBe(3);
    for (const request of secretRequests) expect(request.accept).toBe(METADATA_ONLY_ACCEPT);
    // Never a GET of one Secret, which would return its data whatever the Accept header.
    expect(server!.requests.filter((request) => /\/secrets\/[^/]+$/.test(request.path))).toEqual([]);
  });

  it('drops the values even from a server that ignores the metadata-only request', async () => {
    const kubeconfig = await serve({ objects, ignoreMetadataOnly: true });
    // The source itself holds no value, whatever a kind reader would later do with it.
    const loaded = await loadCluster({
      kubeconfig,
      env: {},
      cwd: temporary,
      allNamespaces: true,
      requestTimeoutMs: 5000,
    });
    const secret = loaded.objects.find((object) => object.obj.kind === 'Secret')!;
    expect(secret.obj).toEqual({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: expect.objectContaining({ name: 'hf-token', annotations: { owner: 'ml-platform' } }),
    });
    for (const form of forms) expect(JSON.stringify(loaded)).not.toContain(form);
    const { all } = await everyOutput(kubeconfig);
    for (const form of forms) expect(all).not.toContain(form);
    expect(all).toContain('hf-token');
  });
});
