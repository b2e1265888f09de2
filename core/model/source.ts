/** Where a value was read: a file (or `-` for stdin) and a 1-based line. */
export interface SourceRef {
  file: string;
  line: number;
  /** Dotted path of the field inside the object, when the value came from one field. */
  field?: string;
}

export function formatSource(source: SourceRef): string {
  const at = `${source.file}:${source.line}`;
  return source.field ? `${at} (${source.field})` : at;
}
