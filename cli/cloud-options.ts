/**
 * The flags `migrate verify`, `apply` and `measure` share: which target, where its account is, how to
 * reach its API. Credentials are deliberately not among them: each SDK's standard chain supplies them
 * (docs/cloud/README.md).
 */

import { resolve } from 'node:path';
import { CLOUD_TARGETS, type CloudFlags, type CloudTargetId } from '../cloud/types.ts';
import type { DesiredSelection } from '../cloud/workloads.ts';
import { usageError } from '../core/errors.ts';
import { listOption, numberOption, type OptionSpec, type ParsedArgs, stringOption } from './options.ts';

export const CLOUD_OPTIONS: OptionSpec[] = [
  {
    name: 'target',
    short: 't',
    type: 'string',
    value: 'target',
    choices: CLOUD_TARGETS,
    description: 'The platform.',
  },
  {
    name: 'region',
    type: 'string',
    value: 'region',
    description:
      'AWS region or Cloud Run region (AWS default: the SDK chain, AWS_REGION or the profile; Cloud Run: required).',
  },
  {
    name: 'project',
    type: 'string',
    value: 'id',
    description: 'Google Cloud project (default: Application Default Credentials, GOOGLE_CLOUD_PROJECT).',
  },
  {
    name: 'subscription',
    type: 'string',
    value: 'id',
    description: 'Azure subscription id (default: AZURE_SUBSCRIPTION_ID).',
  },
  {
    name: 'resource-group',
    short: 'g',
    type: 'string',
    value: 'name',
    description: 'Azure resource group (required for azure-functions).',
  },
  {
    name: 'endpoint',
    type: 'string',
    value: 'url',
    description:
      'API endpoint instead of the public one: LocalStack, an emulator, a sovereign or private endpoint.',
  },
  {
    name: 'ca-file',
    type: 'string',
    value: 'pem',
    description: 'Extra CA certificates to trust for --endpoint (a private endpoint behind its own CA).',
  },
  {
    name: 'request-timeout',
    type: 'string',
    value: 'seconds',
    default: '30',
    description: 'Give up on one API call after this long.',
  },
];

/** Which converted workloads `verify` and `apply` work through. */
export const CONFIG_DIR_OPTIONS: OptionSpec[] = [
  {
    name: 'config-dir',
    short: 'c',
    type: 'string',
    value: 'dir',
    description: 'What `migrate convert --out DIR` wrote (or one workload folder of it).',
  },
  {
    name: 'workload',
    short: 'w',
    type: 'string',
    multiple: true,
    value: 'name',
    description: 'Only these workloads: folder name (ml-inferenceservice-fraud-scoring) or workload id.',
  },
  {
    name: 'name',
    type: 'string',
    value: 'name',
    description: 'The deployed name, when it differs from the converted one (one workload only).',
  },
];

export function desiredSelection(values: ParsedArgs['values'], verb: string, cwd: string): DesiredSelection {
  const configDir = stringOption(values, 'config-dir');
  if (configDir === undefined)
    throw usageError(`migrate ${verb} needs --config-dir`, 'the folder `migrate convert --out DIR` wrote');
  return {
    configDir: resolve(cwd, configDir),
    workloads: listOption(values, 'workload'),
    name: stringOption(values, 'name') ?? null,
  };
}

export function cloudTarget(values: ParsedArgs['values'], verb: string): CloudTargetId {
  const target = stringOption(values, 'target');
  if (target === undefined)
    throw usageError(`migrate ${verb} needs --target`, `one of ${CLOUD_TARGETS.join(', ')}`);
  return target as CloudTargetId;
}

export function cloudFlags(values: ParsedArgs['values'], extra: Record<string, string> = {}): CloudFlags {
  const endpoint = stringOption(values, 'endpoint') ?? null;
  if (endpoint !== null && !/^https?:\/\/[^/]+/.test(endpoint))
    throw usageError(`--endpoint must be an http(s) URL; got ${JSON.stringify(endpoint)}`);
  return {
    region: stringOption(values, 'region') ?? null,
    project: stringOption(values, 'project') ?? null,
    subscription: stringOption(values, 'subscription') ?? null,
    resourceGroup: stringOption(values, 'resource-group') ?? null,
    endpoint,
    caFile: stringOption(values, 'ca-file') ?? null,
    requestTimeoutMs: (numberOption(values, 'request-timeout', { min: 1 }) ?? 30) * 1000,
    extra,
  };
}
