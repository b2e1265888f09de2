import type { WorkloadReport } from '../../analyzers/report.ts';
import type { RelatedObject, SourceRef } from '../../core/model/index.ts';

/**
 * A container's environment, sorted by where each value lives. Secret and ConfigMap values were never
 * read (the analysis keeps key names only), so a target can only refer to them in its own store:
 * the helpers here say which store entry each variable needs, and the target formats the reference.
 */
export type EnvEntry =
  | { kind: 'literal'; name: string; value: string; source: SourceRef }
  | { kind: 'secret'; name: string; secret: string; key: string; via: 'env' | 'envFrom'; source: SourceRef }
  | {
      kind: 'config';
      name: string;
      configMap: string;
      key: string;
      via: 'env' | 'envFrom';
      source: SourceRef;
    }
  | { kind: 'field'; name: string; field: string; source: SourceRef }
  | { kind: 'unresolved'; name: string | null; reason: string; source: SourceRef };

type Container = WorkloadReport['containers'][number];

/**
 * Every variable the container sees, in Kubernetes' precedence: `envFrom` first, then `env`, whose
 * entries replace `envFrom` keys of the same name. `envFrom` expands to the keys of the Secret or
 * ConfigMap when the analysis saw that object; otherwise the entry is `unresolved`.
 */
export function containerEnvironment(
  container: Container,
  namespace: string,
  related: readonly RelatedObject[],
): EnvEntry[] {
  const byName = new Map<string, EnvEntry>();
  const unresolved: EnvEntry[] = [];
  const source = container.source;
  const keysOf = (kind: 'Secret' | 'ConfigMap', name: string) =>
    related.find((object) => object.kind === kind && object.namespace === namespace && object.name === name)
      ?.keys ?? null;
  for (const from of container.envFrom) {
    const kind = from.secretRef !== undefined ? 'Secret' : 'ConfigMap';
    const name = from.secretRef ?? from.configMapRef ?? '';
    const keys = keysOf(kind, name);
    if (keys === null) {
      unresolved.push({
        kind: 'unresolved',
        name: null,
        reason: `envFrom ${kind} ${name}: the ${kind} is not in the input, so its keys (the variable names) are unknown`,
        source,
      });
      continue;
    }
    for (const key of keys) {
      byName.set(
        key,
        kind === 'Secret'
          ? { kind: 'secret', name: key, secret: name, key, via: 'envFrom', source }
          : { kind: 'config', name: key, configMap: name, key, via: 'envFrom', source },
      );
    }
  }
  for (const variable of container.env) {
    const name = variable.name;
    if (variable.secretRef) {
      if (variable.secretRef.key === null) {
        unresolved.push({
          kind: 'unresolved',
          name,
          reason: `${name} refers to Secret ${variable.secretRef.name} without a key`,
          source,
        });
        continue;
      }
      const entry: EnvEntry = {
        kind: 'secret',
        name,
        secret: variable.secretRef.name,
        key: variable.secretRef.key,
        via: 'env',
        source,
      };
      byName.set(name, entry);
    } else if (variable.configMapRef) {
      if (variable.configMapRef.key === null) {
        unresolved.push({
          kind: 'unresolved',
          name,
          reason: `${name} refers to ConfigMap ${variable.configMapRef.name} without a key`,
          source,
        });
        continue;
      }
      byName.set(name, {
        kind: 'config',
        name,
        configMap: variable.configMapRef.name,
        key: variable.configMapRef.key,
        via: 'env',
        source,
      });
    } else if (variable.fieldRef !== undefined) {
      byName.set(name, { kind: 'field', name, field: variable.fieldRef, source });
    } else {
      byName.set(name, { kind: 'literal', name, value: variable.value ?? '', source });
    }
  }
  return [...byName.values(), ...unresolved];
}

/** Names that usually hold credentials: a literal under such a name should move to a secret store. */
export function looksLikeSecret(name: string): boolean {
  return /(secret|token|passw(or)?d|api[_-]?key|credential|private[_-]?key|access[_-]?key)/i.test(name);
}

/** The main container(s): what a single-container target runs. Sidecars and init containers are not. */
export function mainContainers(workload: WorkloadReport): Container[] {
  return workload.containers.filter((container) => container.role === 'main');
}
