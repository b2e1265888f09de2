/**
 * The converters plan from a `WorkloadReport` (what `migrate analyze --format json` prints); the replay
 * holds the `Workload` it was built from. This is the same projection `toReport` makes
 * (analyzers/report.ts), so the planning functions see exactly what `migrate convert` shows them.
 */

import type { WorkloadReport } from '../../../../analyzers/report.ts';
import { DEFAULT_WARM_QUANTILE } from '../../../../converters/cold-start/size.ts';
import type { ConvertContext } from '../../../../converters/types.ts';
import type { Workload } from '../../../../core/model/index.ts';

export function workloadReport(workload: Workload): WorkloadReport {
  const { containers, ...pod } = workload.pod;
  const report: Omit<WorkloadReport, 'verdict' | 'targets' | 'findings'> = {
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
    containers,
    pod,
    components: workload.components.map(({ pod: _pod, ...rest }) => rest),
    related: workload.related,
    notes: workload.notes,
    traffic: null,
    observed: null,
  };
  // The planning functions never read the assessment (verdict, fits, findings): the framework
  // (converters/common/run.ts) acts on blockers before a converter runs.
  return {
    ...report,
    verdict: 'serverless-function',
    targets: {},
    findings: [],
  } as unknown as WorkloadReport;
}

/**
 * What `migrate convert` passes a converter when it is given no traffic: no related objects (they only
 * decide secrets, volumes and the HTTP entry point, none of which the replay simulates) and no
 * traffic, so warm capacity takes the converter's no-traffic default.
 */
export function planContext(): ConvertContext {
  return {
    related: [],
    traffic: null,
    serviceMs: null,
    warmQuantile: DEFAULT_WARM_QUANTILE,
    scaffolds: null,
    version: 'replay',
  };
}

/** A config the converter planned, saying why when --config-dir was given but had no file for it. */
export function planned<T extends { source: string }>(config: T, because: string | undefined): T {
  return because ? { ...config, source: because } : config;
}
