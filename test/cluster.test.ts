import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeLoaded, analyzePaths } from '../analyzers/analyze.ts';
import { findReader } from '../analyzers/kinds/index.ts';
import type { AnalysisReport } from '../analyzers/report.ts';
import { loadCluster } from '../analyzers/sources/cluster/index.ts';
import { loadInputs } from '../analyzers/sources/index.ts';
import { analyzeOptions } from './helpers/analyze.ts';
import { startFakeApiServer } from './helpers/fake-apiserver.ts';
import { corpusK8sDir, repoRoot } from './helpers/paths.ts';

/**
 * The live-cluster source against the file source: the manifests of examples/k8s and of every corpus
 * file are served by a recorded-shape API server (as a cluster holds them after `kubectl apply`), read
 * back with --cluster, and must give the same workloads, verdicts, fits, findings and links as reading
 * the files. Each corpus file is its own cluster, as corpus.test.ts analyses each file on its own.
 */

const options = analyzeOptions();
const temporary = mkdtempSync(join(tmpdir(), 'migrate-cluster-'));
afterAll(() => rmSync(temporary, { recursive: true, force: true }));

interface Case {
  name: string;
  paths: string[];
  manifests: Record<string, unknown>[];
}

async function caseFor(name: string, paths: string[]): Promise<Case> {
  const loaded = await loadInputs(paths, options);
  return { name, paths, manifests: loaded.objects.map((object) => object.obj) };
}

const corpusFiles = readdirSync(corpusK8sDir, { recursive: true, encoding: 'utf8' })
  .filter((file) => /\.(ya?ml|json)$/.test(file))
  .sort();
const cases = (
  await Promise.all([
    caseFor('examples/k8s', [join(repoRoot, 'examples/k8s')]),
    ...corpusFiles.map((file) => caseFor(file, [join(corpusK8sDir, file)])),
  ])
).filter((entry) =>
  // A file whose objects no reader reads (Helm templates, CRD definitions) has nothing to compare.
  entry.manifests.some(
    (manifest) =>
      typeof manifest.apiVersion === 'string' &&
      typeof manifest.kind === 'string' &&
      findReader(manifest.apiVersion, manifest.kind),
  ),
);

async function analyzeFromCluster(
  manifests: Record<string, unknown>[],
  name: string,
): Promise<{ report: AnalysisReport; requests: number }> {
  const server = await startFakeApiServer({ objects: manifests, pageSize: 2 });
  try {
    const kubeconfig = server.writeKubeconfig(temporary, { context: name });
    const loaded = await loadCluster({
      kubeconfig,
      env: {},
      cwd: temporary,
      allNamespaces: true,
      requestTimeoutMs: 10_000,
    });
    const report = await analyzeLoaded(loaded, { ...options, inputs: loaded.inputs });
    return { report, requests: server.requests.length };
  } finally {
    await server.close();
  }
}

/** Everything the analysis says, without where it read it (file:line versus cluster:…/Kind/name). */
function comparable(report: AnalysisReport) {
  const withoutSources = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(withoutSources);
    // Evidence quoted inside a message: "(…/worker.yaml:18 …)" versus "(cluster:test/ml/Deployment/x:1 …)".
    if (typeof value === 'string') return value.replace(/(cluster:|\/)[^\s()]+:\d+/g, '<source>');
    if (typeof value !== 'object' || value === null) return value;
    if ('file' in value && 'line' in value) return '<source>';
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key]) => !['source', 'sources', 'notes', 'keys', 'link'].includes(key))
        .map(([key, entry]) => [key, withoutSources(entry)]),
    );
  };
  const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);
  return {
    workloads: report.workloads
      .map((workload) => ({
        ...(withoutSources(workload) as object),
        id: workload.id,
        related: [...workload.related].sort(),
        findings: workload.findings.map((finding) => `${finding.rule}:${finding.severity}`).sort(),
        targets: Object.fromEntries(
          Object.entries(workload.targets).map(([target, value]) => [
            target,
            { fit: value.fit, rules: value.findings.map((finding) => finding.rule).sort() },
          ]),
        ),
      }))
      .sort(byId),
    related: report.related
      .map((related) => ({
        ...(withoutSources(related) as object),
        id: related.id,
        attachedTo: related.attachedTo,
      }))
      .sort(byId),
  };
}

describe('analyze --cluster reads what analyze <files> reads', () => {
  it('finds cases to compare: examples/k8s and most corpus files', () => {
    expect(cases[0]!.name).toBe('examples/k8s');
    expect(cases.length).toBeGreaterThan(30);
  });

  it.each(cases.map((entry) => [entry.name, entry] as const))('%s', async (_name, entry) => {
    const fromFiles = await analyzePaths(entry.paths, options);
    const { report: fromCluster } = await analyzeFromCluster(entry.manifests, 'test');
    expect(fromCluster.errors).toEqual([]);
    expect(fromFiles.workloads.length + fromFiles.related.length).toBeGreaterThan(0);
    expect(comparable(fromCluster)).toEqual(comparable(fromFiles));
    // Workloads that came from the cluster say so, with the object's own address.
    for (const workload of fromCluster.workloads) {
      expect(workload.sources[0]!.file).toMatch(/^cluster:test\/([^/]+\/)?[A-Za-z.]+\/[^/]+$/);
      expect(workload.sources[0]!.line).toBe(1);
    }
  });

  it('examples/k8s: the table names the same verdicts, and each source is cluster:<context>/<ns>/<Kind>/<name>', async () => {
    const entry = cases[0]!;
    const { report } = await analyzeFromCluster(entry.manifests, 'kind-ml');
    const fromFiles = await analyzePaths(entry.paths, options);
    expect(report.summary.verdicts).toEqual(fromFiles.summary.verdicts);
    expect(report.summary.workloads).toBe(fromFiles.summary.workloads);
    expect(report.inputs).toEqual(['cluster:kind-ml']);
    expect(report.workloads.map((workload) => workload.sources[0]!.file).sort()).toEqual([
      'cluster:kind-ml/ml/Deployment/embeddings-worker',
      'cluster:kind-ml/ml/Deployment/llm-chat',
      'cluster:kind-ml/ml/InferenceService/fraud-scoring',
      'cluster:kind-ml/ml/StatefulSet/vision-triton',
    ]);
    // Every finding that cites evidence cites the cluster object, never a file of the test machine.
    const cited = report.workloads.flatMap((workload) =>
      workload.findings.flatMap((finding) => (finding.source ? [finding.source.file] : [])),
    );
    expect(cited.length).toBeGreaterThan(0);
    for (const file of cited) expect(file).toMatch(/^cluster:kind-ml\//);
    expect(JSON.stringify(report)).not.toContain(relative('/', repoRoot));
  });
});
