/**
 * Test helper (imported by tests only): checks emitted files against the official schemas in
 * ../shared/schemas, and checks that main.bicep says what azuredeploy.json says. There is no Bicep
 * compiler here and no JSON Schema for Bicep (SOURCES.md item 4): both files come from one template
 * model, and this check makes sure no resource, property, parameter, output or literal of the ARM JSON
 * is missing from the Bicep text.
 */
import { schemaErrors } from '../../test/helpers/schemas.ts';
import type { GeneratedFile } from '../types.ts';

export function armTemplateErrors(text: string): string[] {
  return schemaErrors('arm-deployment-template.schema.json', JSON.parse(text));
}

export function hostJsonErrors(text: string): string[] {
  return schemaErrors('azure-functions-host.schema.json', JSON.parse(text));
}

export function functionJsonErrors(text: string): string[] {
  return schemaErrors('azure-functions-function.schema.json', JSON.parse(text));
}

/** ARM keys that Bicep spells as syntax or infers (the resource declaration line, `parent`, references). */
const ARM_ONLY = new Set(['type', 'apiVersion', 'name', 'dependsOn', 'comments', 'scope']);

interface ArmTemplate {
  parameters: Record<string, { type: string; defaultValue?: unknown }>;
  resources: Record<string, unknown>[];
  outputs: Record<string, { type: string; value: unknown }>;
}

/** Everything of the ARM template the Bicep text lacks; empty when they agree. */
export function bicepArmDisagreements(bicep: string, armText: string): string[] {
  const arm = JSON.parse(armText) as ArmTemplate;
  const problems: string[] = [];
  const missing = (what: string, needle: string) => {
    if (!bicep.includes(needle)) problems.push(`${what}: main.bicep has no ${needle}`);
  };
  for (const [name, parameter] of Object.entries(arm.parameters))
    missing(`parameter ${name}`, `param ${name} ${parameter.type}`);
  for (const [name, output] of Object.entries(arm.outputs))
    missing(`output ${name}`, `output ${name} ${output.type}`);
  const declared = bicep.split('\n').filter((line) => /^resource \w+ '/.test(line)).length;
  if (declared !== arm.resources.length)
    problems.push(`main.bicep declares ${declared} resources, azuredeploy.json ${arm.resources.length}`);
  for (const resource of arm.resources) {
    const where = `${resource.type} ${resource.name}`;
    missing(where, `'${resource.type}@${resource.apiVersion}'`);
    walk(resource, [], (path, key, value) => {
      if (path.length === 0 && ARM_ONLY.has(key)) return;
      if (key !== '') missing(`${where} ${[...path, key].join('.')}`, `${bicepKey(key)}: `);
      if (typeof value === 'string')
        checkString(value, `${where} ${[...path, key].join('.')}`, bicep, problems);
      if (typeof value === 'number' || typeof value === 'boolean')
        missing(`${where} ${[...path, key].join('.')}`, `${bicepKey(key)}: ${value}`);
    });
  }
  for (const [name, parameter] of Object.entries(arm.parameters))
    if (typeof parameter.defaultValue === 'string')
      checkString(parameter.defaultValue, `parameter ${name}`, bicep, problems);
  return problems;
}

/** A literal must appear as a Bicep string; an expression's literals (outside {n} placeholders) must appear too. */
function checkString(value: string, where: string, bicep: string, problems: string[]): void {
  if (value.startsWith('[[') || !value.startsWith('[')) {
    const literal = value.startsWith('[[') ? value.slice(1) : value;
    if (!bicep.includes(`'${bicepEscape(literal)}'`))
      problems.push(`${where}: main.bicep has no '${literal}'`);
    return;
  }
  for (const [, text] of value.matchAll(/'((?:[^']|'')*)'/g)) {
    const literal = text!.replace(/''/g, "'");
    // Types, API versions and reference() options are Bicep syntax, not text.
    if (/^Microsoft\.[\w.]+\/|^\d{4}-\d{2}-\d{2}$|^full$/.test(literal)) continue;
    for (const chunk of literal.split(/\{\d+\}/))
      if (chunk && !bicep.includes(bicepEscape(chunk))) problems.push(`${where}: main.bicep has no ${chunk}`);
  }
}

function walk(
  value: unknown,
  path: string[],
  visit: (path: string[], key: string, value: unknown) => void,
): void {
  if (Array.isArray(value)) {
    for (const item of value) {
      if (item && typeof item === 'object') walk(item, path, visit);
      else visit(path, '', item);
    }
    return;
  }
  if (!value || typeof value !== 'object') return;
  for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
    visit(path, key, inner);
    if (inner && typeof inner === 'object' && !(path.length === 0 && ARM_ONLY.has(key)))
      walk(inner, [...path, key], visit);
  }
}

function bicepKey(key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? key : `'${bicepEscape(key)}'`;
}

function bicepEscape(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\$\{/g, '\\${').replace(/\n/g, '\\n');
}

/** Every problem with the files of one azure-functions conversion: schemas, and Bicep against ARM. */
export function azureFileErrors(files: readonly GeneratedFile[]): string[] {
  const text = (path: string) => files.find((file) => file.path === path)?.content ?? null;
  const errors: string[] = [];
  const arm = text('azuredeploy.json');
  const bicep = text('main.bicep');
  const host = text('host.json');
  if (arm === null || bicep === null || host === null)
    return ['main.bicep, azuredeploy.json or host.json is missing'];
  errors.push(...armTemplateErrors(arm).map((error) => `azuredeploy.json ${error}`));
  errors.push(...hostJsonErrors(host).map((error) => `host.json ${error}`));
  errors.push(...bicepArmDisagreements(bicep, arm));
  for (const file of files.filter((entry) => entry.path.endsWith('/function.json')))
    errors.push(...functionJsonErrors(file.content).map((error) => `${file.path} ${error}`));
  return errors;
}
