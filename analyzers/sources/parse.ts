import { type Document, isMap, isScalar, LineCounter, type Node, parseAllDocuments, visit } from 'yaml';
import type { InputError, SkippedObject } from '../../core/model/index.ts';
import type { ManifestObject } from './types.ts';

export interface ParsedFile {
  objects: ManifestObject[];
  skipped: SkippedObject[];
  errors: InputError[];
}

type YamlDocument = Document.Parsed;

/**
 * Parses one file's text into Kubernetes objects. Each YAML document becomes an object, a `kind: List`
 * becomes its items, null and comment-only documents vanish (they are not objects), and documents the
 * parser rejects become errors with the parser's line. Nothing throws on user input.
 */
export function parseManifestText(file: string, text: string, maxAliasCount: number): ParsedFile {
  const lineCounter = new LineCounter();
  const result: ParsedFile = { objects: [], skipped: [], errors: [] };
  const parsed = parseAllDocuments(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const documents: YamlDocument[] = Array.isArray(parsed) ? parsed : [];
  const lineAt = (offset: number) => lineCounter.linePos(offset).line;

  for (const doc of documents) {
    const startLine = doc.contents ? lineAt(doc.contents.range[0]) : lineAt(doc.range[0]);
    if (isHelmTemplate(doc, text, lineCounter)) {
      result.skipped.push({
        source: { file, line: startLine },
        kind: guessKind(text, doc.range[0], doc.range[2]),
        apiVersion: null,
        name: null,
        reason:
          'Helm template (template actions outside YAML strings): render it with `helm template <chart>`',
      });
      continue;
    }
    if (doc.errors.length > 0) {
      for (const error of doc.errors) {
        result.errors.push({ file, line: lineAt(error.pos[0]), message: describeYamlError(error) });
      }
      if (doc.contents && !isScalar(doc.contents)) {
        // The parser recovered an object, but resolving the fault silently (last duplicate key wins) would
        // analyse a manifest nobody wrote; count the object as skipped so the totals still add up.
        result.skipped.push({
          source: { file, line: startLine },
          kind: guessKind(text, doc.range[0], doc.range[2]),
          apiVersion: null,
          name: null,
          reason: `not analysed: the document has YAML errors (${doc.errors.map((e) => e.code).join(', ')})`,
        });
      }
      continue;
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount });
    } catch (error) {
      result.errors.push({
        file,
        line: startLine,
        message: `document rejected: ${(error as Error).message} (more than ${maxAliasCount} alias expansions: a YAML bomb?)`,
      });
      continue;
    }
    if (value === null || value === undefined) continue;
    const locateIn = (prefix: readonly (string | number)[]) => (path: readonly (string | number)[]) => {
      const full = [...prefix, ...path];
      for (let depth = full.length; depth >= 0; depth--) {
        const node = doc.getIn(full.slice(0, depth), true) as Node | undefined;
        if (node?.range) {
          return { file, line: lineAt(node.range[0]), ...(path.length ? { field: path.join('.') } : {}) };
        }
      }
      return { file, line: startLine, ...(path.length ? { field: path.join('.') } : {}) };
    };
    if (!isPlainObject(value)) {
      result.errors.push({
        file,
        line: startLine,
        message: `document is a ${Array.isArray(value) ? 'list' : typeof value}, not a Kubernetes object (a mapping with apiVersion and kind)`,
      });
      continue;
    }
    if (value.kind === 'List' && Array.isArray(value.items) && typeof value.apiVersion === 'string') {
      value.items.forEach((item, index) => {
        const locate = locateIn(['items', index]);
        if (isPlainObject(item)) {
          result.objects.push({ obj: item, file, line: locate([]).line, locate });
        } else {
          result.errors.push({
            file,
            line: locate([]).line,
            message: `items[${index}] of a List is not an object`,
          });
        }
      });
      continue;
    }
    result.objects.push({ obj: value, file, line: startLine, locate: locateIn([]) });
  }
  return result;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeYamlError(error: { code: string; message: string }): string {
  const firstLine = error.message.split('\n')[0] ?? error.message;
  if (error.code === 'DUPLICATE_KEY') {
    return `duplicate mapping key: ${firstLine} — Kubernetes would keep only one value; remove the other`;
  }
  return `YAML ${error.code}: ${firstLine}`;
}

/**
 * A Helm template is YAML only after rendering: `{{ .Values.x }}` in value position parses as a flow map
 * whose key is another flow map, and control lines break parsing. `{{ }}` inside a quoted or plain string
 * (KServe's `--model_name={{.Name}}`) is ordinary text and does not count.
 */
function isHelmTemplate(doc: YamlDocument, text: string, lineCounter: LineCounter): boolean {
  // Most documents have no template braces at all; only those pay for a walk of the tree.
  if (!text.slice(doc.range[0], doc.range[2]).includes('{{')) return false;
  let template = false;
  if (doc.contents) {
    visit(doc, {
      Map(_key, node) {
        if (node.flow && node.items.length > 0 && isMap(node.items[0]?.key)) {
          template = true;
          return visit.BREAK;
        }
        return undefined;
      },
    });
  }
  if (template) return true;
  return doc.errors.some((error) => {
    const offset = error.pos[0];
    const { line } = lineCounter.linePos(offset);
    const lineStart = lineCounter.lineStarts[line - 1] ?? 0;
    const lineEnd = text.indexOf('\n', lineStart);
    return text.slice(lineStart, lineEnd === -1 ? undefined : lineEnd).includes('{{');
  });
}

/** Best effort for objects we cannot parse: `kind: X` at the start of a line within the document. */
function guessKind(text: string, start: number, end: number): string | null {
  const match = /^kind:\s*["']?([A-Za-z0-9]+)/m.exec(text.slice(start, end));
  return match?.[1] ?? null;
}
