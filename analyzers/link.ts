import type { PodTemplate, RelatedObject, Workload } from '../core/model/index.ts';
import type { LinkRequest } from './kinds/index.ts';

export interface PendingRelated {
  related: RelatedObject;
  link: LinkRequest | undefined;
}

function allPods(workload: Workload): PodTemplate[] {
  return [workload.pod, ...workload.components.map((component) => component.pod)];
}

type ReferenceKind = 'ConfigMap' | 'Secret' | 'PersistentVolumeClaim';

/**
 * Indexes built in one pass over the workloads, so linking stays linear in the number of objects
 * (a fleet has thousands of each; pairwise matching was the slowest part of the analysis).
 */
class WorkloadIndex {
  private readonly byName = new Map<string, Workload>();
  private readonly byReference = new Map<string, Workload[]>();
  private readonly byLabel = new Map<string, Workload[]>();
  private readonly byRuntime = new Map<string, Workload[]>();
  private readonly byFormat = new Map<string, Workload[]>();
  private readonly byServiceAccount = new Map<string, Workload[]>();
  private readonly byNamespace = new Map<string, Workload[]>();

  constructor(readonly workloads: Workload[]) {
    for (const workload of workloads) {
      const ns = workload.namespace;
      this.byName.set(`${ns}/${workload.kind}/${workload.name}`, workload);
      const references = new Set<string>();
      const labels = new Set<string>();
      const accounts = new Set<string>();
      push(this.byNamespace, ns, workload);
      for (const pod of allPods(workload)) {
        // Pods that name no service account run as `default`.
        accounts.add(`${ns}/${pod.serviceAccountName ?? 'default'}`);
        for (const [key, value] of Object.entries(pod.labels)) labels.add(`${ns}/${key}=${value}`);
        for (const volume of pod.volumes) {
          const source = volume.source;
          if (source.type === 'pvc') references.add(`${ns}/PersistentVolumeClaim/${source.claimName}`);
          if (source.type === 'secret') references.add(`${ns}/Secret/${source.name}`);
          if (source.type === 'configMap') references.add(`${ns}/ConfigMap/${source.name}`);
        }
        for (const container of pod.containers) {
          for (const env of container.env) {
            if (env.secretRef) references.add(`${ns}/Secret/${env.secretRef.name}`);
            if (env.configMapRef) references.add(`${ns}/ConfigMap/${env.configMapRef.name}`);
          }
          for (const from of container.envFrom) {
            if (from.secretRef) references.add(`${ns}/Secret/${from.secretRef}`);
            if (from.configMapRef) references.add(`${ns}/ConfigMap/${from.configMapRef}`);
          }
        }
      }
      for (const key of references) push(this.byReference, key, workload);
      for (const key of labels) push(this.byLabel, key, workload);
      for (const key of accounts) push(this.byServiceAccount, key, workload);
      if (workload.ml.runtime) push(this.byRuntime, workload.ml.runtime, workload);
      else if (workload.ml.model?.format) push(this.byFormat, workload.ml.model.format, workload);
    }
  }

  named(namespace: string, kind: string, name: string): Workload | undefined {
    return this.byName.get(`${namespace}/${kind}/${name}`);
  }

  referencing(namespace: string, kind: ReferenceKind, name: string): Workload[] {
    return this.byReference.get(`${namespace}/${kind}/${name}`) ?? [];
  }

  /** Workloads with a pod whose labels include every pair of the selector. */
  selected(namespace: string, selector: Record<string, string>): Workload[] {
    const entries = Object.entries(selector);
    if (entries.length === 0) return [];
    const [firstKey, firstValue] = entries[0]!;
    return (this.byLabel.get(`${namespace}/${firstKey}=${firstValue}`) ?? []).filter((workload) =>
      allPods(workload).some((pod) => entries.every(([key, value]) => pod.labels[key] === value)),
    );
  }

  runningAs(namespace: string, serviceAccount: string): Workload[] {
    return this.byServiceAccount.get(`${namespace}/${serviceAccount}`) ?? [];
  }

  inNamespace(namespace: string): Workload[] {
    return this.byNamespace.get(namespace) ?? [];
  }

  usingRuntime(name: string): Workload[] {
    return this.byRuntime.get(name) ?? [];
  }

  servingFormat(format: string): Workload[] {
    return this.byFormat.get(format) ?? [];
  }

  byId(id: string): Workload | undefined {
    return this.workloads.find((workload) => workload.id === id);
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function attach(related: RelatedObject, workload: Workload, why: string): void {
  related.attachedTo.push(workload.id);
  related.link = why;
  if (!workload.related.includes(related.id)) workload.related.push(related.id);
}

/**
 * Attaches related objects to workloads in the same namespace: autoscalers to their scale target (their
 * settings become the workload's autoscaling), Services by label selector, Ingresses through Services,
 * PVCs, ConfigMaps and Secrets by the names pods use, ServingRuntimes by name or model format. Mutates
 * the workloads and related objects given.
 */
export function linkRelated(workloads: Workload[], pending: PendingRelated[]): void {
  const index = new WorkloadIndex(workloads);
  for (const { related, link } of pending) {
    if (link?.scaleTarget) linkAutoscaler(index, related, link.scaleTarget);
    else if (link?.selector) {
      for (const workload of index.selected(related.namespace, link.selector)) {
        if (link.sessionAffinity) workload.serving.sessionAffinity = true;
        attach(
          related,
          workload,
          `selector ${Object.entries(link.selector)
            .map(([key, value]) => `${key}=${value}`)
            .join(',')}`,
        );
      }
      if (related.attachedTo.length === 0) related.link = 'selects no pod in the input';
    } else if (link?.storage) linkStorage(index, related, link.storage);
    else if (related.role === 'config' || related.role === 'secret') {
      for (const workload of index.referencing(
        related.namespace,
        related.role === 'secret' ? 'Secret' : 'ConfigMap',
        related.name,
      )) {
        attach(related, workload, 'referenced by name from the pod spec');
      }
      if (related.attachedTo.length === 0) related.link = 'not referenced by any workload in the input';
    } else if (link?.runtime) linkRuntime(index, related, link.runtime);
    else if (link) linkByName(index, related, link);
  }
  linkIngresses(index, pending);
  linkTriggerAuthentications(index, pending);
}

/** Objects that name their workloads (InferenceGraph steps), or are named by them (ServiceAccount, Namespace, PV). */
function linkByName(index: WorkloadIndex, related: RelatedObject, link: LinkRequest): void {
  if (link.workloadRefs) {
    for (const ref of link.workloadRefs) {
      const workload = index.named(related.namespace, ref.kind, ref.name);
      if (workload) attach(related, workload, `names ${ref.kind}/${ref.name}`);
    }
    const names = link.workloadRefs.map((ref) => `${ref.kind}/${ref.name}`).join(', ');
    if (related.attachedTo.length === 0) {
      related.link = names ? `names ${names}, none of them in the input` : 'names no workload';
    }
  } else if (link.serviceAccount) {
    for (const workload of index.runningAs(related.namespace, related.name)) {
      attach(related, workload, `pods run as ServiceAccount ${related.name}`);
    }
    if (related.attachedTo.length === 0) related.link = 'no workload in the input runs as it';
  } else if (link.namespaceMembers) {
    for (const workload of index.inNamespace(related.name)) {
      attach(related, workload, `workload in namespace ${related.name}`);
    }
    if (related.attachedTo.length === 0) related.link = 'no workload in the input is in this namespace';
  } else if (link.claimRef !== undefined) {
    const claim = link.claimRef;
    const mounting = claim ? index.referencing(claim.namespace, 'PersistentVolumeClaim', claim.name) : [];
    for (const workload of mounting) {
      attach(related, workload, `bound to claim ${claim?.namespace}/${claim?.name}`);
    }
    if (related.attachedTo.length === 0) {
      related.link = claim
        ? `bound to claim ${claim.namespace}/${claim.name}, which no workload in the input mounts`
        : 'no spec.claimRef: a claim binds it by volumeName, which is not followed';
    }
  }
}

/** KEDA trigger authentications follow the autoscalers whose triggers name them, once those have attached. */
function linkTriggerAuthentications(index: WorkloadIndex, pending: PendingRelated[]): void {
  const users = new Map<string, RelatedObject[]>();
  for (const { related, link } of pending) {
    for (const ref of link?.scaleTarget?.authenticationRefs ?? []) {
      push(users, `${related.namespace}/${ref.kind}/${ref.name}`, related);
      push(users, `${ref.kind}/${ref.name}`, related);
    }
  }
  for (const { related, link } of pending) {
    if (!link?.authentication) continue;
    // A ClusterTriggerAuthentication serves every namespace; a TriggerAuthentication only its own.
    const key = link.authentication.cluster
      ? `${related.kind}/${related.name}`
      : `${related.namespace}/${related.kind}/${related.name}`;
    const autoscalers = users.get(key) ?? [];
    for (const autoscaler of autoscalers) {
      for (const id of autoscaler.attachedTo) {
        const workload = index.byId(id);
        if (workload) attach(related, workload, `authenticates the triggers of ${autoscaler.id}`);
      }
    }
    if (related.attachedTo.length === 0) {
      related.link =
        autoscalers.length === 0
          ? 'no autoscaler in the input uses it'
          : `used by ${autoscalers.map((autoscaler) => autoscaler.id).join(', ')}, whose scale target is not in the input`;
    }
  }
}

function linkAutoscaler(
  index: WorkloadIndex,
  related: RelatedObject,
  target: NonNullable<LinkRequest['scaleTarget']>,
): void {
  const workload = index.named(related.namespace, target.kind, target.name);
  if (!workload) {
    related.link = `scale target ${target.kind}/${target.name} is not in the input`;
    return;
  }
  if (workload.autoscaling.kind !== 'none' && workload.autoscaling.by !== workload.id) {
    workload.notes.push({
      message: `two autoscalers target this workload: ${workload.autoscaling.by} and ${related.id}; the later one is shown, and Kubernetes would let them fight`,
      source: related.source,
    });
  }
  workload.autoscaling = target.autoscaling;
  // A floor of zero replicas (KEDA's default) is scale to zero, whichever autoscaler sets it.
  if (target.autoscaling.minReplicas === 0) workload.serving.scaleToZero = true;
  attach(related, workload, `scaleTargetRef ${target.kind}/${target.name}`);
}

function linkStorage(
  index: WorkloadIndex,
  related: RelatedObject,
  storage: NonNullable<LinkRequest['storage']>,
): void {
  for (const workload of index.referencing(related.namespace, 'PersistentVolumeClaim', related.name)) {
    attach(related, workload, `volume claimName ${related.name}`);
    const model = workload.ml.model;
    if (workload.ml.isModelServer && storage.sizeBytes !== null && model && model.sizeBytes === null) {
      model.sizeBytes = storage.sizeBytes;
      model.sizeEvidence = 'pvc';
      model.sizeSource = storage.sizeSource;
    }
    const readOnlyClaim =
      storage.accessModes.length > 0 && storage.accessModes.every((mode) => mode === 'ReadOnlyMany');
    if (!readOnlyClaim && mountsWritable(workload, related.name))
      workload.state.writablePvcs.push(related.name);
  }
  if (related.attachedTo.length === 0) related.link = 'no workload in the input mounts it';
}

function linkRuntime(
  index: WorkloadIndex,
  related: RelatedObject,
  runtime: NonNullable<LinkRequest['runtime']>,
): void {
  const inScope = (workload: Workload) => runtime.cluster || workload.namespace === related.namespace;
  for (const workload of index.usingRuntime(related.name).filter(inScope))
    attach(related, workload, `runtime ${related.name}`);
  for (const format of runtime.formats) {
    for (const workload of index.servingFormat(format).filter(inScope))
      attach(related, workload, `serves model format ${format}`);
  }
  if (related.attachedTo.length === 0) related.link = 'no InferenceService in the input uses it';
}

/** Ingresses route to Services: a second pass, once Services know their workloads. */
function linkIngresses(index: WorkloadIndex, pending: PendingRelated[]): void {
  const services = new Map(
    pending
      .filter((entry) => entry.related.kind === 'Service')
      .map((entry) => [`${entry.related.namespace}/${entry.related.name}`, entry.related]),
  );
  for (const { related, link } of pending) {
    if (!link?.serviceNames) continue;
    for (const name of link.serviceNames) {
      for (const id of services.get(`${related.namespace}/${name}`)?.attachedTo ?? []) {
        const workload = index.byId(id);
        if (workload) attach(related, workload, `routes to Service ${name}`);
      }
    }
    if (related.attachedTo.length === 0) related.link = 'routes to no Service of a workload in the input';
  }
}

function mountsWritable(workload: Workload, claimName: string): boolean {
  return allPods(workload).some((pod) => {
    const volume = pod.volumes.find(
      (entry) => entry.source.type === 'pvc' && entry.source.claimName === claimName,
    );
    if (!volume || (volume.source.type === 'pvc' && volume.source.readOnly)) return false;
    const mounts = pod.containers.flatMap((container) =>
      container.volumeMounts.filter((mount) => mount.name === volume.name),
    );
    return mounts.some((mount) => !mount.readOnly);
  });
}
