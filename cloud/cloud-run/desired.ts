/**
 * What `migrate convert --target cloud-run` wrote, read back: DIR/<workload>/cloud-run/service.yaml →
 * the compared settings (each with `file:line (field)`), the v2 body apply sends, and what apply will
 * not set. Pure apart from the `read` it is given.
 */

import { basename, dirname } from 'node:path';
import { readConfigFile } from '../config-dir.ts';
import type { DesiredConfig, DesiredSetting, SettingName } from '../types.ts';
import { readKnativeService } from './knative.ts';
import { templateSettings } from './settings.ts';
import { placeholdersIn, type V2Service } from './v2.ts';
import { HINT, YamlReader } from './yaml-reader.ts';

export const CONFIG_FILE = 'service.yaml';

/** DesiredConfig.resource for this target: opaque to the shared code, read by plan.ts. */
export interface CloudRunResource {
  file: string;
  service: V2Service;
}

export async function readCloudRunDesired(
  folder: string,
  read: (path: string) => Promise<string | null>,
): Promise<DesiredConfig> {
  const { file, text } = await readConfigFile(folder, CONFIG_FILE, 'cloud-run', read, HINT);
  return parseCloudRunDesired(text, file, folder);
}

/** The pure part: service.yaml's text → DesiredConfig. */
export function parseCloudRunDesired(text: string, file: string, folder: string): DesiredConfig {
  const yaml = YamlReader.parse(text, file, 'the Cloud Run service');
  const { name, service, paths } = readKnativeService(yaml);
  const values = templateSettings(service.template);
  const settings: DesiredConfig['settings'] = {};
  for (const [setting, path] of Object.entries(paths) as [SettingName, (string | number)[]][]) {
    const entry: DesiredSetting = { value: values[setting] ?? null, source: yaml.source(path) };
    settings[setting] = entry;
  }
  const notApplied = [...yaml.notApplied, ...externalResources(service)];
  const resource: CloudRunResource = { file, service };
  return {
    target: 'cloud-run',
    name,
    folder,
    workload: workloadOf(service) ?? basename(dirname(folder)),
    settings,
    notApplied,
    resource,
  };
}

/**
 * Things the service needs that apply does not create: the Secret Manager secrets it refers to (the
 * reference is applied; the secret and its IAM binding are not) and the image (never built or copied).
 */
function externalResources(service: V2Service): DesiredConfig['notApplied'] {
  const list: DesiredConfig['notApplied'] = [];
  const secrets = new Map<string, string[]>();
  for (const container of service.template.containers)
    for (const variable of container.env ?? []) {
      const ref = variable.valueSource?.secretKeyRef;
      if (!ref) continue;
      const key = `${ref.secret}@${ref.version ?? 'latest'}`;
      secrets.set(key, [...(secrets.get(key) ?? []), variable.name]);
    }
  for (const [key, variables] of secrets) {
    const [secret, version] = key.split('@');
    list.push({
      field: `Secret Manager secret ${secret} (version ${version}), for ${variables.join(', ')}`,
      reason:
        'apply passes the reference, never a value; the secret must already exist in Secret Manager and the service’s runtime service account needs roles/secretmanager.secretAccessor on it (see MIGRATION.md): apply creates neither',
    });
  }
  const image = service.template.containers[0]?.image ?? '';
  const placeholders = placeholdersIn(image).filter((entry) => !/^\$\{(REGION|PROJECT_ID)\}$/.test(entry));
  list.push({
    field: `the image ${image}`,
    reason: `apply sets the reference${/\$\{(REGION|PROJECT_ID)\}/.test(image) ? ' with ${REGION} and ${PROJECT_ID} filled from --region and the project' : ''}; it does not build, copy or push the image: it must exist in a registry Cloud Run can pull from (see MIGRATION.md)${placeholders.length ? `; ${placeholders.join(', ')} must be replaced by hand first` : ''}`,
  });
  return list;
}

/** `ml/InferenceService/fraud-scoring (examples/…:2), converted by migrate` → `ml/InferenceService/fraud-scoring`. */
function workloadOf(service: V2Service): string | null {
  const match = /^([^\s/]+\/[^\s/]+\/[^\s/]+)\s+\(/.exec(service.description ?? '');
  return match ? match[1]! : null;
}
