import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import AjvDraft04Module from 'ajv-draft-04';
import addFormatsModule from 'ajv-formats';
import { sharedDir } from './paths.ts';

interface SchemaSettings {
  class: 'ajv' | 'ajv-draft-04';
  addSchemas: string[];
  keywords: string[];
  formats: string[];
  options: Record<string, unknown>;
}

// CommonJS packages: under NodeNext the default import is the module object, the class is its `default`.
const AjvDraft04 = AjvDraft04Module.default;
const addFormats = addFormatsModule.default;

const schemasDir = `${sharedDir}schemas/`;
const settings = (
  JSON.parse(readFileSync(`${schemasDir}ajv-settings.json`, 'utf8')) as {
    schemas: Record<string, SchemaSettings>;
  }
).schemas;
const cache = new Map<string, ValidateFunction>();

/**
 * Compiles one of the official schemas in ../shared/schemas with the settings recorded beside them
 * (ajv-settings.json), so every emitted or bundled config is checked against the real thing, offline.
 */
export function schemaValidator(file: string): ValidateFunction {
  const cached = cache.get(file);
  if (cached) return cached;
  const setting = settings[file];
  if (!setting) throw new Error(`no ajv settings for ${file}`);
  const options = { allErrors: true, strict: false, ...setting.options };
  const ajv = setting.class === 'ajv-draft-04' ? new AjvDraft04(options) : new Ajv(options);
  addFormats(ajv);
  for (const keyword of setting.keywords) ajv.addKeyword(keyword);
  for (const format of setting.formats) ajv.addFormat(format, true);
  for (const extra of setting.addSchemas)
    ajv.addSchema(JSON.parse(readFileSync(`${schemasDir}${extra}`, 'utf8')));
  const validate = ajv.compile(JSON.parse(readFileSync(`${schemasDir}${file}`, 'utf8')));
  cache.set(file, validate);
  return validate;
}

export function schemaErrors(file: string, value: unknown): string[] {
  const validate = schemaValidator(file);
  return validate(value)
    ? []
    : (validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message}`);
}
