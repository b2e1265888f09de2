import type { PodTemplate, RelatedObject, Workload } from '../core/model/index.ts';
import type { LinkRequest } from './kinds/index.ts';

export interface PendingRelated {
  related: RelatedObject;
  link: LinkRequest | undefined;
}

function allPods(workload: Workload): PodTemplate[] {
  return [workload.pod, ...workload.components.map((component) => component.pod)];
}

function referencesByName(workload: Workload, kind: 'ConfigMap' | 'Secret' | 'PersistentVolumeClaim', name: string): boolean {
  return allPods(workload).some((pod) => {
    const volumes = pod.volumes.some((volume) => {
      const source = volume.source;
      if (kind === 'PersistentVolumeClaim') return source.type === 'pvc' && source.claimName === name;
      if (kind === 'Secret') return source.type === 'secret' && source.name === name;
      return source.type === 'configMap' && source.name === name;
    });
    if (volumes || kind === 'PersistentVolumeClaim') return volumes;
    return pod.containers.some(
      (container) =>
        container.env.some((env) => (kind === 'Secret' ? env.secretRef?.name : env.configMapRef?.name) === name) ||
        container.envFrom.some((from) => (kind === 'Secret' ? from.secretRef : from.configMapRef) === name),
    );
  });
}

function selects(selector: Record<string, string>, labels: Record<string, string>): boolean {
  const entries = Object.entries(selector);
  return entries.length > 0 && entries.every(([key, value]) => labels[key] === value);
}

/**
 * Attaches related objects to workloads in the same namespace: autoscalers to their scale target (their
 * settings become the workload's autoscaling), Services by label selector, Ingresses through Services,
 * PVCs, ConfigMaps and Secrets by the names pods use. Mutates the workloads and related objects given.
 */
export function linkRelated(workloads: Workload[], pending: PendingRelated[]): void {
  const attach = (related: RelatedObject, workload: Workload, why: string) => {
    related.attachedTo.push(workload.id);
    related.link = why;
    if (!workload.related.includes(related.id)) workload.related.push(related.id);
  };
  const sameNamespace = (related: RelatedObject) => workloads.filter((workload) => workload.namespace === related.namespace);

  for (const { related, link } of pending) {
    const candidates = sameNamespace(related);
    if (link?.scaleTarget) {
      const target = link.scaleTarget;
      const workload = candidates.find((entry) => entry.kind === target.kind && entry.name === target.name);
      if (!workload) {
        related.link = `scale target ${target.kind}/${target.name} is not in the input`;
        continue;
      }
      if (workload.autoscaling.kind !== 'none' && workload.autoscaling.by !== workload.id) {
        workload.notes.push({
          message: `two autoscalers target this workload: ${workload.autoscaling.by} and ${related.id}; the later one is shown, and Kubernetes would let them fight`,
          source: related.source,
        });
      }
      workload.autoscaling = target.autoscaling;
      attach(related, workload, `scaleTargetRef ${target.kind}/${target.name}`);
    } else if (link?.selector) {
      const selector = link.selector;
      for (const workload of candidates) {
        if (allPods(workload).some((pod) => selects(selector, pod.labels))) {
          if (link.sessionAffinity) workload.serving.sessionAffinity = true;
          attach(related, workload, `selector ${Object.entries(selector).map(([key, value]) => `${key}=${value}`).join(',')}`);
        }
      }
      if (related.attachedTo.length === 0) related.link = 'selects no pod in the input';
    } else if (link?.storage) {
      const storage = link.storage;
      for (const workload of candidates) {
        if (!referencesByName(workload, 'PersistentVolumeClaim', related.name)) continue;
        attach(related, workload, `volume claimName ${related.name}`);
        const model = workload.ml.model;
        if (workload.ml.isModelServer && storage.sizeBytes !== null && model && model.sizeBytes === null) {
          model.sizeBytes = storage.sizeBytes;
          model.sizeEvidence = 'pvc';
          model.sizeSource = storage.sizeSource;
        }
        const readOnlyClaim = storage.accessModes.length > 0 && storage.accessModes.every((mode) => mode === 'ReadOnlyMany');
        if (!readOnlyClaim && mountsWritable(workload, related.name)) workload.state.writablePvcs.push(related.name);
      }
      if (related.attachedTo.length === 0) related.link = 'no workload in the input mounts it';
    } else if (related.role === 'config' || related.role === 'secret') {
      const kind = related.role === 'secret' ? 'Secret' : 'ConfigMap';
      for (const workload of candidates) {
        if (referencesByName(workload, kind, related.name)) attach(related, workload, `referenced by name from the pod spec`);
      }
      if (related.attachedTo.length === 0) related.link = 'not referenced by any workload in the input';
    } else if (link?.runtime) {
      const runtime = link.runtime;
      const users = workloads.filter(
        (workload) =>
          (runtime.cluster || workload.namespace === related.namespace) &&
          (workload.ml.runtime === related.name ||
            (workload.ml.runtime === null && workload.ml.model?.format !== null && runtime.formats.includes(workload.ml.model?.format ?? ''))),
      );
      for (const workload of users) attach(related, workload, workload.ml.runtime === related.name ? `runtime ${related.name}` : `serves model format ${workload.ml.model?.format}`);
      if (related.attachedTo.length === 0) related.link = 'no InferenceService in the input uses it';
    }
  }

  // Ingresses route to Services: a second pass, once Services know their workloads.
  const services = new Map(pending.filter((entry) => entry.related.kind === 'Service').map((entry) => [`${entry.related.namespace}/${entry.related.name}`, entry.related]));
  for (const { related, link } of pending) {
    if (!link?.serviceNames) continue;
    for (const name of link.serviceNames) {
      const service = services.get(`${related.namespace}/${name}`);
      for (const id of service?.attachedTo ?? []) {
        const workload = workloads.find((entry) => entry.id === id);
        if (workload) attach(related, workload, `routes to Service ${name}`);
      }
    }
    if (related.attachedTo.length === 0) related.link = 'routes to no Service of a workload in the input';
  }
}

function mountsWritable(workload: Workload, claimName: string): boolean {
  return allPods(workload).some((pod) => {
    const volume = pod.volumes.find((entry) => entry.source.type === 'pvc' && entry.source.claimName === claimName);
    if (!volume || (volume.source.type === 'pvc' && volume.source.readOnly)) return false;
    const mounts = pod.containers.flatMap((container) => container.volumeMounts.filter((mount) => mount.name === volume.name));
    return mounts.some((mount) => !mount.readOnly);
  });
}
