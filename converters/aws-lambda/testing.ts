/**
 * Test helper (imported by tests only): checks emitted files against the official schemas in
 * ../shared/schemas. A SAM template is validated against sam.schema.json; SAM's pass-through
 * properties, typed `{}` there, are then checked one by one against the CloudFormation schemas they
 * pass through to (cfn-lambda-function, cfn-lambda-alias), as ../shared/schemas/SOURCES.md describes.
 */
import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';
import { sharedDir } from '../../test/helpers/paths.ts';
import { schemaErrors } from '../../test/helpers/schemas.ts';

const addFormats = addFormatsModule.default;
const schemasDir = `${sharedDir}schemas/`;
const SETTINGS = (
  JSON.parse(readFileSync(`${schemasDir}ajv-settings.json`, 'utf8')) as {
    schemas: Record<string, { keywords: string[]; formats: string[] }>;
  }
).schemas;
const FUNCTION_SCHEMA = 'cfn-lambda-function.schema.json';
const ALIAS_SCHEMA = 'cfn-lambda-alias.schema.json';

/** Values a deployer would pass for the template's parameters, so intrinsic-valued fields can be typed. */
export const SAMPLE_PARAMETERS: Record<string, unknown> = {
  ModelAccessPointArn: 'arn:aws:elasticfilesystem:us-east-1:123456789012:access-point/fsap-0123456789abcdef0',
  SubnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'],
  SecurityGroupIds: ['sg-0123456789abcdef0'],
};
const PSEUDO: Record<string, string> = { 'AWS::AccountId': '123456789012', 'AWS::Region': 'us-east-1' };

let cfn: Ajv | null = null;
const compiled = new Map<string, ValidateFunction>();

function cfnValidator(schema: string, pointer: string): ValidateFunction {
  const key = `${schema}#${pointer}`;
  const cached = compiled.get(key);
  if (cached) return cached;
  if (!cfn) {
    cfn = new Ajv({ allErrors: true, strict: false });
    addFormats(cfn);
    const keywords = new Set([...SETTINGS[FUNCTION_SCHEMA]!.keywords, ...SETTINGS[ALIAS_SCHEMA]!.keywords]);
    for (const keyword of keywords) cfn.addKeyword(keyword);
    for (const format of new Set([...SETTINGS[FUNCTION_SCHEMA]!.formats, ...SETTINGS[ALIAS_SCHEMA]!.formats]))
      cfn.addFormat(format, true);
    for (const file of [FUNCTION_SCHEMA, ALIAS_SCHEMA])
      cfn.addSchema(JSON.parse(readFileSync(`${schemasDir}${file}`, 'utf8')), file);
  }
  const validate = cfn.compile({ $ref: key });
  compiled.set(key, validate);
  return validate;
}

/** Where each pass-through property of AWS::Serverless::Function is typed, read from sam.schema.json. */
function passThroughTargets(): Map<string, { schema: string; pointer: string } | 'sam'> {
  const sam = JSON.parse(readFileSync(`${schemasDir}sam.schema.json`, 'utf8'));
  const properties = sam.definitions
    .samtranslator__internal__schema_source__aws_serverless_function__Properties.properties as Record<
    string,
    { __samPassThrough?: { schemaPath: string[] }; allOf?: { $ref: string }[] }
  >;
  const functionProperties = JSON.parse(readFileSync(`${schemasDir}${FUNCTION_SCHEMA}`, 'utf8')).properties;
  const targets = new Map<string, { schema: string; pointer: string } | 'sam'>();
  for (const [name, schema] of Object.entries(properties)) {
    const path = schema.__samPassThrough?.schemaPath;
    if (path) {
      const [, resource, ...rest] = path;
      const [type, sub] = (resource ?? '').split('.');
      const file =
        type === 'AWS::Lambda::Alias'
          ? ALIAS_SCHEMA
          : type === 'AWS::Lambda::Function'
            ? FUNCTION_SCHEMA
            : null;
      if (!file) continue; // IAM role pass-throughs: not emitted by the converter.
      // `definitions/AWS::Lambda::Function/properties/Properties/properties/X` → `/properties/X`;
      // `definitions/AWS::Lambda::Function.Code/properties/ImageUri` → `/definitions/Code/properties/ImageUri`.
      const pointer = sub ? `/definitions/${sub}/${rest.join('/')}` : `/${rest.slice(2).join('/')}`;
      targets.set(name, { schema: file, pointer });
    } else if (schema.allOf?.[0]?.$ref === '#/definitions/PassThroughProp') {
      if (name in functionProperties)
        targets.set(name, { schema: FUNCTION_SCHEMA, pointer: `/properties/${name}` });
    } else targets.set(name, 'sam');
  }
  return targets;
}

let targetsCache: ReturnType<typeof passThroughTargets> | null = null;

/** Replaces Ref to parameters and pseudo parameters, and Fn::Sub, with sample values. */
export function resolveIntrinsics(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(resolveIntrinsics);
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 1 && entries[0]![0] === 'Ref') {
      const name = String(entries[0]![1]);
      if (name in SAMPLE_PARAMETERS) return SAMPLE_PARAMETERS[name];
      if (name in PSEUDO) return PSEUDO[name];
      throw new Error(`unresolved Ref ${name}: add a sample value`);
    }
    if (entries.length === 1 && entries[0]![0] === 'Fn::Sub')
      return String(entries[0]![1]).replace(/\$\{([^}]+)\}/g, (_, name: string) => {
        if (!(name in PSEUDO)) throw new Error(`unresolved \${${name}} in Fn::Sub`);
        return PSEUDO[name]!;
      });
    return Object.fromEntries(entries.map(([key, inner]) => [key, resolveIntrinsics(inner)]));
  }
  return value;
}

/**
 * Every error of a SAM template: the SAM schema, then each pass-through property against its
 * CloudFormation schema. A property that neither SAM types nor a CloudFormation schema checks is an
 * error too, so nothing the converter emits goes unchecked.
 */
export function samTemplateErrors(text: string): string[] {
  const template = parse(text) as {
    Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
  };
  const errors = schemaErrors('sam.schema.json', template).map((error) => `sam.schema.json ${error}`);
  targetsCache ??= passThroughTargets();
  for (const [id, resource] of Object.entries(template.Resources)) {
    if (resource.Type !== 'AWS::Serverless::Function') continue;
    for (const [name, raw] of Object.entries(resource.Properties)) {
      const target = targetsCache.get(name);
      if (target === 'sam') continue;
      if (!target) {
        errors.push(`${id}.${name}: no schema checks this property`);
        continue;
      }
      const validate = cfnValidator(target.schema, target.pointer);
      if (!validate(resolveIntrinsics(raw)))
        for (const error of validate.errors ?? [])
          errors.push(
            `${id}.${name} (${target.schema}#${target.pointer})${error.instancePath} ${error.message}`,
          );
    }
  }
  return errors;
}

export function serverlessErrors(text: string): string[] {
  return schemaErrors('serverless.schema.json', parse(text));
}
