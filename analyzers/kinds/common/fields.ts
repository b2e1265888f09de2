/** Small, total accessors for untyped manifest data: they return a default instead of throwing. */

export type Json = Record<string, unknown>;

export function record(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
}

export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function text(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return null;
}

export function integer(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim())) return Number(value);
  return null;
}

export function bool(value: unknown): boolean {
  return value === true || value === 'true';
}

export function stringMap(value: unknown): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, entry] of Object.entries(record(value))) {
    const asText = text(entry);
    if (asText !== null) result[key] = asText;
  }
  return result;
}

export function strings(value: unknown): string[] {
  return list(value)
    .map(text)
    .filter((entry): entry is string => entry !== null);
}

export function metadataOf(obj: Json): {
  name: string | null;
  namespace: string | null;
  labels: Record<string, string>;
  annotations: Record<string, string>;
} {
  const metadata = record(obj.metadata);
  return {
    name: text(metadata.name) ?? text(metadata.generateName),
    namespace: text(metadata.namespace),
    labels: stringMap(metadata.labels),
    annotations: stringMap(metadata.annotations),
  };
}
