import { readConfigFile } from '../config-dir.ts';
import type { DesiredConfig, DesiredSetting, SettingName } from '../types.ts';
import { type FieldPath, isRecord, SamTemplate, TEMPLATE_HINT } from './template.ts';

export const CONFIG_FILE = 'template.yaml';

/** The function's own description of what apply needs beyond the compared settings. Opaque to the shared code. */
export interface LambdaResource {
  logicalId: string;
  packageType: 'Image' | 'Zip';
  /** ImageUri as written, `${AWS::AccountId}`-style placeholders kept; null for a Zip package. */
  imageUri: string | null;
  /** AutoPublishAlias: the alias that carries provisioned concurrency; null when the template has none. */
  alias: string | null;
  description: string | null;
  /** `Role` when the template names one as a plain ARN (convert does not: SAM creates it from Policies). */
  role: string | null;
  /** Literal environment variables, set on create. Dynamic references are left out (see notApplied). */
  variables: Record<string, string>;
  tags: Record<string, string>;
}

/** Lambda serves one request per execution environment: the `concurrency` every function has. */
export const LAMBDA_CONCURRENCY_SOURCE = 'Lambda serves one request per execution environment';

/** Properties apply reads into settings or uses on create; everything else is listed as not applied. */
const HANDLED = new Set([
  'FunctionName',
  'Description',
  'PackageType',
  'ImageUri',
  'Architectures',
  'MemorySize',
  'Timeout',
  'EphemeralStorage',
  'ReservedConcurrentExecutions',
  'AutoPublishAlias',
  'ProvisionedConcurrencyConfig',
  'Environment',
  'Tags',
  'Role',
]);

/** Why apply leaves a property to the deployment tool, for the ones convert writes. */
const NOT_APPLIED_REASONS: Record<string, string> = {
  FunctionUrlConfig:
    'apply does not create the Function URL (lambda:CreateFunctionUrlConfig and its resource-based policy): deploy with `sam deploy`, or create it with `aws lambda create-function-url-config`',
  FileSystemConfigs:
    'the EFS access point is a template parameter only known at deploy time, and mounting needs the VPC: deploy with `sam deploy`',
  VpcConfig:
    'subnets and security groups are template parameters only known at deploy time: deploy with `sam deploy`',
  Policies:
    'SAM turns Policies into the execution role; apply uses the existing role passed with `--role ARN`, which must grant these',
  Events: 'apply creates no event sources: deploy with `sam deploy`',
  CodeUri:
    'apply does not build or upload a zip package: deploy the function once with `sam build && sam deploy`, then verify and apply its settings',
  Handler: 'part of the zip package apply does not upload (see CodeUri)',
  Runtime: 'part of the zip package apply does not upload (see CodeUri)',
};

const DYNAMIC_REFERENCE = /\{\{resolve:(secretsmanager|ssm|ssm-secure):[^}]*\}\}/;

export async function readDesired(
  folder: string,
  read: (path: string) => Promise<string | null>,
): Promise<DesiredConfig> {
  const { file, text } = await readConfigFile(folder, CONFIG_FILE, 'aws-lambda', read, TEMPLATE_HINT);
  return desiredFromTemplate(SamTemplate.parse(text, file), folder);
}

/** The template's one AWS::Serverless::Function as a DesiredConfig. */
export function desiredFromTemplate(template: SamTemplate, folder: string): DesiredConfig {
  if (!isRecord(template.value)) throw template.fail([], 'must be a mapping: a SAM template');
  const resources = template.get(['Resources']);
  if (!isRecord(resources))
    throw template.fail(['Resources'], 'is missing: a SAM template lists its resources');
  const functions = Object.keys(resources).filter(
    (id) => isRecord(resources[id]) && resources[id].Type === 'AWS::Serverless::Function',
  );
  if (functions.length !== 1)
    throw template.fail(
      ['Resources'],
      `must hold exactly one AWS::Serverless::Function (found ${functions.length}): apply deploys one function per folder`,
    );
  const logicalId = functions[0]!;
  const at = (...path: (string | number)[]): FieldPath => ['Resources', logicalId, 'Properties', ...path];
  const reader = new PropertyReader(template, logicalId);
  const settings: Partial<Record<SettingName, DesiredSetting>> = {};
  const notApplied: DesiredConfig['notApplied'] = [];

  const name = reader.string('FunctionName');
  if (name === null)
    throw template.fail(
      at('FunctionName'),
      'is missing: apply and verify find the function by name (convert always writes one)',
    );

  const packageType = reader.string('PackageType') ?? 'Zip';
  if (packageType !== 'Image' && packageType !== 'Zip')
    throw template.fail(
      reader.pathOf('PackageType'),
      `must be Image or Zip, got ${JSON.stringify(packageType)}`,
    );

  // A setting the template leaves out is not compared (the live value is the platform's business)
  // and not set: Lambda's default applies to a function apply creates.
  const number = (
    setting: SettingName,
    key: string,
    subKey: string | null,
    range: [number, number],
    unit: string,
  ) => {
    const found = reader.number(key, subKey, range, unit);
    if (found) settings[setting] = { value: found.value, source: template.source(found.path) };
  };
  number('memoryMb', 'MemorySize', null, [128, 10_240], 'MB');
  number('timeoutSeconds', 'Timeout', null, [1, 900], 's');
  number('ephemeralStorageMb', 'EphemeralStorage', 'Size', [512, 10_240], 'MB');
  number('maxInstances', 'ReservedConcurrentExecutions', null, [0, 1_000_000], 'executions');

  const alias = reader.string('AutoPublishAlias');
  const provisioned = reader.number(
    'ProvisionedConcurrencyConfig',
    'ProvisionedConcurrentExecutions',
    [0, 1_000_000],
    'executions',
  );
  if (provisioned && provisioned.value > 0 && alias === null)
    throw template.fail(
      provisioned.path,
      'needs AutoPublishAlias: provisioned concurrency is configured on an alias (SAM requires both)',
    );
  // With an alias and no ProvisionedConcurrencyConfig the template states none: a `sam deploy` would leave none.
  if (provisioned)
    settings.warmInstances = { value: provisioned.value, source: template.source(provisioned.path) };
  else if (alias !== null)
    settings.warmInstances = {
      value: 0,
      source: template.source(
        at('ProvisionedConcurrencyConfig'),
        ' absent: no provisioned concurrency on the alias',
      ),
    };

  const architectures = reader.get('Architectures');
  if (architectures !== undefined) {
    const path = reader.pathOf('Architectures');
    if (
      !Array.isArray(architectures) ||
      architectures.length !== 1 ||
      !['x86_64', 'arm64'].includes(String(architectures[0]))
    )
      throw template.fail(
        path,
        `must be a list of one architecture, x86_64 or arm64, got ${JSON.stringify(architectures)}`,
      );
    settings.architecture = { value: String(architectures[0]), source: template.source([...path, 0]) };
  }

  let imageUri: string | null = null;
  if (packageType === 'Image') {
    imageUri = reader.imageUri();
    settings.image = { value: imageUri, source: template.source(reader.pathOf('ImageUri')) };
  }
  settings.concurrency = { value: 1, source: LAMBDA_CONCURRENCY_SOURCE };

  const variables: Record<string, string> = {};
  const environment = reader.get('Environment');
  if (environment !== undefined) {
    const path = [...reader.pathOf('Environment'), 'Variables'];
    const values = isRecord(environment) ? environment.Variables : undefined;
    if (values !== undefined && !isRecord(values))
      throw template.fail(path, 'must be a mapping of names to values');
    for (const [key, value] of Object.entries(values ?? {})) {
      if (typeof value === 'string' && DYNAMIC_REFERENCE.test(value))
        notApplied.push({
          field: `Environment.Variables.${key}`,
          reason: `CloudFormation dynamic reference ${value}: only CloudFormation resolves it, at deploy time, so apply leaves the variable out (deploy with \`sam deploy\`, or set it once the ${value.includes(':ssm') ? 'parameter' : 'secret'} exists)`,
        });
      else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
        variables[key] = String(value);
      else
        notApplied.push({
          field: `Environment.Variables.${key}`,
          reason: 'an intrinsic function only CloudFormation evaluates: apply leaves the variable out',
        });
    }
  }

  const tags: Record<string, string> = {};
  const tagValues = reader.get('Tags');
  if (isRecord(tagValues))
    for (const [key, value] of Object.entries(tagValues)) if (typeof value === 'string') tags[key] = value;

  // Read raw: a Role given as !GetAtt or !Ref is CloudFormation's to resolve, not an error here.
  const role = template.get(reader.pathOf('Role'));
  if (role !== undefined && typeof role !== 'string')
    notApplied.push({
      field: 'Role',
      reason: 'an intrinsic function only CloudFormation evaluates: pass the role with `--role ARN`',
    });

  const properties = template.get(at());
  const globals = template.get(['Globals', 'Function']);
  const listed = new Set<string>();
  for (const [where, keys] of [
    ['', isRecord(properties) ? Object.keys(properties) : []],
    ['Globals.Function.', isRecord(globals) ? Object.keys(globals) : []],
  ] as const)
    for (const key of keys)
      if (!HANDLED.has(key) && !listed.has(key)) {
        listed.add(key);
        notApplied.push({
          field: `${where}${key}`,
          reason: NOT_APPLIED_REASONS[key] ?? `apply does not set ${key}: deploy it with \`sam deploy\``,
        });
      }
  for (const id of Object.keys(resources))
    if (id !== logicalId)
      notApplied.push({
        field: `Resources.${id}`,
        reason: 'apply creates the function only: deploy it with `sam deploy`',
      });

  const description = reader.string('Description');
  return {
    target: 'aws-lambda',
    name,
    folder,
    workload: tags['migrate:workload'] ?? folderName(folder),
    settings,
    notApplied,
    resource: {
      logicalId,
      packageType,
      imageUri,
      alias,
      description,
      role: typeof role === 'string' ? role : null,
      variables,
      tags,
    } satisfies LambdaResource,
  };
}

function folderName(folder: string): string {
  const parts = folder.split(/[\\/]/).filter(Boolean);
  return parts.at(-1) === 'aws-lambda' ? (parts.at(-2) ?? folder) : (parts.at(-1) ?? folder);
}

/**
 * Reads the function's properties as SAM does: the resource's own value, else `Globals.Function`'s;
 * `{Ref: Parameter}` resolved to the parameter's Default, since apply has no deploy-time parameters.
 */
class PropertyReader {
  constructor(
    private readonly template: SamTemplate,
    private readonly logicalId: string,
  ) {}

  pathOf(key: string): FieldPath {
    const own: FieldPath = ['Resources', this.logicalId, 'Properties', key];
    if (this.template.get(own) === undefined && this.template.get(['Globals', 'Function', key]) !== undefined)
      return ['Globals', 'Function', key];
    return own;
  }

  get(key: string): unknown {
    const path = this.pathOf(key);
    return this.resolve(this.template.get(path), path);
  }

  string(key: string): string | null {
    const value = this.get(key);
    if (value === undefined || value === null) return null;
    if (typeof value !== 'string')
      throw this.template.fail(this.pathOf(key), `must be a plain string, got ${JSON.stringify(value)}`);
    return value;
  }

  /** A whole number in range, from `Key` or `Key.SubKey`, with the path it was read at; null when absent. */
  number(
    key: string,
    subKey: string | null,
    [min, max]: [number, number],
    unit: string,
  ): { value: number; path: FieldPath } | null {
    let path = this.pathOf(key);
    let value = this.get(key);
    if (value === undefined || value === null) return null;
    if (subKey !== null) {
      if (!isRecord(value)) throw this.template.fail(path, `must be a mapping with ${subKey}`);
      path = [...path, subKey];
      value = this.resolve(value[subKey], path);
      if (value === undefined || value === null) throw this.template.fail(path, 'is missing');
    }
    const parsed = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
    if (typeof parsed !== 'number' || !Number.isInteger(parsed) || parsed < min || parsed > max)
      throw this.template.fail(
        path,
        `must be a whole number of ${unit} from ${min} to ${max}, got ${JSON.stringify(value)}`,
      );
    return { value: parsed, path };
  }

  /** ImageUri as a string, `Fn::Sub` variables given in the template substituted and `${AWS::…}` kept. */
  imageUri(): string {
    const path = this.pathOf('ImageUri');
    const value = this.get('ImageUri');
    if (typeof value === 'string') return value;
    const sub = isRecord(value) ? value['Fn::Sub'] : undefined;
    if (typeof sub === 'string') return sub;
    if (Array.isArray(sub) && typeof sub[0] === 'string' && (sub[1] === undefined || isRecord(sub[1]))) {
      let text = sub[0];
      for (const [name, replacement] of Object.entries((sub[1] ?? {}) as Record<string, unknown>)) {
        const resolved = this.resolve(replacement, [...path, 'Fn::Sub', 1, name]);
        if (typeof resolved === 'string') text = text.split(`\${${name}}`).join(resolved);
      }
      return text;
    }
    if (value === undefined)
      throw this.template.fail(path, 'is missing: PackageType Image needs the image in Amazon ECR');
    throw this.template.fail(
      path,
      `must be a string or Fn::Sub, got ${JSON.stringify(value)}: pass the image with \`--image URI\` after fixing it`,
    );
  }

  private resolve(value: unknown, path: FieldPath): unknown {
    if (!isRecord(value) || !('Ref' in value) || Object.keys(value).length !== 1) return value;
    const parameter = this.template.get(['Parameters', String(value.Ref)]);
    if (isRecord(parameter) && parameter.Default !== undefined) return parameter.Default;
    throw this.template.fail(
      path,
      `refers to ${String(value.Ref)}, which has no Default: the value is only known at deploy time`,
    );
  }
}
