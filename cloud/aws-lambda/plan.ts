/**
 * The Lambda API calls that make the deployed function match the template. Pure: desired + live +
 * flags → ApiCall[], each printed before execute makes it. Create when nothing is deployed; otherwise
 * only the calls for what differs, and none when nothing does. Never a Delete*: a reservation or
 * provisioned concurrency the template no longer has is left for the user (verify keeps showing it).
 *
 * Lambda is eventually consistent: after CreateFunction or UpdateFunction* the function is Pending or
 * its update InProgress, and the next change is refused with ResourceConflictException. The plan says
 * so with a wait step (lambda:GetFunctionConfiguration, polled by execute) after each of them.
 */

import { MigrateError } from '../../core/errors.ts';
import type { ApiCall, CloudFlags, DesiredConfig, LiveConfig, SettingName, SettingValue } from '../types.ts';
import type { LambdaResource } from './desired.ts';
import { ALIAS_MISSING } from './live.ts';

/** Stands for the version lambda:PublishVersion returns; execute puts the real one in (from the session). */
export const PUBLISHED_VERSION = '${PublishVersion.Version}';

/** The wait step: execute polls GetFunctionConfiguration until State is Active and LastUpdateStatus Successful. */
export const WAIT_OPERATION = 'lambda:GetFunctionConfiguration';

export function planApply(desired: DesiredConfig, live: LiveConfig | null, flags: CloudFlags): ApiCall[] {
  const resource = desired.resource as LambdaResource;
  return live === null ? planCreate(desired, resource, flags) : planUpdate(desired, resource, live, flags);
}

function want(desired: DesiredConfig, name: SettingName): SettingValue {
  return desired.settings[name]?.value ?? null;
}

function waitStep(name: string, after: string): ApiCall {
  return {
    operation: WAIT_OPERATION,
    summary: `wait until ${name} is Active and its last update Successful (${after} leaves it Pending or InProgress, and Lambda refuses changes until then)`,
    input: { FunctionName: name },
  };
}

function planCreate(desired: DesiredConfig, resource: LambdaResource, flags: CloudFlags): ApiCall[] {
  const name = desired.name;
  if (resource.packageType !== 'Image')
    throw new MigrateError(
      `${desired.folder}: ${name} is a zip package (PackageType Zip), which apply cannot create`,
      {
        hint: 'deploy it once with `sam build && sam deploy` from the folder; then `migrate verify` and `migrate apply` manage its settings',
      },
    );
  const role = flags.extra.role || resource.role;
  if (!role)
    throw new MigrateError(`creating ${name} needs an execution role, and the template names none`, {
      hint: 'pass --role ARN: an IAM role whose trust policy lets lambda.amazonaws.com assume it, with AWSLambdaBasicExecutionRole and what the template lists under Policies',
    });
  const image = resolveImage(flags.extra.image || resource.imageUri!, {
    region: flags.region,
    account: null,
  });
  if (image.includes('${'))
    throw new MigrateError(`creating ${name} needs the image URI, but the template's ImageUri is ${image}`, {
      hint: `pass --image URI, the image in Amazon ECR (${image} with your account id${flags.region ? '' : ' and region'} filled in); apply resolves \${AWS::AccountId} only from an existing function`,
    });
  const input: Record<string, unknown> = {
    FunctionName: name,
    PackageType: 'Image',
    Code: { ImageUri: image },
    Role: role,
  };
  // Only what the template states; Lambda's defaults apply to the rest, as they would after `sam deploy`.
  const said: string[] = [];
  const put = (setting: SettingName, field: string, wrap: (value: SettingValue) => unknown, unit: string) => {
    const value = want(desired, setting);
    if (value === null) return;
    input[field] = wrap(value);
    said.push(`${value}${unit}`);
  };
  put('memoryMb', 'MemorySize', (value) => value, ' MB');
  put('timeoutSeconds', 'Timeout', (value) => value, ' s');
  put('ephemeralStorageMb', 'EphemeralStorage', (value) => ({ Size: value }), ' MB /tmp');
  put('architecture', 'Architectures', (value) => [value], '');
  if (resource.description) input.Description = resource.description;
  // Literal variables only: dynamic references are in notApplied and never reach a call.
  if (Object.keys(resource.variables).length) input.Environment = { Variables: resource.variables };
  if (Object.keys(resource.tags).length) input.Tags = resource.tags;
  const calls: ApiCall[] = [
    {
      operation: 'lambda:CreateFunction',
      summary: `create ${name} from ${image}${said.length ? `: ${said.join(', ')}` : ''}`,
      input,
    },
    waitStep(name, 'CreateFunction'),
  ];
  const reserved = want(desired, 'maxInstances');
  if (typeof reserved === 'number') calls.push(reserveCall(name, reserved, null));
  if (resource.alias) {
    calls.push(publishCall(name), aliasCall(name, resource.alias, true));
    const warm = want(desired, 'warmInstances');
    if (typeof warm === 'number' && warm > 0) calls.push(provisionCall(name, resource.alias, warm, 0));
  }
  return calls;
}

function planUpdate(
  desired: DesiredConfig,
  resource: LambdaResource,
  live: LiveConfig,
  flags: CloudFlags,
): ApiCall[] {
  const name = desired.name;
  const have = (setting: SettingName) => live.settings[setting] ?? null;
  if (resource.alias && live.facts.alias && live.facts.alias !== resource.alias)
    throw new MigrateError(
      `${name}: the template's AutoPublishAlias is ${resource.alias}, but the live read looked at alias ${live.facts.alias}`,
      {
        hint: `migrate reads warm capacity from alias ${live.facts.alias}, the one convert writes: set AutoPublishAlias back to it, or connect with flags.extra.alias = ${resource.alias} (docs/cloud/aws-lambda.md)`,
      },
    );
  if (
    live.facts.PackageType &&
    live.facts.PackageType !== 'unknown' &&
    live.facts.PackageType !== resource.packageType
  )
    throw new MigrateError(
      `${name} is deployed as PackageType ${live.facts.PackageType}, the template says ${resource.packageType}: Lambda cannot change a function's package type`,
      { hint: 'deploy the template under a new FunctionName, or keep the package type the function has' },
    );

  const changes: ApiCall[] = [];
  const configuration: Record<string, unknown> = {};
  const said: string[] = [];
  const compare = (setting: SettingName, field: string, unit: string, wrap: (value: number) => unknown) => {
    const value = want(desired, setting);
    if (typeof value === 'number' && value !== have(setting)) {
      configuration[field] = wrap(value);
      said.push(`${field} ${have(setting) ?? '(none)'} → ${value} ${unit}`);
    }
  };
  compare('memoryMb', 'MemorySize', 'MB', (value) => value);
  compare('timeoutSeconds', 'Timeout', 's', (value) => value);
  compare('ephemeralStorageMb', 'EphemeralStorage', 'MB', (value) => ({ Size: value }));
  if (said.length)
    changes.push(
      {
        operation: 'lambda:UpdateFunctionConfiguration',
        summary: `update ${name}: ${said.join(', ')}`,
        input: { FunctionName: name, ...configuration },
      },
      waitStep(name, 'UpdateFunctionConfiguration'),
    );

  const architecture = want(desired, 'architecture');
  const architectureChanged = typeof architecture === 'string' && architecture !== have('architecture');
  if (resource.packageType === 'Image') {
    const [, , , arnRegion, arnAccount] = live.id.split(':');
    const image = resolveImage(flags.extra.image || resource.imageUri!, {
      region: live.facts.region || arnRegion || flags.region,
      account: arnAccount || null,
    });
    if (image.includes('${'))
      throw new MigrateError(`${name}: the template's ImageUri ${image} has placeholders apply cannot fill`, {
        hint: 'pass --image URI, the image in Amazon ECR',
      });
    if (image !== have('image') || architectureChanged)
      changes.push(
        {
          operation: 'lambda:UpdateFunctionCode',
          summary: `update ${name}'s image: ${have('image') ?? '(none)'} → ${image}${architectureChanged ? `, architecture ${have('architecture')} → ${architecture}` : ''}`,
          input: {
            FunctionName: name,
            ImageUri: image,
            ...(architectureChanged ? { Architectures: [architecture] } : {}),
          },
        },
        waitStep(name, 'UpdateFunctionCode'),
      );
  } else if (architectureChanged)
    throw new MigrateError(
      `${name}: the architecture changes (${have('architecture')} → ${architecture}), which for a zip package means uploading it again`,
      { hint: 'rebuild and deploy with `sam build && sam deploy`; apply does not upload zip packages' },
    );

  const reserved = want(desired, 'maxInstances');
  const reservedCall =
    typeof reserved === 'number' && reserved !== have('maxInstances')
      ? reserveCall(name, reserved, have('maxInstances'))
      : null;

  const versionCalls: ApiCall[] = [];
  const provision: ApiCall[] = [];
  if (resource.alias) {
    const aliasMissing = live.facts.aliasVersion === ALIAS_MISSING;
    if (changes.length || aliasMissing)
      versionCalls.push(publishCall(name), aliasCall(name, resource.alias, aliasMissing));
    const warm = want(desired, 'warmInstances');
    const liveWarm = aliasMissing ? 0 : Number(have('warmInstances') ?? 0);
    if (typeof warm === 'number' && warm > 0 && warm !== liveWarm)
      provision.push(provisionCall(name, resource.alias, warm, liveWarm));
  }

  const calls = [...changes, ...(reservedCall ? [reservedCall] : []), ...versionCalls, ...provision];
  // A function still settling from an earlier change refuses the first update: wait for it first.
  const settling = live.facts.State === 'Pending' || live.facts.LastUpdateStatus === 'InProgress';
  if (settling && (changes.length || versionCalls.length)) calls.unshift(waitStep(name, 'an earlier change'));
  return calls;
}

function reserveCall(name: string, reserved: number, was: SettingValue): ApiCall {
  return {
    operation: 'lambda:PutFunctionConcurrency',
    summary: `reserve ${reserved} concurrent executions for ${name}${was === null ? '' : ` (now ${was})`}`,
    input: { FunctionName: name, ReservedConcurrentExecutions: reserved },
  };
}

function publishCall(name: string): ApiCall {
  return {
    operation: 'lambda:PublishVersion',
    summary: `publish a version of ${name} from its current code and configuration`,
    input: { FunctionName: name },
  };
}

function aliasCall(name: string, alias: string, create: boolean): ApiCall {
  return {
    operation: create ? 'lambda:CreateAlias' : 'lambda:UpdateAlias',
    summary: `${create ? 'create alias' : 'point alias'} ${alias} ${create ? 'on' : 'at'} the version just published`,
    input: { FunctionName: name, Name: alias, FunctionVersion: PUBLISHED_VERSION },
  };
}

function provisionCall(name: string, alias: string, warm: number, was: number): ApiCall {
  return {
    operation: 'lambda:PutProvisionedConcurrencyConfig',
    summary: `keep ${warm} execution environment(s) of ${name}:${alias} initialized (provisioned concurrency, now ${was}); it becomes READY in minutes, billed while configured`,
    input: { FunctionName: name, Qualifier: alias, ProvisionedConcurrentExecutions: warm },
  };
}

/**
 * The template's `Fn::Sub` image with the pseudo parameters apply knows filled in: the region, and the
 * account id once there is a function ARN to read it from. Others stay `${…}`.
 */
export function resolveImage(uri: string, known: { region: string | null; account: string | null }): string {
  const fill = (text: string, name: string, value: string) => text.split(`\${${name}}`).join(value);
  let image = uri;
  if (known.region) {
    image = fill(image, 'AWS::Region', known.region);
    image = fill(
      image,
      'AWS::URLSuffix',
      known.region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com',
    );
  }
  if (known.account) image = fill(image, 'AWS::AccountId', known.account);
  return image;
}
