import { Document, isMap, isPair, isScalar } from 'yaml';

export interface YamlComment {
  /** Path of a key in the document: `['Resources', 'Fn', 'Properties', 'MemorySize']`. */
  path: (string | number)[];
  text: string;
}

/**
 * Emits YAML a reviewer can diff: keys in the order the converter built them (no sorting surprises),
 * no line folding, and strings that YAML 1.1 readers would take for booleans or numbers (`yes`, `on`,
 * `16`) quoted, because CloudFormation and the Serverless Framework do not all read YAML 1.2.
 * Comments sit on the line above the key they explain.
 */
export function emitYaml(
  value: unknown,
  options: { header?: string[]; comments?: YamlComment[] } = {},
): string {
  const doc = new Document(value, { version: '1.1' });
  if (options.header?.length) doc.commentBefore = options.header.map((line) => ` ${line}`).join('\n');
  for (const comment of options.comments ?? []) attachComment(doc, comment);
  return doc.toString({ lineWidth: 0, directives: false });
}

function attachComment(doc: Document, comment: YamlComment): void {
  const parentPath = comment.path.slice(0, -1);
  const key = comment.path[comment.path.length - 1];
  const parent = parentPath.length ? doc.getIn(parentPath, true) : doc.contents;
  if (!isMap(parent)) return;
  for (const pair of parent.items) {
    if (!isPair(pair) || !isScalar(pair.key) || pair.key.value !== key) continue;
    const line = ` ${comment.text.replace(/\s*\n\s*/g, ' ')}`;
    pair.key.commentBefore = pair.key.commentBefore ? `${pair.key.commentBefore}\n${line}` : line;
  }
}
