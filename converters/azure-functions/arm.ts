import {
  Expr,
  referencedResources,
  resourceOf,
  type TemplateModel,
  type TemplateResource,
  type Value,
} from './template-model.ts';

/**
 * `azuredeploy.json`: the template model as an ARM deployment template (schema 2019-04-01, the one
 * ../shared/schemas/arm-deployment-template.schema.json checks). ARM spells every deploy-time value as a
 * `[…]` expression and needs explicit dependsOn, which is derived here from the references the values
 * make, so the ordering Bicep infers and the ordering ARM is told are the same.
 */
export const ARM_SCHEMA = 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#';

export function armTemplate(model: TemplateModel): Record<string, unknown> {
  const template: Record<string, unknown> = {
    $schema: ARM_SCHEMA,
    contentVersion: '1.0.0.0',
    metadata: { description: model.header.join(' ') },
  };
  template.parameters = Object.fromEntries(
    model.parameters.map((parameter) => {
      const entry: Record<string, unknown> = { type: parameter.type };
      if (parameter.defaultValue !== undefined) entry.defaultValue = value(model, parameter.defaultValue);
      if (parameter.minLength !== undefined) entry.minLength = parameter.minLength;
      if (parameter.maxLength !== undefined) entry.maxLength = parameter.maxLength;
      entry.metadata = { description: parameter.description };
      return [parameter.name, entry];
    }),
  );
  template.resources = model.resources.map((resource) => armResource(model, resource));
  template.outputs = Object.fromEntries(
    model.outputs.map((output) => [output.name, { type: output.type, value: value(model, output.value) }]),
  );
  return template;
}

export function armJson(model: TemplateModel): string {
  return `${JSON.stringify(armTemplate(model), null, 2)}\n`;
}

function armResource(model: TemplateModel, resource: TemplateResource): Record<string, unknown> {
  const entry: Record<string, unknown> = {
    type: resource.type,
    apiVersion: resource.apiVersion,
    name: value(model, fullName(model, resource)),
  };
  if (resource.scope) entry.scope = `[${scopeOf(model, resourceOf(model, resource.scope))}]`;
  entry.comments = resource.comment;
  for (const [key, inner] of Object.entries(resource.body)) entry[key] = value(model, inner);
  const needs = referencedResources(resource.body);
  referencedResources(resource.name, needs);
  for (const symbol of [resource.parent, resource.scope, ...(resource.dependsOn ?? [])])
    if (symbol) needs.add(symbol);
  needs.delete(resource.symbol);
  const ordered = model.resources.filter((other) => needs.has(other.symbol));
  if (ordered.length) entry.dependsOn = ordered.map((other) => `[${resourceIdOf(model, other)}]`);
  return entry;
}

/** A child's ARM name is its parents' names and its own, joined by `/`. */
function fullName(model: TemplateModel, resource: TemplateResource): Value {
  const parts = nameChain(model, resource);
  if (parts.length === 1) return parts[0]!;
  if (parts.every((part) => typeof part === 'string')) return parts.join('/');
  const args: Expr[] = [];
  const template = parts
    .map((part) => {
      if (typeof part === 'string') return part;
      args.push(part as Expr);
      return `{${args.length - 1}}`;
    })
    .join('/');
  return new Expr({ kind: 'format', template, args });
}

function nameChain(model: TemplateModel, resource: TemplateResource): Value[] {
  const parent = resource.parent ? nameChain(model, resourceOf(model, resource.parent)) : [];
  return [...parent, resource.name];
}

function resourceIdOf(model: TemplateModel, resource: TemplateResource): string {
  const names = nameChain(model, resource).map((part) => inner(model, part));
  return `resourceId(${[quote(resource.type), ...names].join(', ')})`;
}

/** The relative id an extension resource's `scope` takes: `Microsoft.Storage/storageAccounts/<name>`. */
function scopeOf(model: TemplateModel, target: TemplateResource): string {
  const [namespace, ...types] = target.type.split('/');
  const names = nameChain(model, target);
  const args: Expr[] = [];
  const segments = types.map((type, index) => {
    const name = names[index]!;
    if (typeof name === 'string') return `${type}/${name}`;
    args.push(name as Expr);
    return `${type}/{${args.length - 1}}`;
  });
  const path = `${namespace}/${segments.join('/')}`;
  return args.length ? inner(model, new Expr({ kind: 'format', template: path, args })) : quote(path);
}

/** A value as it sits in the template: expressions in brackets, literals escaped where ARM would misread them. */
function value(model: TemplateModel, raw: Value): unknown {
  if (raw instanceof Expr) return `[${inner(model, raw)}]`;
  // A literal string that starts with `[` would be read as an expression: ARM escapes it as `[[`.
  if (typeof raw === 'string') return raw.startsWith('[') ? `[${raw}` : raw;
  if (Array.isArray(raw)) return raw.map((item) => value(model, item));
  if (raw && typeof raw === 'object')
    return Object.fromEntries(Object.entries(raw).map(([key, item]) => [key, value(model, item)]));
  return raw;
}

/** An expression (or a literal inside one) in ARM's expression language, without brackets. */
function inner(model: TemplateModel, raw: Value): string {
  if (!(raw instanceof Expr)) {
    if (typeof raw === 'string') return quote(raw);
    if (typeof raw === 'number' || typeof raw === 'boolean') return String(raw);
    throw new Error('objects and arrays cannot appear inside an ARM expression here');
  }
  const node = raw.node;
  switch (node.kind) {
    case 'param':
      return `parameters(${quote(node.name)})`;
    case 'format':
      return `format(${[quote(node.template), ...node.args.map((arg) => inner(model, arg))].join(', ')})`;
    case 'id':
      return resourceIdOf(model, resourceOf(model, node.resource));
    case 'prop': {
      const target = resourceOf(model, node.resource);
      return `reference(${resourceIdOf(model, target)}, ${quote(target.apiVersion)}).${node.path.join('.')}`;
    }
    case 'principalId': {
      const target = resourceOf(model, node.resource);
      return `reference(${resourceIdOf(model, target)}, ${quote(target.apiVersion)}, 'full').identity.principalId`;
    }
    case 'storageKey': {
      const target = resourceOf(model, node.resource);
      return `listKeys(${resourceIdOf(model, target)}, ${quote(target.apiVersion)}).keys[0].value`;
    }
    case 'guid':
      return `guid(${node.args.map((arg) => inner(model, arg)).join(', ')})`;
    case 'roleDefinition':
      return `subscriptionResourceId('Microsoft.Authorization/roleDefinitions', ${quote(node.id)})`;
    case 'builtin':
      return node.text;
  }
}

/** ARM string literals are single-quoted; a quote inside doubles. */
function quote(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}
