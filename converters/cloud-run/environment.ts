import type { WorkloadReport } from '../../analyzers/report.ts';
import { formatSource, type RelatedObject } from '../../core/model/index.ts';
import { containerEnvironment, looksLikeSecret, mainContainers } from '../common/environment.ts';
import { NAME_RULES, sanitizeName } from '../common/names.ts';
import type { NotCarried } from '../types.ts';
import { RESERVED_ENV } from './limits.ts';

/**
 * The container's environment on Cloud Run. Literal values are kept (they are in the manifest already).
 * A Secret key becomes a Secret Manager secret referenced by `valueFrom.secretKeyRef` (version
 * `latest`): the YAML names where the value lives, never the value. Cloud Run's env takes literals and
 * Secret Manager references only, and migrate never reads ConfigMap values (the analysis keeps key names),
 * so ConfigMap keys are listed for the reviewer to copy in as literals, with the command that prints them.
 */
export interface RunVariable {
  name: string;
  /** A literal, or a Secret Manager secret (key: the version). */
  value: { literal: string } | { secret: string; version: 'latest' };
  source: string;
}

export interface SecretEntry {
  /** Secret Manager secret id. */
  name: string;
  from: { namespace: string; name: string; key: string };
}

export interface ConfigEntry {
  variable: string;
  namespace: string;
  configMap: string;
  key: string;
  source: string;
}

/** What a pod field reference means on Cloud Run, where there is an equivalent. */
const FIELD_EQUIVALENTS: Record<string, string> = {
  'metadata.name':
    'Cloud Run sets K_REVISION (the revision) and K_SERVICE (the service name): read those instead',
  'spec.nodeName': 'there is no node: drop it',
  'status.podIP': 'an instance has no stable address: drop it',
  'status.hostIP': 'there is no host: drop it',
  'spec.serviceAccountName':
    'the revision runs as its service account (serviceAccountName): drop it or name the account',
};

export function secretEntry(namespace: string, secret: string, key: string): SecretEntry {
  return {
    name: sanitizeName(`${namespace}-${secret}-${key}`, NAME_RULES.secretManagerSecret),
    from: { namespace, name: secret, key },
  };
}

export interface RunEnvironment {
  variables: RunVariable[];
  secrets: SecretEntry[];
  configs: ConfigEntry[];
  notCarried: NotCarried[];
  notes: string[];
}

export function runEnvironment(workload: WorkloadReport, related: readonly RelatedObject[]): RunEnvironment {
  const main = mainContainers(workload)[0];
  const result: RunEnvironment = { variables: [], secrets: [], configs: [], notCarried: [], notes: [] };
  if (!main) return result;
  const where = formatSource(main.source);
  for (const entry of containerEnvironment(main, workload.namespace, related)) {
    if (entry.kind === 'unresolved') {
      result.notCarried.push({
        what: entry.name ? `environment variable ${entry.name}` : 'environment from envFrom',
        source: entry.source,
        action: `${entry.reason}: add the variables to service.yaml by hand, secrets as Secret Manager references`,
      });
    } else if (RESERVED_ENV.has(entry.name)) {
      result.notCarried.push({
        what: `environment variable ${entry.name}`,
        source: entry.source,
        action:
          'Cloud Run sets this variable itself (PORT: the port requests arrive on; K_*: the Knative runtime contract): read it instead of setting it',
      });
    } else if (entry.kind === 'literal') {
      result.variables.push({
        name: entry.name,
        value: { literal: entry.value },
        source: `env of container ${main.name} (${where}), literal`,
      });
      if (looksLikeSecret(entry.name))
        result.notes.push(
          `${entry.name} is a literal in the manifest (${where}) but its name suggests a credential: move it to Secret Manager and refer to it like the other secrets.`,
        );
    } else if (entry.kind === 'secret') {
      const secret = secretEntry(workload.namespace, entry.secret, entry.key);
      result.secrets.push(secret);
      result.variables.push({
        name: entry.name,
        value: { secret: secret.name, version: 'latest' },
        source: `Secret ${workload.namespace}/${entry.secret} key ${entry.key} (${entry.via} of ${main.name}, ${where}) → Secret Manager secret ${secret.name}, version latest; the value is never copied`,
      });
    } else if (entry.kind === 'config') {
      result.configs.push({
        variable: entry.name,
        namespace: workload.namespace,
        configMap: entry.configMap,
        key: entry.key,
        source: `${entry.via} of ${main.name} (${where})`,
      });
    } else if (entry.field === 'metadata.namespace') {
      result.variables.push({
        name: entry.name,
        value: { literal: workload.namespace },
        source: `fieldRef metadata.namespace (${where}): the namespace the workload ran in`,
      });
    } else {
      result.notCarried.push({
        what: `environment variable ${entry.name} (fieldRef ${entry.field})`,
        source: entry.source,
        action:
          FIELD_EQUIVALENTS[entry.field] ??
          'no Cloud Run equivalent of this pod field: drop it or set a literal',
      });
    }
  }
  for (const config of result.configs)
    result.notCarried.push({
      what: `environment variable ${config.variable} (ConfigMap ${config.namespace}/${config.configMap} key ${config.key})`,
      source: main.source,
      action:
        'migrate does not read ConfigMap values: add it to env in service.yaml as a literal before deploying (the command under Deploy prints the values)',
    });
  result.secrets = dedupe(result.secrets);
  return result;
}

function dedupe(secrets: SecretEntry[]): SecretEntry[] {
  const seen = new Set<string>();
  return secrets.filter((entry) => {
    if (seen.has(entry.name)) return false;
    seen.add(entry.name);
    return true;
  });
}
