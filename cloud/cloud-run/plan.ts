/**
 * The calls apply makes for one service. Pure. Not deployed → `run.services.create`; deployed and
 * different → `run.services.patch` with the whole desired service (v2 UpdateService replaces the
 * revision template, as `gcloud run services replace` does: fields set on the live service by other
 * means and absent from service.yaml are reset); the same → no call. Never a delete.
 *
 * `${REGION}` and `${PROJECT_ID}` (left in the image by convert) are filled from --region and the
 * project: --project, else the one `connect` resolved from the credentials, else the project in the
 * live service's name. When none is known the placeholder stays in the printed call and execute fills
 * it from the session.
 */

import { MigrateError } from '../../core/errors.ts';
import { parseBytes, parseCpuMillis } from '../../core/quantity.ts';
import { settingMatches } from '../diff.ts';
import type {
  ApiCall,
  CloudFlags,
  DesiredConfig,
  LiveConfig,
  ResolvedAccount,
  SettingName,
  SettingValue,
} from '../types.ts';
import type { CloudRunResource } from './desired.ts';
import type { LiveService } from './live.ts';
import { templateSettings } from './settings.ts';
import { type Placeholders, parseServiceName, substitute, type V2Service } from './v2.ts';

export const CREATE = 'run.services.create';
export const PATCH = 'run.services.patch';

export function planCloudRunApply(
  desired: DesiredConfig,
  live: LiveConfig | null,
  flags: CloudFlags,
  resolved: ResolvedAccount = {},
): ApiCall[] {
  const resource = desired.resource as CloudRunResource | undefined;
  if (!resource?.service?.template)
    throw new MigrateError(`${desired.folder}: not a cloud-run configuration`, {
      hint: 'read it with the cloud-run target (migrate apply --target cloud-run)',
    });
  if (!flags.region)
    throw new MigrateError('cloud-run needs --region: the Cloud Run region to deploy to', {
      hint: 'e.g. --region europe-west4',
    });
  const project =
    flags.project ?? resolved.project ?? (live ? parseServiceName(live.id)?.project : undefined);
  const values: Partial<Placeholders> = { REGION: flags.region, ...(project ? { PROJECT_ID: project } : {}) };
  const service = substitute(resource.service, values);
  const projectText = project ?? '${PROJECT_ID}';
  const settings = templateSettings(service.template);

  if (live === null) {
    const parent = `projects/${projectText}/locations/${flags.region}`;
    return [
      {
        operation: CREATE,
        summary: `create service ${desired.name} in ${parent}: ${describe(desired, settings)}`,
        input: { parent, serviceId: desired.name, service },
      },
    ];
  }

  const changes = settingChanges(desired, settings, live);
  const changed = new Set(changes.map((change) => change.split(' ')[0]!));
  const raw = live.resource as LiveService | undefined;
  const others = raw
    ? templateChanges(service, raw as Record<string, unknown>).filter(
        (path) => !reportedBySettings(path, changed),
      )
    : [];
  if (changes.length === 0 && others.length === 0) return [];
  const parts = [...changes];
  if (others.length) parts.push(`also ${others.join(', ')}`);
  return [
    {
      operation: PATCH,
      summary: `update service ${desired.name} (a new revision; the template is replaced by service.yaml's): ${parts.join('; ')}`,
      input: { service: { ...service, name: live.id } },
    },
  ];
}

function describe(desired: DesiredConfig, settings: Partial<Record<SettingName, SettingValue>>): string {
  return Object.keys(desired.settings)
    .sort()
    .map((name) => `${name} ${show(settings[name as SettingName] ?? null)}`)
    .join(', ');
}

/** The settings service.yaml states that differ from the live ones, as `name live → desired`. */
function settingChanges(
  desired: DesiredConfig,
  settings: Partial<Record<SettingName, SettingValue>>,
  live: LiveConfig,
): string[] {
  const changes: string[] = [];
  for (const name of Object.keys(desired.settings).sort() as SettingName[]) {
    const want = settings[name] ?? null;
    const have = live.settings[name] ?? null;
    if (!settingMatches(want, have)) changes.push(`${name} ${show(have)} → ${show(want)}`);
  }
  return changes;
}

const show = (value: SettingValue) => (value === null ? 'unset' : String(value));

/** Template paths and the settings that report a change there, so a change is named once. */
const SETTING_PATHS: [RegExp, SettingName[]][] = [
  [/^template\.containers\[0\]\.resources\.limits$/, ['memoryMb', 'cpuMillis', 'gpu']],
  [/^template\.containers\[0\]\.image$/, ['image']],
  [/^template\.maxInstanceRequestConcurrency$/, ['concurrency']],
  [/^template\.scaling\.minInstanceCount$/, ['warmInstances']],
  [/^template\.scaling\.maxInstanceCount$/, ['maxInstances']],
  [/^template\.timeout\b/, ['timeoutSeconds']],
  [/^template\.nodeSelector\b/, ['gpu']],
];

function reportedBySettings(path: string, changed: ReadonlySet<string>): boolean {
  return SETTING_PATHS.some(
    ([pattern, names]) => pattern.test(path) && names.some((name) => changed.has(name)),
  );
}

/** Lists whose absence in service.yaml means "none", so a live value is a difference. */
const EMPTY_WHEN_ABSENT: Record<string, string[]> = {
  container: ['command', 'args', 'env'],
  template: ['nodeSelector'],
};

/**
 * Paths where the desired body and the live service differ. Only what the desired body states is
 * compared (the API fills defaults and output fields the file does not mention), except the lists in
 * EMPTY_WHEN_ABSENT and the set of resource limits.
 */
export function templateChanges(desired: V2Service, live: Record<string, unknown>): string[] {
  const changes: string[] = [];
  const visit = (want: unknown, have: unknown, path: string, kind: 'container' | 'template' | null) => {
    if (want === undefined) return;
    if (path.endsWith('.resources.limits')) {
      if (!limitsEqual(want as Record<string, string>, have as Record<string, string> | null))
        changes.push(path);
      return;
    }
    if (Array.isArray(want)) {
      const list = Array.isArray(have) ? have : [];
      if (list.length !== want.length) {
        changes.push(path);
        return;
      }
      const kind = path.endsWith('.containers') ? 'container' : null;
      for (const [index, item] of want.entries()) visit(item, list[index], `${path}[${index}]`, kind);
      return;
    }
    if (want !== null && typeof want === 'object') {
      const record = have !== null && typeof have === 'object' ? (have as Record<string, unknown>) : {};
      for (const [key, value] of Object.entries(want)) visit(value, record[key], `${path}.${key}`, null);
      for (const key of (kind && EMPTY_WHEN_ABSENT[kind]) ?? [])
        if (!(key in want) && !isEmpty(record[key])) changes.push(`${path}.${key}`);
      return;
    }
    if (!scalarEqual(want, have)) changes.push(path);
  };
  const { template, ...rest } = desired;
  for (const [key, value] of Object.entries(rest)) if (key !== 'name') visit(value, live[key], key, null);
  visit(template, live.template, 'template', 'template');
  return changes;
}

function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') return Object.values(value).every((item) => item === '' || isEmpty(item));
  return false;
}

/** proto3 JSON: int64 arrives as a string (`"30"`), unset scalars as their defaults. */
function scalarEqual(want: unknown, have: unknown): boolean {
  if (want === have) return true;
  if (typeof want === 'number') return Number(have ?? 0) === want;
  if (typeof want === 'boolean') return (have ?? false) === want;
  if (typeof want === 'string') return (have ?? '') === want;
  return false;
}

/** `cpu: "1"` equals `"1000m"`, `memory: "2Gi"` equals `"2048Mi"`; the set of keys must match. */
function limitsEqual(want: Record<string, string>, have: Record<string, string> | null): boolean {
  const live = have ?? {};
  const keys = new Set([...Object.keys(want), ...Object.keys(live)]);
  for (const key of keys) {
    const a = want[key];
    const b = live[key];
    if (a === undefined || b === undefined) {
      // The API fills cpu and memory when the file leaves them out.
      if ((key === 'cpu' || key === 'memory') && a === undefined) continue;
      return false;
    }
    try {
      const parse = key === 'cpu' ? parseCpuMillis : parseBytes;
      if (parse(a) !== parse(b)) return false;
    } catch {
      if (a !== b) return false;
    }
  }
  return true;
}
