import type { Finding, SourceRef } from '../../core/model/index.ts';
import { at, podShapes, prose, reporter, servingSource, sourceOf } from './format.ts';
import type { Rule } from './types.ts';

const TEMPLATE = / \(volumeClaimTemplate\)$/;

/**
 * decision-rules.md: "stateful sequence processing" stays on the cluster, and the analyzer flags what
 * holds state (StatefulSets, PVCs written at run time, in-memory session affinity). Disks written at run
 * time block every target; identity or session affinity alone only warn: that state can move out.
 */
export const stateful: Rule = {
  id: 'stateful',
  title: 'State held in the workload',
  description:
    'StatefulSets with claims and PVCs written at run time keep the workload on the cluster; session affinity warns.',
  check(workload, context) {
    const say = reporter(this.id);
    const pvcVolumes = podShapes(workload).flatMap((shape) =>
      shape.pod.volumes.flatMap((volume) =>
        volume.source.type === 'pvc' ? [{ volume, claim: volume.source.claimName, shape }] : [],
      ),
    );
    const claimSource = (claim: string): SourceRef | null =>
      sourceOf(
        workload,
        pvcVolumes.find((entry) => entry.claim === claim.replace(TEMPLATE, ''))?.volume.sourceRef,
      );
    const findings: Finding[] = [];
    const writable = workload.state.writablePvcs;
    if (writable.length > 0) {
      const named = prose(writable.map((claim) => `${claim}${at(claimSource(claim))}`));
      const owner = workload.state.statefulSet ? 'StatefulSet writes' : 'writes';
      const message = `${owner} persistent volumes at run time: ${named}; serverless instances keep no disk between requests, so this state stays with the cluster`;
      findings.push(say.block(message, claimSource(writable[0]!)));
    } else if (workload.state.statefulSet) {
      const source = sourceOf(workload);
      const message = `StatefulSet${at(source)} without writable volumes: its stable pod identity has no serverless equivalent; check nothing depends on it`;
      findings.push(say.warn(message, source));
    }
    // A claim mounted read-write whose PVC is not in the input: its access modes are unknown.
    for (const { volume, claim, shape } of pvcVolumes) {
      if (volume.source.type === 'pvc' && volume.source.readOnly) continue;
      if (
        writable.includes(claim) ||
        context.related.has(`${workload.namespace}/PersistentVolumeClaim/${claim}`)
      )
        continue;
      const mounts = shape.pod.containers.flatMap((container) => container.volumeMounts);
      if (!mounts.some((mount) => mount.name === volume.name && !mount.readOnly)) continue;
      const message = `PVC ${claim} is mounted read-write${at(volume.sourceRef)} and is not in the input: if it is written at run time, that state must move out (object storage, a database) or the workload stays`;
      findings.push(say.warn(message, volume.sourceRef));
    }
    if (workload.serving.sessionAffinity) {
      // A Service with sessionAffinity: ClientIP sets it (analyzers/link.ts); other kinds set serving.source.
      const service = workload.related
        .map((id) => context.related.get(id))
        .find((related) => related?.kind === 'Service');
      const source = service ? service.source : servingSource(workload, 'settings');
      const message = `session affinity pins clients to one pod${at(source)}: serverless instances come and go, so session state must move to an external store (Redis, DynamoDB)`;
      findings.push(say.warn(message, source));
    }
    return findings;
  },
};
