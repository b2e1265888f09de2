/**
 * The Lambda function the replay simulates: read from the SAM template `migrate convert` wrote
 * (`--config-dir`), so what is simulated is exactly what would be deployed; without one, planned by
 * the converter itself (converters/aws-lambda/plan.ts) as `migrate convert` would without traffic.
 */

import { parse } from 'yaml';
import { planFunction } from '../../../converters/aws-lambda/plan.ts';
import { MigrateError } from '../../../core/errors.ts';
import type { Workload } from '../../../core/model/index.ts';
import { planContext, workloadReport } from './common/report.ts';
import { FUNCTION_DEFAULTS } from './defaults.ts';

export interface LambdaConfig {
  memoryMb: number;
  timeoutSeconds: number;
  /** ReservedConcurrentExecutions, or null (the account's unreserved concurrency). */
  reservedConcurrency: number | null;
  /** ProvisionedConcurrencyConfig.ProvisionedConcurrentExecutions (0: none). */
  provisionedConcurrency: number;
  architecture: 'x86_64' | 'arm64';
  ephemeralStorageMb: number;
  /** Where these values were read: the template's path, or the converter's plan. */
  source: string;
  /** Values the template left out, filled with Lambda's defaults. */
  defaulted: string[];
}

/** What `migrate convert --target aws-lambda` would emit for the workload when given no traffic. */
export function plannedLambdaConfig(workload: Workload): LambdaConfig {
  const plan = planFunction(workloadReport(workload), planContext());
  return {
    memoryMb: plan.memoryMb,
    timeoutSeconds: plan.timeoutSeconds,
    reservedConcurrency: plan.reserved,
    provisionedConcurrency: plan.provisioned,
    architecture: plan.architecture,
    ephemeralStorageMb: plan.ephemeralMb ?? FUNCTION_DEFAULTS.ephemeralStorageMb.value,
    source:
      'planned by converters/aws-lambda as `migrate convert` would without --traffic (pass --config-dir to replay a converted template)',
    defaulted: [],
  };
}

type Node = Record<string, unknown>;

/** The first AWS::Serverless::Function of a SAM template, with the template's Globals and parameter defaults. */
export function parseSamTemplate(text: string, file: string): LambdaConfig {
  const fail = (why: string) =>
    new MigrateError(`${file}: ${why}`, {
      hint: 'pass the folder `migrate convert --out` wrote; the template must hold an AWS::Serverless::Function',
    });
  let root: unknown;
  try {
    root = parse(text, { logLevel: 'error' });
  } catch (error) {
    throw fail(`not valid YAML: ${(error as Error).message}`);
  }
  if (!isNode(root) || !isNode(root.Resources)) throw fail('no Resources');
  const functions = Object.entries(root.Resources).filter(
    ([, resource]) => isNode(resource) && resource.Type === 'AWS::Serverless::Function',
  );
  if (functions.length === 0) throw fail('no AWS::Serverless::Function resource');
  const [logicalId, resource] = functions[0]!;
  const properties = isNode((resource as Node).Properties) ? ((resource as Node).Properties as Node) : {};
  const globals = isNode(root.Globals) && isNode(root.Globals.Function) ? root.Globals.Function : {};
  const parameters = isNode(root.Parameters) ? root.Parameters : {};
  const defaulted: string[] = [];
  const read = (key: string): unknown =>
    resolve(properties[key] ?? globals[key], parameters, `${logicalId}.${key}`, fail);
  const number = (key: string, fallback: { value: number; source: string } | null): number | null => {
    const value = read(key);
    if (value === undefined || value === null) {
      if (fallback) defaulted.push(`${key} ${fallback.value} (${fallback.source})`);
      return fallback?.value ?? null;
    }
    const parsed = typeof value === 'string' ? Number(value) : value;
    if (typeof parsed !== 'number' || !Number.isFinite(parsed) || parsed < 0)
      throw fail(`${logicalId}.${key} must be a number, got ${JSON.stringify(value)}`);
    return parsed;
  };
  const storage = read('EphemeralStorage');
  const provisioned = read('ProvisionedConcurrencyConfig');
  const architectures = read('Architectures');
  const ephemeral = isNode(storage)
    ? Number(resolve(storage.Size, parameters, 'EphemeralStorage.Size', fail))
    : null;
  const pc = isNode(provisioned)
    ? Number(
        resolve(
          provisioned.ProvisionedConcurrentExecutions,
          parameters,
          'ProvisionedConcurrentExecutions',
          fail,
        ),
      )
    : 0;
  if (!Number.isInteger(pc) || pc < 0)
    throw fail(`${logicalId}.ProvisionedConcurrencyConfig must be a whole number`);
  if (ephemeral === null)
    defaulted.push(
      `EphemeralStorage ${FUNCTION_DEFAULTS.ephemeralStorageMb.value} MB (${FUNCTION_DEFAULTS.ephemeralStorageMb.source})`,
    );
  return {
    memoryMb: number('MemorySize', FUNCTION_DEFAULTS.memoryMb)!,
    timeoutSeconds: number('Timeout', FUNCTION_DEFAULTS.timeoutSeconds)!,
    reservedConcurrency: number('ReservedConcurrentExecutions', null),
    provisionedConcurrency: pc,
    architecture: Array.isArray(architectures) && architectures[0] === 'arm64' ? 'arm64' : 'x86_64',
    ephemeralStorageMb: ephemeral ?? FUNCTION_DEFAULTS.ephemeralStorageMb.value,
    source: `${file} (${logicalId})`,
    defaulted,
  };
}

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A plain value, or `{Ref: Parameter}` resolved to the parameter's Default. */
function resolve(value: unknown, parameters: Node, where: string, fail: (why: string) => Error): unknown {
  if (!isNode(value) || !('Ref' in value)) return value;
  const parameter = parameters[String(value.Ref)];
  if (isNode(parameter) && parameter.Default !== undefined) return parameter.Default;
  throw fail(
    `${where} refers to ${String(value.Ref)}, which has no Default: the value is only known at deploy time`,
  );
}
