/**
 * `migrate verify`'s comparison: every setting `migrate convert` wrote against what is deployed. Pure.
 * Only settings the files state are compared — a live setting the files do not mention is the
 * platform's business, not drift.
 */

import type { DesiredConfig, LiveConfig, SettingName, SettingValue } from './types.ts';

export type FindingKind = 'drift' | 'not-deployed';

export interface DriftFinding {
  kind: FindingKind;
  workload: string;
  name: string;
  /** The setting, or null for a finding about the whole function/service/app. */
  field: SettingName | null;
  expected: SettingValue;
  actual: SettingValue;
  /** Where the expected value was written (`path:line (field)`). */
  source: string;
  message: string;
}

export interface VerifyResult {
  target: string;
  workload: string;
  name: string;
  folder: string;
  /** The live id (ARN, resource name) when deployed. */
  id: string | null;
  compared: {
    field: SettingName;
    expected: SettingValue;
    actual: SettingValue;
    matches: boolean;
    source: string;
  }[];
  findings: DriftFinding[];
  notApplied: DesiredConfig['notApplied'];
  facts: Record<string, string>;
}

export function diffConfig(desired: DesiredConfig, live: LiveConfig | null): VerifyResult {
  const base = {
    target: desired.target,
    workload: desired.workload,
    name: desired.name,
    folder: desired.folder,
    notApplied: desired.notApplied,
  };
  if (live === null)
    return {
      ...base,
      id: null,
      compared: [],
      facts: {},
      findings: [
        {
          kind: 'not-deployed',
          workload: desired.workload,
          name: desired.name,
          field: null,
          expected: desired.name,
          actual: null,
          source: desired.folder,
          message: `${desired.name} is not deployed`,
        },
      ],
    };
  const compared: VerifyResult['compared'] = [];
  const findings: DriftFinding[] = [];
  for (const field of Object.keys(desired.settings).sort() as SettingName[]) {
    const want = desired.settings[field]!;
    const actual = live.settings[field] ?? null;
    const matches = settingMatches(want.value, actual);
    compared.push({ field, expected: want.value, actual, matches, source: want.source });
    if (!matches)
      findings.push({
        kind: 'drift',
        workload: desired.workload,
        name: desired.name,
        field,
        expected: want.value,
        actual,
        source: want.source,
        message: `${field} is ${show(actual)}, the converted config says ${show(want.value)}`,
      });
  }
  return { ...base, id: live.id, compared, findings, facts: live.facts };
}

/**
 * Equal values match; a string holding `${…}` placeholders (an image URI the deploy fills with the
 * account, region or project) matches any text in their place.
 */
export function settingMatches(expected: SettingValue, actual: SettingValue): boolean {
  if (expected === actual) return true;
  if (typeof expected === 'string' && typeof actual === 'string' && expected.includes('${')) {
    const pattern = expected
      .split(/\$\{[^}]*\}/)
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('.+');
    return new RegExp(`^${pattern}$`).test(actual);
  }
  return false;
}

const show = (value: SettingValue) => (value === null ? 'unset' : String(value));
