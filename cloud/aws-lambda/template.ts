/**
 * A SAM template read so that every value can say on which line it was written: verify's findings
 * point at `template.yaml:24 (Resources.Fn.Properties.MemorySize)`. Pure. CloudFormation's short-form
 * tags (`!Ref`, `!Sub`, `!GetAtt`, …) are read as their long forms (`{Ref: …}`, `{Fn::Sub: …}`), so a
 * hand-edited template reads the same as the one `migrate convert` wrote.
 */

import { type Document, isAlias, isMap, isNode, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import { MigrateError } from '../../core/errors.ts';

export type FieldPath = readonly (string | number)[];

export const TEMPLATE_HINT =
  'pass the folder `migrate convert --target aws-lambda --out DIR` wrote (DIR/<workload>/aws-lambda), or fix the line named';

export class SamTemplate {
  private constructor(
    readonly file: string,
    private readonly doc: Document,
    private readonly lineCounter: LineCounter,
    /** The template as plain values, short-form tags in long form. */
    readonly value: unknown,
  ) {}

  static parse(text: string, file: string): SamTemplate {
    const lineCounter = new LineCounter();
    const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
    const error = doc.errors[0];
    if (error) {
      const line = lineCounter.linePos(error.pos[0]).line;
      throw new MigrateError(`${file}:${line}: not a valid YAML template: ${error.message.split('\n')[0]}`, {
        hint: TEMPLATE_HINT,
        source: { file, line },
      });
    }
    return new SamTemplate(file, doc, lineCounter, plain(doc.contents, doc));
  }

  /** The line of the field's key, or of the nearest enclosing field that exists. */
  lineOf(path: FieldPath): number {
    const lineAt = (node: unknown) =>
      isNode(node) && node.range ? this.lineCounter.linePos(node.range[0]).line : null;
    let node: unknown = this.doc.contents;
    let line = lineAt(node) ?? 1;
    for (const part of path) {
      if (isMap(node)) {
        const pair = node.items.find((item) => isScalar(item.key) && item.key.value === part);
        if (!pair) break;
        line = lineAt(pair.key) ?? line;
        node = pair.value;
      } else if (isSeq(node) && typeof part === 'number' && node.items[part] !== undefined) {
        node = node.items[part];
        line = lineAt(node) ?? line;
      } else break;
    }
    return line;
  }

  /** `template.yaml:24 (Resources.Fn.Properties.MemorySize)`, the form DesiredSetting.source takes. */
  source(path: FieldPath, note = ''): string {
    return `${this.file}:${this.lineOf(path)} (${dotted(path)}${note})`;
  }

  get(path: FieldPath): unknown {
    let value: unknown = this.value;
    for (const part of path) {
      if (value === null || typeof value !== 'object') return undefined;
      value = (value as Record<string | number, unknown>)[part];
    }
    return value;
  }

  fail(path: FieldPath, why: string): MigrateError {
    const line = this.lineOf(path);
    return new MigrateError(`${this.file}:${line}: ${dotted(path)} ${why}`, {
      hint: TEMPLATE_HINT,
      source: { file: this.file, line, field: dotted(path) },
    });
  }
}

export function dotted(path: FieldPath): string {
  return path
    .map((part, index) => (typeof part === 'number' ? `[${part}]` : index ? `.${part}` : part))
    .join('');
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The node as plain values; `!Tag x` becomes `{Fn::Tag: x}` (`{Ref: x}`, `{Condition: x}`) as CloudFormation reads it. */
function plain(node: unknown, doc: Document): unknown {
  if (isAlias(node)) return plain(node.resolve(doc), doc);
  let value: unknown = null;
  if (isScalar(node)) value = node.value;
  else if (isMap(node))
    value = Object.fromEntries(
      node.items.map((pair) => [
        String(isScalar(pair.key) ? pair.key.value : pair.key),
        plain(pair.value, doc),
      ]),
    );
  else if (isSeq(node)) value = node.items.map((item) => plain(item, doc));
  const tag = isNode(node) ? node.tag : undefined;
  if (!tag?.startsWith('!') || tag.startsWith('!!')) return value;
  const name = tag.slice(1);
  if (name === 'Ref' || name === 'Condition') return { [name]: value };
  if (name === 'GetAtt' && typeof value === 'string') return { 'Fn::GetAtt': value.split('.') };
  return { [`Fn::${name}`]: value };
}
