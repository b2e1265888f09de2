/**
 * The one in-memory model both deployment files are rendered from: `azuredeploy.json` (ARM JSON,
 * arm.ts) and `main.bicep` (bicep.ts). Values are JSON-like, with `Expr` nodes where a value is only
 * known at deploy time (a parameter, a resource id, a runtime property). Each renderer spells an
 * expression its own way; neither can add a resource, a property or a value the other lacks, which
 * is what keeps the two files from diverging without a Bicep compiler to check them.
 */

/** A deploy-time value. Resource references name a resource of the model by its symbol. */
export type ExprNode =
  | { kind: 'param'; name: string }
  /** `{0}`, `{1}` … placeholders filled by `args`; renders as format() in ARM, interpolation in Bicep. */
  | { kind: 'format'; template: string; args: Expr[] }
  | { kind: 'id'; resource: string }
  /** A runtime property of a resource (ARM reference(), Bicep `<symbol>.properties.<path>`). */
  | { kind: 'prop'; resource: string; path: string[] }
  | { kind: 'principalId'; resource: string }
  | { kind: 'storageKey'; resource: string }
  | { kind: 'guid'; args: (Expr | string)[] }
  | { kind: 'roleDefinition'; id: string }
  /** A function call spelled the same in both languages: `resourceGroup().location`, `environment()…`. */
  | { kind: 'builtin'; text: string };

export class Expr {
  constructor(readonly node: ExprNode) {}
}

export type Value = string | number | boolean | Expr | Value[] | { [key: string]: Value };

export const param = (name: string) => new Expr({ kind: 'param', name });
export const format = (template: string, ...args: Expr[]) => new Expr({ kind: 'format', template, args });
export const idOf = (resource: string) => new Expr({ kind: 'id', resource });
export const propOf = (resource: string, ...path: string[]) => new Expr({ kind: 'prop', resource, path });
export const principalIdOf = (resource: string) => new Expr({ kind: 'principalId', resource });
export const storageKeyOf = (resource: string) => new Expr({ kind: 'storageKey', resource });
export const guid = (...args: (Expr | string)[]) => new Expr({ kind: 'guid', args });
export const roleDefinition = (id: string) => new Expr({ kind: 'roleDefinition', id });
export const builtin = (text: string) => new Expr({ kind: 'builtin', text });

export interface TemplateParameter {
  name: string;
  type: 'string' | 'int' | 'bool';
  description: string;
  defaultValue?: Value;
  minLength?: number;
  maxLength?: number;
}

export interface TemplateResource {
  /** Bicep symbolic name; also how expressions and `dependsOn` refer to the resource. */
  symbol: string;
  /** The full type, `Microsoft.Storage/storageAccounts/blobServices/containers` for a child. */
  type: string;
  apiVersion: string;
  /** The resource's own name: the last segment for a child resource. */
  name: Value;
  /** Symbol of the parent resource (child resources). */
  parent?: string;
  /** Symbol of the resource an extension resource (a role assignment) applies to. */
  scope?: string;
  /** Ordering no expression implies (a container the app's deployment storage names literally). */
  dependsOn?: string[];
  /** One line for the reviewer: ARM `comments`, a Bicep comment above the resource. */
  comment: string;
  /** Everything else of the resource body: location, kind, sku, identity, tags, properties. */
  body: Record<string, Value>;
}

export interface TemplateOutput {
  name: string;
  type: 'string' | 'int';
  value: Value;
}

export interface TemplateModel {
  /** Header lines: what the file is and where it came from. */
  header: string[];
  parameters: TemplateParameter[];
  resources: TemplateResource[];
  outputs: TemplateOutput[];
  /** Provenance per property, by path from the resource symbol: `['site', 'properties', 'httpsOnly']`. */
  comments: { path: (string | number)[]; text: string }[];
}

export function resourceOf(model: TemplateModel, symbol: string): TemplateResource {
  const resource = model.resources.find((entry) => entry.symbol === symbol);
  if (!resource) throw new Error(`template model has no resource ${symbol}`);
  return resource;
}

/** Resources an expression tree refers to (for ARM's explicit dependsOn; Bicep infers them). */
export function referencedResources(value: Value, into = new Set<string>()): Set<string> {
  if (value instanceof Expr) {
    const node = value.node;
    if (node.kind === 'format' || node.kind === 'guid')
      for (const arg of node.args) referencedResources(arg, into);
    else if ('resource' in node) into.add(node.resource);
  } else if (Array.isArray(value)) for (const item of value) referencedResources(item, into);
  else if (value && typeof value === 'object')
    for (const inner of Object.values(value)) referencedResources(inner, into);
  return into;
}
