import type { InputError, SkippedObject, SourceRef } from '../../core/model/index.ts';

/** One Kubernetes object as read from a document, with a way to find the line of any of its fields. */
export interface ManifestObject {
  obj: Record<string, unknown>;
  file: string;
  line: number;
  /** Line of the field at `path` inside this object (or of its nearest existing parent). */
  locate(path: readonly (string | number)[]): SourceRef;
}

export interface LoadedInputs {
  objects: ManifestObject[];
  /** Objects recognised as not-manifests before any kind reader saw them (Helm templates, values files). */
  skipped: SkippedObject[];
  errors: InputError[];
  /** Files read (including those that failed), in the order they were read. */
  files: string[];
  /** Notes about the inputs themselves: an empty directory, a tool used to render. */
  notes: string[];
}

export interface SourceOptions {
  /** Files larger than this are refused with an error rather than read. */
  maxFileBytes: number;
  /** Alias expansions allowed per document before it is treated as a YAML bomb. */
  maxAliasCount: number;
  /** Look up an executable on PATH (injected so tests can take kubectl/helm away). */
  which: (command: string) => string | null;
  /** Read standard input when an input is `-`. */
  readStdin: () => Promise<string>;
}
