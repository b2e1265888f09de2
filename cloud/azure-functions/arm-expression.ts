/**
 * The part of ARM template expressions (`[parameters('x')]`, `[format('{0}…', …)]`, `[resourceId(…)]`)
 * that the converter emits and that can be known before deploying: parameter defaults, variables,
 * format/concat, resource ids and the blob endpoint of a storage account. What only the deployment
 * engine knows (`resourceGroup().location`, `reference()` of most resources, `listKeys()`,
 * `uniqueString()`) evaluates to an Unresolved value carrying the reason, so the reader can say which
 * field apply cannot set and why, instead of guessing. Pure.
 *
 * Values that depend on where apply deploys (subscription, resource group, the cloud's storage suffix)
 * stay as `${subscriptionId}`, `${resourceGroup}` and `${storageSuffix}` placeholders until the plan,
 * which knows them (fillPlaceholders).
 *
 * Grammar: https://learn.microsoft.com/azure/azure-resource-manager/templates/template-expressions
 */

export class Unresolved {
  constructor(readonly reason: string) {}
}

export type ArmValue =
  | string
  | number
  | boolean
  | null
  | ArmValue[]
  | { [key: string]: ArmValue }
  | Unresolved;

export interface ArmScope {
  /** The template's `parameters` (their defaultValue is what apply uses). */
  parameters: Record<string, unknown>;
  variables: Record<string, unknown>;
}

export const PLACEHOLDERS = {
  subscriptionId: '${subscriptionId}',
  resourceGroup: '${resourceGroup}',
  storageSuffix: '${storageSuffix}',
} as const;

/** A template value: a literal, or an expression string in brackets (`[[` escapes a literal bracket). */
export function evaluate(raw: unknown, scope: ArmScope, depth = 0): ArmValue {
  if (depth > 20)
    return new Unresolved('expressions nest too deep (a parameter or variable refers to itself?)');
  if (typeof raw === 'string') {
    if (raw.startsWith('[[')) return raw.slice(1);
    if (!(raw.startsWith('[') && raw.endsWith(']'))) return raw;
    let parsed: Node;
    try {
      parsed = new Parser(raw.slice(1, -1)).expression();
    } catch (error) {
      return new Unresolved(`${raw} is not an expression migrate reads (${(error as Error).message})`);
    }
    return evaluateNode(parsed, scope, depth);
  }
  if (Array.isArray(raw)) return raw.map((item) => evaluate(item, scope, depth));
  if (typeof raw === 'object' && raw !== null)
    return Object.fromEntries(Object.entries(raw).map(([key, item]) => [key, evaluate(item, scope, depth)]));
  if (typeof raw === 'number' || typeof raw === 'boolean' || raw === null) return raw;
  return new Unresolved(`unexpected value ${String(raw)}`);
}

/** The first Unresolved inside a value, if any. */
export function firstUnresolved(value: ArmValue): Unresolved | null {
  if (value instanceof Unresolved) return value;
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = firstUnresolved(item);
      if (found) return found;
    }
    return null;
  }
  if (typeof value === 'object' && value !== null) {
    for (const item of Object.values(value)) {
      const found = firstUnresolved(item);
      if (found) return found;
    }
  }
  return null;
}

/** Replaces the deploy-time placeholders in every string of a JSON value. */
export function fillPlaceholders<T>(value: T, values: Record<keyof typeof PLACEHOLDERS, string>): T {
  if (typeof value === 'string') {
    let text: string = value;
    for (const [key, placeholder] of Object.entries(PLACEHOLDERS))
      text = text.split(placeholder).join(values[key as keyof typeof PLACEHOLDERS]);
    return text as T;
  }
  if (Array.isArray(value)) return value.map((item) => fillPlaceholders(item, values)) as T;
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, fillPlaceholders(item, values)]),
    ) as T;
  return value;
}

/** `/…/providers/Microsoft.Web/serverfarms/plan` → `{ type: 'Microsoft.Web/serverfarms', name: 'plan' }`. */
export function parseResourceId(
  id: string,
): { type: string; name: string; resourceGroup: string | null } | null {
  const match = /\/providers\/([^/]+)\/(.+)$/i.exec(id);
  if (!match) return null;
  const parts = match[2]!.split('/');
  if (parts.length % 2 !== 0) return null;
  const types = parts.filter((_, index) => index % 2 === 0);
  const names = parts.filter((_, index) => index % 2 === 1);
  const group = /\/resourceGroups\/([^/]+)/i.exec(id);
  return {
    type: [match[1]!, ...types].join('/'),
    name: names.join('/'),
    resourceGroup: group ? group[1]! : null,
  };
}

type Node =
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'call'; name: string; args: Node[] }
  | { kind: 'property'; target: Node; name: string }
  | { kind: 'index'; target: Node; index: Node };

class Parser {
  private index = 0;
  constructor(private readonly text: string) {}

  expression(): Node {
    const node = this.term();
    this.space();
    if (this.index !== this.text.length)
      throw new Error(`unexpected ${JSON.stringify(this.text.slice(this.index))}`);
    return node;
  }

  private term(): Node {
    this.space();
    const char = this.text[this.index];
    let node: Node;
    if (char === "'") node = { kind: 'string', value: this.string() };
    else if (char !== undefined && /[-\d]/.test(char)) {
      const match = /^-?\d+(\.\d+)?/.exec(this.text.slice(this.index))!;
      this.index += match[0].length;
      node = { kind: 'number', value: Number(match[0]) };
    } else {
      const name = this.identifier();
      this.space();
      if (this.text[this.index] !== '(') throw new Error(`${name} is not a function call`);
      this.index++;
      const args: Node[] = [];
      this.space();
      if (this.text[this.index] === ')') this.index++;
      else
        for (;;) {
          args.push(this.term());
          this.space();
          const next = this.text[this.index++];
          if (next === ')') break;
          if (next !== ',') throw new Error(`expected , or ) in ${name}()`);
        }
      node = { kind: 'call', name, args };
    }
    for (;;) {
      const next = this.text[this.index];
      if (next === '.') {
        this.index++;
        node = { kind: 'property', target: node, name: this.identifier() };
      } else if (next === '[') {
        this.index++;
        const index = this.term();
        this.space();
        if (this.text[this.index++] !== ']') throw new Error('expected ]');
        node = { kind: 'index', target: node, index };
      } else return node;
    }
  }

  private identifier(): string {
    const match = /^[A-Za-z_$][\w$]*/.exec(this.text.slice(this.index));
    if (!match) throw new Error(`unexpected ${JSON.stringify(this.text.slice(this.index, this.index + 10))}`);
    this.index += match[0].length;
    return match[0];
  }

  private string(): string {
    let value = '';
    this.index++;
    for (;;) {
      const char = this.text[this.index++];
      if (char === undefined) throw new Error('unterminated string');
      if (char === "'") {
        if (this.text[this.index] !== "'") return value;
        this.index++;
      }
      value += char;
    }
  }

  private space() {
    while (this.text[this.index] === ' ') this.index++;
  }
}

const ENGINE_ONLY = 'computed by the deployment engine (az deployment group create), not before';

function evaluateNode(node: Node, scope: ArmScope, depth: number): ArmValue {
  switch (node.kind) {
    case 'string':
    case 'number':
      return node.value;
    case 'property': {
      const target = evaluateNode(node.target, scope, depth);
      if (target instanceof Unresolved) return target;
      if (typeof target === 'object' && target !== null && !Array.isArray(target) && node.name in target)
        return target[node.name]!;
      return new Unresolved(`.${node.name} is not a property migrate knows of that value`);
    }
    case 'index': {
      const target = evaluateNode(node.target, scope, depth);
      const index = evaluateNode(node.index, scope, depth);
      if (target instanceof Unresolved) return target;
      if (index instanceof Unresolved) return index;
      if (Array.isArray(target) && typeof index === 'number' && index < target.length) return target[index]!;
      if (
        typeof target === 'object' &&
        target !== null &&
        !Array.isArray(target) &&
        typeof index === 'string'
      )
        return target[index] ?? new Unresolved(`['${index}'] is not a property migrate knows of that value`);
      return new Unresolved('an index migrate cannot evaluate');
    }
    case 'call':
      return call(node.name, node.args, scope, depth);
  }
}

function call(given: string, argNodes: Node[], scope: ArmScope, depth: number): ArmValue {
  const name = given.toLowerCase();
  const args = argNodes.map((arg) => evaluateNode(arg, scope, depth));
  const blocked = args.find((arg) => arg instanceof Unresolved);
  switch (name) {
    case 'parameters': {
      const key = String(args[0]);
      const parameter = scope.parameters[key];
      if (typeof parameter !== 'object' || parameter === null)
        return new Unresolved(`parameter ${key} is not declared`);
      if (!('defaultValue' in parameter))
        return new Unresolved(`parameter ${key} has no defaultValue: its value is given at deployment`);
      const fallback = (parameter as { defaultValue: unknown }).defaultValue;
      const value = evaluate(fallback, scope, depth + 1);
      return value instanceof Unresolved
        ? new Unresolved(`parameter ${key} defaults to ${String(fallback)}, ${value.reason}`)
        : value;
    }
    case 'variables': {
      const key = String(args[0]);
      if (!(key in scope.variables)) return new Unresolved(`variable ${key} is not declared`);
      return evaluate(scope.variables[key], scope, depth + 1);
    }
    case 'resourcegroup':
      return {
        name: PLACEHOLDERS.resourceGroup,
        id: `/subscriptions/${PLACEHOLDERS.subscriptionId}/resourceGroups/${PLACEHOLDERS.resourceGroup}`,
        location: new Unresolved(
          "resourceGroup().location: the resource group's region, which apply does not read (pass --region)",
        ),
      };
    case 'subscription':
      return {
        subscriptionId: PLACEHOLDERS.subscriptionId,
        id: `/subscriptions/${PLACEHOLDERS.subscriptionId}`,
      };
    case 'environment':
      return { suffixes: { storage: PLACEHOLDERS.storageSuffix } };
  }
  if (blocked) return blocked;
  switch (name) {
    case 'format': {
      const [format, ...rest] = args;
      if (typeof format !== 'string') return new Unresolved('format() needs a string');
      return format.replace(/\{(\d+)(:[^}]*)?\}/g, (_, index: string) => String(rest[Number(index)] ?? ''));
    }
    case 'concat':
      return args.every(Array.isArray)
        ? (args as ArmValue[][]).flat()
        : args.map((arg) => String(arg)).join('');
    case 'tolower':
      return String(args[0]).toLowerCase();
    case 'toupper':
      return String(args[0]).toUpperCase();
    case 'string':
      return typeof args[0] === 'string' ? args[0] : JSON.stringify(args[0]);
    case 'resourceid':
    case 'subscriptionresourceid':
      return resourceId(name === 'resourceid', args as (string | number)[]);
    case 'reference':
      return reference(args);
    case 'listkeys':
      return new Unresolved(
        "listKeys(): the storage account's access key, a secret only the deployment engine reads; apply never handles secret values",
      );
    default:
      return new Unresolved(`${given}() is ${ENGINE_ONLY}`);
  }
}

/**
 * resourceId([subscriptionId], [resourceGroupName], resourceType, name1, [name2], …): the type is the
 * first argument shaped `Namespace/type`, what comes before it is the subscription and group.
 */
function resourceId(inGroup: boolean, args: (string | number)[]): ArmValue {
  const strings = args.map(String);
  const typeAt = strings.findIndex((arg) => /^[A-Za-z0-9]+\.[A-Za-z0-9.]+\/[A-Za-z0-9]/.test(arg));
  if (typeAt < 0) return new Unresolved('resourceId() without a resource type');
  const before = strings.slice(0, typeAt);
  const [namespace, ...types] = strings[typeAt]!.split('/');
  const names = strings.slice(typeAt + 1);
  if (names.length !== types.length)
    return new Unresolved(`resourceId() of ${strings[typeAt]} needs ${types.length} name(s)`);
  const subscription = (inGroup ? before.length === 2 : before.length === 1)
    ? before[0]!
    : PLACEHOLDERS.subscriptionId;
  const group = inGroup
    ? before.length >= 1
      ? before[before.length - 1]!
      : PLACEHOLDERS.resourceGroup
    : null;
  const path = types.map((type, index) => `${type}/${names[index]}`).join('/');
  return `/subscriptions/${subscription}${group === null ? '' : `/resourceGroups/${group}`}/providers/${namespace}/${path}`;
}

/**
 * reference(): the only value known before deployment is a storage account's endpoints, which follow
 * from its name and the cloud (https://<name>.blob.<storage suffix>/). Everything else (a connection
 * string, a principal id) exists only once the resource does.
 */
function reference(args: ArmValue[]): ArmValue {
  const id = typeof args[0] === 'string' ? parseResourceId(args[0]) : null;
  const full = typeof args[2] === 'string' && args[2].toLowerCase() === 'full';
  if (id && id.type.toLowerCase() === 'microsoft.storage/storageaccounts') {
    const endpoints = Object.fromEntries(
      ['blob', 'queue', 'table', 'file', 'dfs', 'web'].map((service) => [
        service,
        `https://${id.name}.${service}.${PLACEHOLDERS.storageSuffix}/`,
      ]),
    );
    return full ? { properties: { primaryEndpoints: endpoints } } : { primaryEndpoints: endpoints };
  }
  const what = id ? `${id.type} ${id.name}` : String(args[0]);
  return new Unresolved(
    `reference() to ${what}: its properties exist only once the deployment has created it`,
  );
}
