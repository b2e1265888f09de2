import type { WorkloadReport } from '../../analyzers/report.ts';
import { formatSource, type RelatedObject } from '../../core/model/index.ts';
import { containerEnvironment, looksLikeSecret, mainContainers } from '../common/environment.ts';
import { NAME_RULES, sanitizeName } from '../common/names.ts';
import type { NotCarried } from '../types.ts';

/**
 * The function's environment. Literal values are kept (they are in the manifest already). Secrets
 * become CloudFormation dynamic references to AWS Secrets Manager, ConfigMap keys references to SSM
 * Parameter Store: the template names where a value lives, never the value.
 */
export interface LambdaVariable {
  name: string;
  value: string;
  source: string;
}

export interface StoreEntry {
  store: 'secretsmanager' | 'ssm';
  /** Secrets Manager secret name, or SSM parameter name. */
  name: string;
  /** JSON key inside the secret (Secrets Manager); null for SSM. */
  key: string | null;
  /** The Kubernetes object and key it replaces: `Secret ml/hf-token key token`. */
  from: { kind: 'Secret' | 'ConfigMap'; namespace: string; name: string; key: string };
}

/** Set by Lambda itself: a function cannot define them (AWS Lambda "Defined runtime environment variables"). */
const RESERVED = new Set([
  '_HANDLER',
  '_X_AMZN_TRACE_ID',
  'AWS_DEFAULT_REGION',
  'AWS_REGION',
  'AWS_EXECUTION_ENV',
  'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
  'AWS_LAMBDA_FUNCTION_VERSION',
  'AWS_LAMBDA_INITIALIZATION_TYPE',
  'AWS_LAMBDA_LOG_GROUP_NAME',
  'AWS_LAMBDA_LOG_STREAM_NAME',
  'AWS_ACCESS_KEY',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_LAMBDA_RUNTIME_API',
  'LAMBDA_TASK_ROOT',
  'LAMBDA_RUNTIME_DIR',
]);

/** AWS::Lambda::Function Environment.Variables keys (cfn-lambda-function.schema.json), anchored. */
const VALID_NAME = /^[a-zA-Z][a-zA-Z0-9_]+$/;

/** What a pod field reference means on Lambda, where there is an equivalent. */
const FIELD_EQUIVALENTS: Record<string, string> = {
  'metadata.name': 'Lambda sets AWS_LAMBDA_FUNCTION_NAME and AWS_LAMBDA_LOG_STREAM_NAME; read those instead',
  'spec.nodeName': 'there is no node: drop it',
  'status.podIP': 'an execution environment has no stable address: drop it',
  'status.hostIP': 'there is no host: drop it',
  'spec.serviceAccountName': 'the function runs as its execution role: drop it or name the role',
};

export function secretReference(
  namespace: string,
  secret: string,
  key: string,
): { entry: StoreEntry; value: string } {
  const name = sanitizeName(`${namespace}/${secret}`, NAME_RULES.secretsManager);
  return {
    entry: { store: 'secretsmanager', name, key, from: { kind: 'Secret', namespace, name: secret, key } },
    value: `{{resolve:secretsmanager:${name}:SecretString:${key}}}`,
  };
}

export function parameterReference(
  namespace: string,
  configMap: string,
  key: string,
): { entry: StoreEntry; value: string } {
  const name = sanitizeName(`/${namespace}/${configMap}/${key}`, NAME_RULES.ssmParameter);
  return {
    entry: { store: 'ssm', name, key: null, from: { kind: 'ConfigMap', namespace, name: configMap, key } },
    value: `{{resolve:ssm:${name}}}`,
  };
}

export function lambdaEnvironment(
  workload: WorkloadReport,
  related: readonly RelatedObject[],
): { variables: LambdaVariable[]; stores: StoreEntry[]; notCarried: NotCarried[]; notes: string[] } {
  const main = mainContainers(workload)[0];
  const variables: LambdaVariable[] = [];
  const stores: StoreEntry[] = [];
  const notCarried: NotCarried[] = [];
  const notes: string[] = [];
  if (!main) return { variables, stores, notCarried, notes };
  const where = formatSource(main.source);
  for (const entry of containerEnvironment(main, workload.namespace, related)) {
    if (entry.kind === 'unresolved') {
      notCarried.push({
        what: entry.name ? `environment variable ${entry.name}` : 'environment from envFrom',
        source: entry.source,
        action: `${entry.reason}: add the variables to the template by hand, as references to Secrets Manager or SSM`,
      });
      continue;
    }
    if (RESERVED.has(entry.name) || !VALID_NAME.test(entry.name)) {
      notCarried.push({
        what: `environment variable ${entry.name}`,
        source: entry.source,
        action: RESERVED.has(entry.name)
          ? 'Lambda reserves this name and sets it itself: rename the variable in the code'
          : 'Lambda variable names start with a letter and hold letters, digits and _ (at least 2 characters): rename it',
      });
      continue;
    }
    if (entry.kind === 'literal') {
      variables.push({
        name: entry.name,
        value: entry.value,
        source: `env of container ${main.name} (${where}), literal`,
      });
      if (looksLikeSecret(entry.name))
        notes.push(
          `${entry.name} is a literal in the manifest (${where}) but its name suggests a credential: move it to Secrets Manager and refer to it like the other secrets.`,
        );
    } else if (entry.kind === 'secret') {
      const reference = secretReference(workload.namespace, entry.secret, entry.key);
      stores.push(reference.entry);
      variables.push({
        name: entry.name,
        value: reference.value,
        source: `Secret ${workload.namespace}/${entry.secret} key ${entry.key} (${entry.via} of ${main.name}, ${where}) → Secrets Manager secret ${reference.entry.name}, JSON key ${entry.key}; the value is never copied`,
      });
    } else if (entry.kind === 'config') {
      const reference = parameterReference(workload.namespace, entry.configMap, entry.key);
      stores.push(reference.entry);
      variables.push({
        name: entry.name,
        value: reference.value,
        source: `ConfigMap ${workload.namespace}/${entry.configMap} key ${entry.key} (${entry.via} of ${main.name}, ${where}) → SSM parameter ${reference.entry.name}`,
      });
    } else if (entry.field === 'metadata.namespace') {
      variables.push({
        name: entry.name,
        value: workload.namespace,
        source: `fieldRef metadata.namespace (${where}): the namespace the workload ran in`,
      });
    } else {
      notCarried.push({
        what: `environment variable ${entry.name} (fieldRef ${entry.field})`,
        source: entry.source,
        action:
          FIELD_EQUIVALENTS[entry.field] ??
          'no Lambda equivalent of this pod field: drop it or set a literal',
      });
    }
  }
  return { variables, stores: dedupe(stores), notCarried, notes };
}

function dedupe(stores: StoreEntry[]): StoreEntry[] {
  const seen = new Set<string>();
  return stores.filter((entry) => {
    const id = `${entry.store}:${entry.name}:${entry.key}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}
