import { configmap } from './configmap.ts';
import { cronjob } from './cronjob.ts';
import { daemonset } from './daemonset.ts';
import { deployment } from './deployment.ts';
import { horizontalpodautoscaler } from './horizontalpodautoscaler.ts';
import { inferencegraph } from './inferencegraph.ts';
import { inferenceservice } from './inferenceservice.ts';
import { ingress } from './ingress.ts';
import { job } from './job.ts';
import { kaitoWorkspace } from './kaito-workspace.ts';
import { kedaHttpscaledobject } from './keda-httpscaledobject.ts';
import { kedaScaledobject } from './keda-scaledobject.ts';
import { knativeService } from './knative-service.ts';
import { leaderworkerset } from './leaderworkerset.ts';
import { llminferenceservice } from './llminferenceservice.ts';
import { namespace } from './namespace.ts';
import { nimservice } from './nimservice.ts';
import { persistentvolume } from './persistentvolume.ts';
import { persistentvolumeclaim } from './persistentvolumeclaim.ts';
import { pod } from './pod.ts';
import { raycluster } from './raycluster.ts';
import { rayservice } from './rayservice.ts';
import { replicaset } from './replicaset.ts';
import { secret } from './secret.ts';
import { seldondeployment } from './seldondeployment.ts';
import { service } from './service.ts';
import { serviceaccount } from './serviceaccount.ts';
import { servingruntime } from './servingruntime.ts';
import { statefulset } from './statefulset.ts';
import { apiGroupAndVersion, type KindReader } from './types.ts';
import { vllmruntime } from './vllmruntime.ts';

/** Every kind reader, one line each. Adding a kind: write its file, add it here (kept sorted). */
export const KIND_READERS: readonly KindReader[] = [
  configmap,
  cronjob,
  daemonset,
  deployment,
  horizontalpodautoscaler,
  inferencegraph,
  inferenceservice,
  ingress,
  job,
  kaitoWorkspace,
  kedaHttpscaledobject,
  kedaScaledobject,
  knativeService,
  leaderworkerset,
  llminferenceservice,
  namespace,
  nimservice,
  persistentvolume,
  persistentvolumeclaim,
  pod,
  raycluster,
  rayservice,
  replicaset,
  secret,
  seldondeployment,
  service,
  serviceaccount,
  servingruntime,
  statefulset,
  vllmruntime,
];

const byKind = new Map<string, { reader: KindReader; group: string; versions: readonly string[] }[]>();
for (const reader of KIND_READERS) {
  for (const match of reader.matches) {
    const entries = byKind.get(match.kind) ?? [];
    entries.push({ reader, group: match.group, versions: match.versions });
    byKind.set(match.kind, entries);
  }
}

/** The reader for an apiVersion and kind, keyed on both: the same kind name means different things in different groups. */
export function findReader(apiVersion: string, kind: string): KindReader | null {
  const { group, version } = apiGroupAndVersion(apiVersion);
  const candidates = byKind.get(kind) ?? [];
  const match = candidates.find((entry) => entry.group === group && entry.versions.includes(version));
  return match?.reader ?? null;
}

/** Same kind known in another group or version: tells the user why it was not read. */
export function knownElsewhere(apiVersion: string, kind: string): string | null {
  const candidates = byKind.get(kind) ?? [];
  if (candidates.length === 0) return null;
  const known = candidates.flatMap((entry) =>
    entry.versions.map((version) => (entry.group ? `${entry.group}/${version}` : version)),
  );
  return `${kind} is read for apiVersion ${known.join(', ')}, not ${apiVersion}`;
}

export type { KindReader, LinkRequest, ReadContext, ReadResult } from './types.ts';
