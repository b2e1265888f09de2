import { createHash } from 'node:crypto';
import type { WorkloadReport } from '../../analyzers/report.ts';
import { formatSource, type RelatedObject } from '../../core/model/index.ts';
import { containerEnvironment, looksLikeSecret, mainContainers } from '../common/environment.ts';
import { NAME_RULES, sanitizeName } from '../common/names.ts';
import type { NameMapping, NotCarried } from '../types.ts';
import { type Expr, format, param } from './template-model.ts';

/**
 * The app's settings (its environment). Literal values are kept (they are in the manifest already).
 * A Secret key becomes a Key Vault reference and a ConfigMap key an App Configuration reference: the
 * template names where the value lives, never the value; the vault and the store are parameters.
 */
export interface AppSetting {
  name: string;
  value: string | Expr;
  /** The value as MIGRATION.md shows it, parameters as <placeholders>. */
  shown: string;
  source: string;
}

export interface StoreEntry {
  store: 'keyvault' | 'appconfig';
  /** Key Vault secret name, or App Configuration key. */
  name: string;
  from: { kind: 'Secret' | 'ConfigMap'; namespace: string; name: string; key: string };
}

export const VAULT_PARAM = 'keyVaultName';
export const APP_CONFIG_PARAM = 'appConfigurationName';

/** Linux app settings reach the process as environment variables: letters, digits and _ only. */
const VALID_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Names the platform sets or reserves (App Service / Functions settings), and the template's own. */
const RESERVED =
  /^(FUNCTIONS_|WEBSITE_|AzureWebJobs|AZURE_FUNCTIONS_|APPSETTING_|SCM_|APPLICATIONINSIGHTS_CONNECTION_STRING$)/i;

/** What a pod field reference means on Azure Functions, where there is an equivalent. */
const FIELD_EQUIVALENTS: Record<string, string> = {
  'metadata.name':
    'the platform sets WEBSITE_SITE_NAME (the app) and WEBSITE_INSTANCE_ID (the instance); read those instead',
  'spec.nodeName': 'there is no node: drop it',
  'status.podIP': 'an instance has no stable address: drop it',
  'status.hostIP': 'there is no host: drop it',
  'spec.serviceAccountName':
    "the app runs as its managed identity: drop it or name the identity's role assignments",
};

export function keyVaultReference(secretName: string): { value: Expr; shown: string } {
  const uri = (vault: string) =>
    `@Microsoft.KeyVault(SecretUri=https://${vault}.vault.azure.net/secrets/${secretName}/)`;
  return { value: format(uri('{0}'), param(VAULT_PARAM)), shown: uri(`<${VAULT_PARAM}>`) };
}

export function appConfigReference(key: string): { value: Expr; shown: string } {
  const text = (store: string) =>
    `@Microsoft.AppConfiguration(Endpoint=https://${store}.azconfig.io; Key=${key})`;
  return { value: format(text('{0}'), param(APP_CONFIG_PARAM)), shown: text(`<${APP_CONFIG_PARAM}>`) };
}

export interface AppEnvironment {
  settings: AppSetting[];
  stores: StoreEntry[];
  names: NameMapping[];
  notCarried: NotCarried[];
  notes: string[];
}

export function appEnvironment(workload: WorkloadReport, related: readonly RelatedObject[]): AppEnvironment {
  const result: AppEnvironment = { settings: [], stores: [], names: [], notCarried: [], notes: [] };
  const main = mainContainers(workload)[0];
  if (!main) return result;
  const context: Context = { workload, main, where: formatSource(main.source), secrets: new SecretNames() };
  for (const entry of containerEnvironment(main, workload.namespace, related)) {
    const refused = refusal(entry);
    if (refused) result.notCarried.push(refused);
    else carry(entry as Carried, context, result);
  }
  result.stores = dedupe(result.stores);
  return result;
}

type Entry = ReturnType<typeof containerEnvironment>[number];
type Carried = Exclude<Entry, { kind: 'unresolved' }>;
interface Context {
  workload: WorkloadReport;
  main: NonNullable<ReturnType<typeof mainContainers>[number]>;
  where: string;
  secrets: SecretNames;
}

/** Why a variable cannot become an app setting, or null when it can. */
function refusal(entry: Entry): NotCarried | null {
  if (entry.kind === 'unresolved')
    return {
      what: entry.name ? `environment variable ${entry.name}` : 'environment from envFrom',
      source: entry.source,
      action: `${entry.reason}: add the settings to the template by hand, as Key Vault or App Configuration references`,
    };
  if (!RESERVED.test(entry.name) && VALID_NAME.test(entry.name)) return null;
  return {
    what: `environment variable ${entry.name}`,
    source: entry.source,
    action: RESERVED.test(entry.name)
      ? 'App Service and Azure Functions reserve this name (or its prefix) for their own settings: rename the variable in the code'
      : 'app setting names on Linux reach the process as environment variables only when they hold letters, digits and _: rename it',
  };
}

function carry(entry: Carried, context: Context, result: AppEnvironment): void {
  const { workload, main, where } = context;
  if (entry.kind === 'literal') {
    result.settings.push({
      name: entry.name,
      value: entry.value,
      shown: entry.value,
      source: `env of container ${main.name} (${where}), literal`,
    });
    if (looksLikeSecret(entry.name))
      result.notes.push(
        `${entry.name} is a literal in the manifest (${where}) but its name suggests a credential: move it to Key Vault and refer to it like the other secrets.`,
      );
  } else if (entry.kind === 'secret') secretSetting(entry, context, result);
  else if (entry.kind === 'config') configSetting(entry, context, result);
  else if (entry.field === 'metadata.namespace')
    result.settings.push({
      name: entry.name,
      value: workload.namespace,
      shown: workload.namespace,
      source: `fieldRef metadata.namespace (${where}): the namespace the workload ran in`,
    });
  else
    result.notCarried.push({
      what: `environment variable ${entry.name} (fieldRef ${entry.field})`,
      source: entry.source,
      action:
        FIELD_EQUIVALENTS[entry.field] ??
        'no Azure Functions equivalent of this pod field: drop it or set a literal',
    });
}

function secretSetting(
  entry: Extract<Entry, { kind: 'secret' }>,
  context: Context,
  result: AppEnvironment,
): void {
  const namespace = context.workload.namespace;
  const { name, mapping } = context.secrets.nameFor(namespace, entry.secret, entry.key);
  result.stores.push({
    store: 'keyvault',
    name,
    from: { kind: 'Secret', namespace, name: entry.secret, key: entry.key },
  });
  if (mapping) result.names.push(mapping);
  result.settings.push({
    name: entry.name,
    ...keyVaultReference(name),
    source: `Secret ${namespace}/${entry.secret} key ${entry.key} (${entry.via} of ${context.main.name}, ${context.where}) → Key Vault secret ${name} in the vault named by parameter ${VAULT_PARAM}; the value is never copied, the app resolves the reference with its managed identity`,
  });
}

function configSetting(
  entry: Extract<Entry, { kind: 'config' }>,
  context: Context,
  result: AppEnvironment,
): void {
  const namespace = context.workload.namespace;
  const key = `${namespace}/${entry.configMap}/${entry.key}`;
  result.stores.push({
    store: 'appconfig',
    name: key,
    from: { kind: 'ConfigMap', namespace, name: entry.configMap, key: entry.key },
  });
  result.settings.push({
    name: entry.name,
    ...appConfigReference(key),
    source: `ConfigMap ${namespace}/${entry.configMap} key ${entry.key} (${entry.via} of ${context.main.name}, ${context.where}) → App Configuration key ${key} in the store named by parameter ${APP_CONFIG_PARAM} (the analysis keeps key names only)`,
  });
}

/**
 * Key Vault secret names, one per Secret key: `<namespace>-<secret>-<key>` made valid. Two keys that
 * fold to the same name (`a.b`, `a_b`) get a short hash of the original each, so neither overwrites
 * the other in the vault.
 */
class SecretNames {
  private readonly taken = new Map<string, string>();

  nameFor(namespace: string, secret: string, key: string): { name: string; mapping: NameMapping | null } {
    const original = `${namespace}/${secret}/${key}`;
    let name = sanitizeName(`${namespace}-${secret}-${key}`, NAME_RULES.keyVaultSecret);
    const owner = this.taken.get(name);
    if (owner !== undefined && owner !== original)
      name = `${name.slice(0, NAME_RULES.keyVaultSecret.maxLength - 7)}-${createHash('sha256').update(original).digest('hex').slice(0, 6)}`;
    const fresh = !this.taken.has(name);
    this.taken.set(name, original);
    return {
      name,
      mapping: fresh
        ? {
            kind: NAME_RULES.keyVaultSecret.kind,
            original,
            emitted: name,
            rule: NAME_RULES.keyVaultSecret.rule,
          }
        : null,
    };
  }
}

function dedupe(stores: StoreEntry[]): StoreEntry[] {
  const seen = new Set<string>();
  return stores.filter((entry) => {
    const id = `${entry.store}:${entry.name}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}
