/**
 * Reads a YAML file field by field and says where each field is: `file:line (field path)` for sources,
 * `file:line: field: why` for errors, and a list of fields apply cannot carry. Parsing and line lookup
 * are core/pricing/usage-file.ts's YamlFields; this adds the Knative-style field paths
 * (`annotations["autoscaling.knative.dev/minScale"]`) and the not-applied list. Pure.
 */

import { MigrateError } from '../../core/errors.ts';
import { type FieldPath, YamlFields } from '../../core/pricing/usage-file.ts';

export type { FieldPath };

export const HINT =
  'pass the folder `migrate convert --target cloud-run --out DIR` wrote (DIR/<workload>/cloud-run/service.yaml), or fix the field by hand';

/** `spec.template.spec.containers[0].resources.limits.memory`; keys with dots or slashes are quoted. */
export function formatPath(path: FieldPath): string {
  return path
    .map((part, index) => {
      if (typeof part === 'number') return `[${part}]`;
      if (/^[A-Za-z_][\w-]*$/.test(part)) return index ? `.${part}` : part;
      return `[${JSON.stringify(part)}]`;
    })
    .join('');
}

export class YamlReader {
  readonly notApplied: { field: string; reason: string }[] = [];

  private constructor(
    readonly file: string,
    private readonly fields: YamlFields,
  ) {}

  /** Parses `text`; a syntax error names `file:line`. */
  static parse(text: string, file: string, what: string): YamlReader {
    return new YamlReader(file, YamlFields.parse(text, file, what, HINT));
  }

  get(path: FieldPath): unknown {
    return this.fields.get(path);
  }

  line(path: FieldPath): number {
    return this.fields.lineOf(path);
  }

  /** `file:line (field)`: where a setting was written. */
  source(path: FieldPath): string {
    return `${this.file}:${this.line(path)} (${formatPath(path)})`;
  }

  fail(path: FieldPath, why: string): MigrateError {
    const line = this.line(path);
    return new MigrateError(`${this.file}:${line}: ${formatPath(path)}: ${why}`, {
      hint: HINT,
      source: { file: this.file, line, field: formatPath(path) },
    });
  }

  /** Records a field apply will not set, with why: listed, never dropped. */
  skip(path: FieldPath, reason: string): void {
    this.notApplied.push({ field: `${formatPath(path)} (${this.file}:${this.line(path)})`, reason });
  }

  /** A mapping, or `{}` when absent; anything else is an error. */
  map(path: FieldPath): Record<string, unknown> {
    const value = this.get(path);
    if (value === undefined || value === null) return {};
    if (typeof value !== 'object' || Array.isArray(value))
      throw this.fail(path, `must be a mapping, got ${describe(value)}`);
    return value as Record<string, unknown>;
  }

  list(path: FieldPath): unknown[] {
    const value = this.get(path);
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) throw this.fail(path, `must be a list, got ${describe(value)}`);
    return value;
  }

  /** A string (numbers and booleans are accepted as their text, as Kubernetes annotations often are). */
  string(path: FieldPath): string | undefined {
    const value = this.get(path);
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    throw this.fail(path, `must be a string, got ${describe(value)}`);
  }

  strings(path: FieldPath): string[] | undefined {
    if (this.get(path) === undefined) return undefined;
    return this.list(path).map((_, index) => this.string([...path, index]) ?? '');
  }

  /** A whole number within bounds; a quoted number (`"20"`, as annotations are) is read as one. */
  integer(path: FieldPath, bounds: { min?: number; max?: number } = {}): number | undefined {
    const value = this.get(path);
    if (value === undefined || value === null) return undefined;
    const number = typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value;
    if (typeof number !== 'number' || !Number.isInteger(number))
      throw this.fail(path, `must be a whole number, got ${describe(value)}`);
    if (bounds.min !== undefined && number < bounds.min)
      throw this.fail(path, `must be at least ${bounds.min}, got ${number}`);
    if (bounds.max !== undefined && number > bounds.max)
      throw this.fail(path, `must be at most ${bounds.max}, got ${number}`);
    return number;
  }

  /** `"true"`/`"false"` (annotation text) or a YAML boolean. */
  boolean(path: FieldPath): boolean | undefined {
    const value = this.get(path);
    if (value === undefined || value === null) return undefined;
    if (value === true || value === 'true') return true;
    if (value === false || value === 'false') return false;
    throw this.fail(path, `must be "true" or "false", got ${describe(value)}`);
  }

  /** Keys of the mapping at `path` that are not in `known`, each recorded as not applied. */
  skipUnknown(path: FieldPath, known: readonly string[], reason: string): void {
    for (const key of Object.keys(this.map(path)))
      if (!known.includes(key)) this.skip([...path, key], reason);
  }
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'a mapping';
  return JSON.stringify(value);
}
