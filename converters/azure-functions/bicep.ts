import { Expr, resourceOf, type TemplateModel, type TemplateResource, type Value } from './template-model.ts';

/**
 * `main.bicep`: the template model in Bicep. Resource references become symbolic names
 * (`storage.id`, `site.identity.principalId`), from which Bicep infers the ordering that ARM is told
 * with dependsOn; only orderings no reference implies are written as dependsOn. Each setting's source
 * is a comment above its property, as in the Lambda converter's YAML.
 */
type Comments = TemplateModel['comments'];

export function bicepFile(model: TemplateModel): string {
  const lines: string[] = model.header.map((line) => `// ${line}`);
  for (const parameter of model.parameters) {
    lines.push('', `@description(${quote(parameter.description)})`);
    if (parameter.minLength !== undefined) lines.push(`@minLength(${parameter.minLength})`);
    if (parameter.maxLength !== undefined) lines.push(`@maxLength(${parameter.maxLength})`);
    const initial =
      parameter.defaultValue === undefined ? '' : ` = ${render(parameter.defaultValue, model, '')}`;
    lines.push(`param ${parameter.name} ${parameter.type}${initial}`);
  }
  for (const resource of model.resources) lines.push('', ...resourceLines(model, resource));
  if (model.outputs.length) lines.push('');
  for (const output of model.outputs)
    lines.push(`output ${output.name} ${output.type} = ${render(output.value, model, '')}`);
  return `${lines.join('\n')}\n`;
}

function resourceLines(model: TemplateModel, resource: TemplateResource): string[] {
  const lines = [
    `// ${oneLine(resource.comment)}`,
    `resource ${resource.symbol} '${resource.type}@${resource.apiVersion}' = {`,
  ];
  const pad = '  ';
  if (resource.parent) lines.push(`${pad}parent: ${resourceOf(model, resource.parent).symbol}`);
  if (resource.scope) lines.push(`${pad}scope: ${resourceOf(model, resource.scope).symbol}`);
  lines.push(`${pad}name: ${render(resource.name, model, pad)}`);
  lines.push(...members(resource.body, model, pad, [resource.symbol], model.comments));
  if (resource.dependsOn?.length)
    lines.push(`${pad}dependsOn: [`, ...resource.dependsOn.map((symbol) => `${pad}  ${symbol}`), `${pad}]`);
  lines.push('}');
  return lines;
}

function members(
  object: Record<string, Value>,
  model: TemplateModel,
  pad: string,
  path: (string | number)[],
  comments: Comments,
): string[] {
  const lines: string[] = [];
  for (const [key, inner] of Object.entries(object)) {
    lines.push(...commentsAt([...path, key], comments, pad));
    lines.push(`${pad}${bicepKey(key)}: ${render(inner, model, pad, [...path, key], comments)}`);
  }
  return lines;
}

function render(
  raw: Value,
  model: TemplateModel,
  pad: string,
  path: (string | number)[] = [],
  comments: Comments = [],
): string {
  if (raw instanceof Expr) return expression(raw, model);
  if (typeof raw === 'string') return quote(raw);
  if (typeof raw === 'number' || typeof raw === 'boolean') return String(raw);
  const next = `${pad}  `;
  if (Array.isArray(raw)) {
    if (raw.length === 0) return '[]';
    const items = raw.flatMap((item, index) => [
      ...commentsAt([...path, index], comments, next),
      `${next}${render(item, model, next, [...path, index], comments)}`,
    ]);
    return ['[', ...items, `${pad}]`].join('\n');
  }
  const entries = members(raw, model, next, path, comments);
  return entries.length ? ['{', ...entries, `${pad}}`].join('\n') : '{}';
}

function expression(raw: Expr, model: TemplateModel): string {
  const node = raw.node;
  const symbol = (name: string) => resourceOf(model, name).symbol;
  switch (node.kind) {
    case 'param':
      return node.name;
    case 'format':
      return interpolate(node.template, node.args, model);
    case 'id':
      return `${symbol(node.resource)}.id`;
    case 'prop':
      return `${symbol(node.resource)}.properties.${node.path.join('.')}`;
    case 'principalId':
      return `${symbol(node.resource)}.identity.principalId`;
    case 'storageKey':
      return `${symbol(node.resource)}.listKeys().keys[0].value`;
    case 'guid':
      return `guid(${node.args.map((arg) => (typeof arg === 'string' ? quote(arg) : expression(arg, model))).join(', ')})`;
    case 'roleDefinition':
      return `subscriptionResourceId('Microsoft.Authorization/roleDefinitions', ${quote(node.id)})`;
    case 'builtin':
      return node.text;
  }
}

/** ARM's format('{0}-x', a) is Bicep's '${a}-x'. */
function interpolate(template: string, args: Expr[], model: TemplateModel): string {
  if (/^\{\d+\}$/.test(template)) return expression(args[Number(template.slice(1, -1))]!, model);
  const parts = template.split(/(\{\d+\})/);
  const text = parts
    .map((part) => {
      const match = /^\{(\d+)\}$/.exec(part);
      return match ? `\${${expression(args[Number(match[1])]!, model)}}` : bicepEscape(part);
    })
    .join('');
  return `'${text}'`;
}

function commentsAt(path: (string | number)[], comments: Comments, pad: string): string[] {
  const key = JSON.stringify(path);
  return comments
    .filter((entry) => JSON.stringify(entry.path) === key)
    .map((entry) => `${pad}// ${oneLine(entry.text)}`);
}

function bicepKey(key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? key : quote(key);
}

/** Bicep strings: single quotes, with \ ' and ${ escaped (Bicep reads ${ as interpolation). */
function quote(text: string): string {
  return `'${bicepEscape(text)}'`;
}

function bicepEscape(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/'/g, "\\'")
    .replace(/\$\{/g, '\\${')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t');
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}
