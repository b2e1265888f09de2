import { analyzeLoaded, analyzePaths } from '../analyzers/analyze.ts';
import type { AnalysisReport } from '../analyzers/report.ts';
import { loadCluster } from '../analyzers/sources/cluster/index.ts';
import { usageError } from '../core/errors.ts';
import { ExitCode } from '../core/exit-codes.ts';
import { renderAnalysisJson } from '../reports/analysis/json.ts';
import { renderAnalysisMarkdown } from '../reports/analysis/markdown.ts';
import { renderAnalysisTable } from '../reports/analysis/table.ts';
import { ANALYZE_TRAFFIC_OPTIONS, analyzeTraffic } from './analyze-traffic.ts';
import { type CliIo, useColor, writeFileAtomic } from './io.ts';
import { listOption, numberOption, parseVerbArgs, stringOption, type VerbSpec } from './options.ts';
import { VERSION } from './version.ts';
import { whichOnPath } from './which.ts';

export const FAIL_ON = ['stay-on-cluster', 'container-service', 'not-serverless', 'skipped', 'warn'] as const;

/** Flags of the live-cluster source (analyzers/sources/cluster). */
const CLUSTER_OPTIONS: VerbSpec['options'] = [
  {
    name: 'cluster',
    type: 'boolean',
    description:
      'Read a live cluster instead of paths: the kubeconfig (--kubeconfig, else KUBECONFIG, else ~/.kube/config), or in a pod its service account (in-cluster).',
  },
  { name: 'context', type: 'string', value: 'name', description: 'With --cluster: the kubeconfig context.' },
  {
    name: 'namespace',
    short: 'n',
    type: 'string',
    value: 'ns',
    description: "With --cluster: read this namespace (default: the context's namespace, else default).",
  },
  {
    name: 'all-namespaces',
    short: 'A',
    type: 'boolean',
    description: 'With --cluster: read every namespace.',
  },
  { name: 'kubeconfig', type: 'string', value: 'file', description: 'With --cluster: the kubeconfig file.' },
  {
    name: 'request-timeout',
    type: 'string',
    value: 's',
    default: '30',
    description: 'With --cluster: give up on a request to the API server after this many seconds.',
  },
];

export const analyzeSpec: VerbSpec = {
  name: 'analyze',
  summary: 'read Kubernetes manifests and say, per workload, where it belongs and why',
  usage:
    'migrate analyze <path…|-> | --cluster [--context NAME] [-n NS | -A] [--format table|json|md] [--out FILE] [--slo-ms N] [--fail-on …]',
  description:
    'Reads manifests from files, directories (recursively: .yaml, .yml, .json) and stdin (-): Deployments, StatefulSets, HPAs, KEDA, KServe, Knative, Ray, Seldon and more. ' +
    'Each workload gets its resources, GPU demand, model server, model and autoscaling, and a verdict — serverless-function, container-service or stay-on-cluster — with a fit per target ' +
    '(aws-lambda, cloud-run, azure-functions) and the rules behind it, each naming its evidence as file:line. Nothing is dropped: objects it does not use are listed as skipped, with the reason. ' +
    'Kustomize directories are rendered with kubectl when it is installed; Helm charts with helm. ' +
    'With --cluster it reads the same kinds from a live cluster through your kubeconfig instead (Secrets as metadata only).',
  positionals: 'paths to manifest files or directories, or - for stdin',
  options: [
    {
      name: 'format',
      short: 'f',
      type: 'string',
      value: 'format',
      choices: ['table', 'json', 'md'],
      description: 'Output format. Default: table on a terminal, json otherwise.',
    },
    {
      name: 'out',
      short: 'o',
      type: 'string',
      value: 'file',
      description:
        'Write the output to this file (atomically: written beside it, then renamed) instead of stdout.',
    },
    {
      name: 'slo-ms',
      type: 'string',
      value: 'ms',
      description: 'Latency SLO for every workload, in ms; a workload annotation migrate.dev/slo-ms wins.',
    },
    {
      name: 'default-namespace',
      type: 'string',
      value: 'ns',
      default: 'default',
      description: 'Namespace of objects that name none.',
    },
    {
      name: 'max-file-mb',
      type: 'string',
      value: 'MiB',
      default: '16',
      description: 'Refuse manifest files larger than this.',
    },
    {
      name: 'fail-on',
      type: 'string',
      value: 'condition',
      multiple: true,
      description: `Exit 1 when a condition holds: ${FAIL_ON.join(', ')} (comma-separated or repeated). not-serverless = any model server whose verdict is not serverless-function.`,
    },
    ...CLUSTER_OPTIONS,
    ...ANALYZE_TRAFFIC_OPTIONS,
  ],
  examples: [
    {
      command: 'migrate analyze ./k8s',
      explanation: 'A table of every workload under ./k8s with its verdict and per-target fit.',
    },
    {
      command: 'migrate analyze --cluster --context prod -A',
      explanation: 'Analyse what the cluster of kubeconfig context prod runs, in every namespace.',
    },
    {
      command: 'kubectl get deploy,hpa -A -o yaml | migrate analyze - --format json',
      explanation: 'Analyse what a live cluster runs, as JSON.',
    },
    {
      command: 'migrate analyze ./k8s --format md --out analysis.md --fail-on stay-on-cluster',
      explanation: 'Markdown for a PR; exit 1 if any workload must stay.',
    },
  ],
};

export async function runAnalyze(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseVerbArgs(analyzeSpec, argv);
  const cluster = values.cluster === true;
  if (cluster && positionals.length > 0)
    throw usageError(
      `migrate analyze reads either paths or --cluster, not both (got ${positionals.join(' ')})`,
      'drop the paths to read the cluster, or drop --cluster to read the files',
    );
  const clusterOnly = ['context', 'namespace', 'all-namespaces', 'kubeconfig'].find(
    (name) => values[name] !== undefined && values[name] !== false,
  );
  if (!cluster && clusterOnly)
    throw usageError(`--${clusterOnly} applies only with --cluster`, 'add --cluster to read a live cluster');
  if (!cluster && positionals.length === 0)
    throw usageError(
      'migrate analyze needs at least one path (a file, a directory, or - for stdin)',
      'for example: migrate analyze ./k8s (or migrate analyze --cluster to read a live cluster)',
    );
  const failOn = listOption(values, 'fail-on');
  const unknown = failOn.filter((condition) => !(FAIL_ON as readonly string[]).includes(condition));
  if (unknown.length)
    throw usageError(`--fail-on does not know ${unknown.join(', ')}; use ${FAIL_ON.join(', ')}`);
  const format = stringOption(values, 'format') ?? (io.stdout.isTTY ? 'table' : 'json');

  const analysis = {
    defaultNamespace: stringOption(values, 'default-namespace') ?? 'default',
    sloMs: numberOption(values, 'slo-ms', { min: 0 }) ?? null,
    version: VERSION,
    ...(await analyzeTraffic(values, io)),
  };
  const report = cluster
    ? await analyzeClusterNow(values, io, analysis)
    : await analyzePaths(positionals, {
        maxFileBytes: (numberOption(values, 'max-file-mb', { min: 0 }) ?? 16) * 1024 * 1024,
        maxAliasCount: 100,
        which: whichOnPath(io.env),
        readStdin: () => io.readStdin(),
        ...analysis,
      });

  const out = stringOption(values, 'out');
  const rendered =
    format === 'json'
      ? renderAnalysisJson(report)
      : format === 'md'
        ? renderAnalysisMarkdown(report)
        : renderAnalysisTable(report, { color: !out && useColor(io) });
  if (out) {
    await writeFileAtomic(out, rendered);
    io.stderr.write(
      `wrote ${out}: ${report.summary.workloads} workload(s), ${report.summary.errors} error(s)\n`,
    );
  } else {
    io.stdout.write(rendered);
  }
  if (report.errors.length > 0) {
    if (out || format !== 'table')
      io.stderr.write(
        `${report.errors.length} input error(s); the first: ${report.errors[0]!.file}${report.errors[0]!.line === null ? '' : `:${report.errors[0]!.line}`}: ${report.errors[0]!.message}\n`,
      );
    return ExitCode.badInput;
  }
  const met = failOn.filter((condition) => conditionHolds(report, condition));
  if (met.length) {
    io.stderr.write(`--fail-on: ${met.join(', ')} met\n`);
    return ExitCode.failOn;
  }
  return ExitCode.ok;
}

async function analyzeClusterNow(
  values: ReturnType<typeof parseVerbArgs>['values'],
  io: CliIo,
  analysis: Omit<Parameters<typeof analyzeLoaded>[1], 'inputs'>,
): Promise<AnalysisReport> {
  const loaded = await loadCluster({
    kubeconfig: stringOption(values, 'kubeconfig') ?? null,
    context: stringOption(values, 'context') ?? null,
    namespace: stringOption(values, 'namespace') ?? null,
    allNamespaces: values['all-namespaces'] === true,
    requestTimeoutMs: (numberOption(values, 'request-timeout', { min: 0.001 }) ?? 30) * 1000,
    env: io.env,
    cwd: io.cwd,
  });
  return analyzeLoaded(loaded, { ...analysis, inputs: loaded.inputs });
}

function conditionHolds(report: AnalysisReport, condition: string): boolean {
  switch (condition) {
    case 'stay-on-cluster':
    case 'container-service':
      return report.workloads.some((workload) => workload.verdict === condition);
    case 'not-serverless':
      return report.workloads.some(
        (workload) => workload.ml.isModelServer && workload.verdict !== 'serverless-function',
      );
    case 'skipped':
      return report.skipped.length > 0;
    case 'warn':
      return report.workloads.some((workload) =>
        workload.findings.some((finding) => finding.severity !== 'info'),
      );
    default:
      return false;
  }
}
