import type {
  Finding,
  InputError,
  RelatedObject,
  SkippedObject,
  SourceRef,
  TargetId,
  Workload,
} from '../core/model/index.ts';
import { type TrafficProfile, type TrafficStatsJson, trafficStatsJson } from '../core/traffic/index.ts';
import type { Verdict, WorkloadAssessment } from './assess.ts';
import type { Inventory } from './inventory.ts';

/** Bumped when a field changes meaning or disappears; adding fields keeps the version. */
export const ANALYSIS_SCHEMA_VERSION = 1;

export interface WorkloadReport {
  id: string;
  kind: string;
  apiVersion: string;
  namespace: string;
  name: string;
  sources: SourceRef[];
  replicas: number | null;
  resources: Workload['resources'];
  ml: Workload['ml'];
  autoscaling: Workload['autoscaling'];
  serving: Workload['serving'];
  state: Workload['state'];
  containers: Workload['pod']['containers'];
  /** The rest of the pod template: volumes, node selector, tolerations, service account, host access, labels. */
  pod: Omit<Workload['pod'], 'containers'>;
  components: {
    name: string;
    role: string;
    replicas: number | null;
    minReplicas: number | null;
    maxReplicas: number | null;
    resources: Workload['resources'];
  }[];
  related: string[];
  notes: Workload['notes'];
  /** Statistics of the traffic given for this workload (`--traffic`, `--prometheus`), or null. */
  traffic: TrafficStatsJson | null;
  /** What the cluster did over the traffic's window (Prometheus): replicas and GPU time allocated vs busy. */
  observed: {
    replicas: { min: number; max: number; mean: number } | null;
    gpu: NonNullable<TrafficProfile['cluster']>['gpu'];
  } | null;
  verdict: Verdict;
  targets: Record<TargetId, { fit: WorkloadAssessment['targets'][TargetId]['fit']; findings: Finding[] }>;
  findings: Finding[];
}

export interface AnalysisReport {
  schemaVersion: number;
  tool: { name: 'migrate'; version: string };
  inputs: string[];
  workloads: WorkloadReport[];
  related: RelatedObject[];
  skipped: SkippedObject[];
  errors: InputError[];
  notes: string[];
  summary: {
    files: number;
    objects: number;
    workloads: number;
    modelServers: number;
    related: number;
    skipped: number;
    errors: number;
    verdicts: Record<Verdict, number>;
  };
}

/** The plain, serialisable result of `migrate analyze`; later stages read it back from JSON. */
export function toReport(
  inputs: string[],
  inventory: Inventory,
  assessments: Map<string, WorkloadAssessment>,
  version: string,
  traffic: ReadonlyMap<string, TrafficProfile> = new Map(),
): AnalysisReport {
  const workloads = inventory.workloads.map((workload) => {
    const assessment = assessments.get(workload.id)!;
    const profile = traffic.get(workload.id);
    const targets = {} as WorkloadReport['targets'];
    for (const [target, value] of Object.entries(assessment.targets) as [
      TargetId,
      WorkloadAssessment['targets'][TargetId],
    ][]) {
      targets[target] = {
        fit: value.fit,
        findings: assessment.findings.filter(
          (finding) =>
            finding.severity !== 'info' && (finding.targets.length === 0 || finding.targets.includes(target)),
        ),
      };
    }
    return {
      id: workload.id,
      kind: workload.kind,
      apiVersion: workload.apiVersion,
      namespace: workload.namespace,
      name: workload.name,
      sources: workload.sources,
      replicas: workload.replicas,
      resources: workload.resources,
      ml: workload.ml,
      autoscaling: workload.autoscaling,
      serving: workload.serving,
      state: workload.state,
      containers: workload.pod.containers,
      pod: podWithoutContainers(workload.pod),
      components: workload.components.map(({ pod: _pod, ...rest }) => rest),
      related: workload.related,
      notes: workload.notes,
      traffic: profile ? trafficStatsJson(profile) : null,
      observed: profile?.cluster
        ? { replicas: profile.cluster.replicaStats, gpu: profile.cluster.gpu }
        : null,
      verdict: assessment.verdict,
      targets,
      findings: assessment.findings,
    };
  });
  const verdicts: Record<Verdict, number> = {
    'serverless-function': 0,
    'container-service': 0,
    'stay-on-cluster': 0,
  };
  for (const workload of workloads) verdicts[workload.verdict] += 1;
  return {
    schemaVersion: ANALYSIS_SCHEMA_VERSION,
    tool: { name: 'migrate', version },
    inputs,
    workloads,
    related: inventory.related,
    skipped: inventory.skipped,
    errors: inventory.errors,
    notes: inventory.notes,
    summary: {
      files: inventory.files.length,
      objects: inventory.objects,
      workloads: workloads.length,
      modelServers: workloads.filter((workload) => workload.ml.isModelServer).length,
      related: inventory.related.length,
      skipped: inventory.skipped.length,
      errors: inventory.errors.length,
      verdicts,
    },
  };
}

function podWithoutContainers({
  containers: _containers,
  ...rest
}: Workload['pod']): Omit<Workload['pod'], 'containers'> {
  return rest;
}
