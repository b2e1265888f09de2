import {
  type InputError,
  MODEL_SIZE_ANNOTATION,
  type RelatedObject,
  type SkippedObject,
  type SourceRef,
  type Workload,
} from '../core/model/index.ts';
import { parseBytes, QuantityError } from '../core/quantity.ts';
import { metadataOf, text } from './kinds/common/fields.ts';
import { findReader, knownElsewhere, type ReadContext } from './kinds/index.ts';
import { linkRelated, type PendingRelated } from './link.ts';
import type { LoadedInputs, ManifestObject } from './sources/index.ts';

export interface Inventory {
  files: string[];
  /** Every object read from every readable file: workloads + related + skipped. */
  objects: number;
  workloads: Workload[];
  related: RelatedObject[];
  skipped: SkippedObject[];
  errors: InputError[];
  notes: string[];
}

export interface InventoryOptions {
  /** Namespace for objects that do not name one (kubectl's default). */
  defaultNamespace: string;
}

/** Turns loaded objects into workloads, related objects and reasoned skips, then links them. Pure. */
export function buildInventory(loaded: LoadedInputs, options: InventoryOptions): Inventory {
  const errors: InputError[] = [...loaded.errors];
  const context: ReadContext = {
    namespaceOf: (object) => metadataOf(object.obj).namespace ?? options.defaultNamespace,
    reportError: (source: SourceRef, message: string) =>
      errors.push({ file: source.file, line: source.line, message }),
  };
  const workloads: Workload[] = [];
  const pending: PendingRelated[] = [];
  const skipped: SkippedObject[] = [...loaded.skipped];
  const seenIds = new Map<string, SourceRef>();

  for (const object of loaded.objects) {
    const outcome = readObject(object, context);
    if (outcome.type === 'skipped') {
      skipped.push(outcome.skipped);
    } else if (outcome.type === 'workload') {
      const workload = outcome.workload;
      const previous = seenIds.get(workload.id);
      if (previous) {
        workload.notes.push({
          message: `${workload.id} is also defined at ${previous.file}:${previous.line}; this copy is listed as ${workload.id}@${object.file}:${object.line}`,
          source: workload.sources[0] ?? null,
        });
        workload.id = `${workload.id}@${object.file}:${object.line}`;
      }
      seenIds.set(workload.id, { file: object.file, line: object.line });
      workloads.push(workload);
    } else {
      pending.push({ related: { ...outcome.related, attachedTo: [], link: null }, link: outcome.link });
    }
  }
  linkRelated(workloads, pending);
  return {
    files: loaded.files,
    objects: workloads.length + pending.length + skipped.length,
    workloads,
    related: pending.map((entry) => entry.related),
    skipped,
    errors,
    notes: loaded.notes,
  };
}

type Outcome =
  | { type: 'workload'; workload: Workload }
  | { type: 'related'; related: Omit<RelatedObject, 'attachedTo' | 'link'>; link: PendingRelated['link'] }
  | { type: 'skipped'; skipped: SkippedObject };

function readObject(object: ManifestObject, context: ReadContext): Outcome {
  const apiVersion = text(object.obj.apiVersion);
  const kind = text(object.obj.kind);
  const name = metadataOf(object.obj).name;
  const skip = (reason: string): Outcome => ({
    type: 'skipped',
    skipped: { source: { file: object.file, line: object.line }, kind, apiVersion, name, reason },
  });
  if (!kind || !apiVersion) {
    const missing = [!apiVersion && 'apiVersion', !kind && 'kind'].filter(Boolean).join(' and ');
    const looksLikeValues = /(^|\/)values[^/]*\.ya?ml$/.test(object.file);
    return skip(
      looksLikeValues
        ? 'Helm values file, not a manifest: render the chart with `helm template`'
        : `no ${missing}: not a Kubernetes object`,
    );
  }
  const reader = findReader(apiVersion, kind);
  if (!reader) {
    return skip(knownElsewhere(apiVersion, kind) ?? `kind ${kind} (${apiVersion}) is not one migrate reads`);
  }
  let result: ReturnType<typeof reader.read>;
  try {
    result = reader.read(object, context);
  } catch (error) {
    // A reader bug must not take the run down or lose the object: report it where the user can see it.
    context.reportError(
      { file: object.file, line: object.line },
      `internal error reading ${kind} ${name ?? ''}: ${(error as Error).message}`,
    );
    return skip(`the ${reader.id} reader failed on this object (reported in errors)`);
  }
  if (result.type === 'skipped') return skip(result.reason);
  if (result.type === 'workload') {
    applyStatedModelSize(result.workload, object, context);
    return result;
  }
  return { type: 'related', related: result.related, link: result.link };
}

/**
 * A size the team states wins over what the manifests imply (a PVC's requested size is only an upper
 * bound), so rules and converters see one model size with its source. A malformed value is an input
 * error naming the field, like any bad quantity.
 */
function applyStatedModelSize(workload: Workload, object: ManifestObject, context: ReadContext): void {
  const raw = workload.annotations[MODEL_SIZE_ANNOTATION];
  if (raw === undefined) return;
  const source = object.locate(['metadata', 'annotations', MODEL_SIZE_ANNOTATION]);
  let sizeBytes: number;
  try {
    sizeBytes = parseBytes(raw);
  } catch (error) {
    if (!(error instanceof QuantityError)) throw error;
    context.reportError(source, `metadata.annotations.${MODEL_SIZE_ANNOTATION}: ${error.message}`);
    return;
  }
  const model = workload.ml.model ?? {
    uri: null,
    format: null,
    sizeBytes: null,
    sizeSource: null,
    sizeEvidence: null,
    source: null,
  };
  workload.ml.model = { ...model, sizeBytes, sizeEvidence: 'annotation', sizeSource: source };
}
