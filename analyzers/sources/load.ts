import { closeSync, fstatSync, openSync, readFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import type { SkippedObject } from '../../core/model/index.ts';
import { parseManifestText } from './parse.ts';
import { renderWith } from './render.ts';
import type { LoadedInputs, SourceOptions } from './types.ts';
import { describeFsError, isManifestFile, walkInputs } from './walk.ts';

/** Reads every input into manifest objects; I/O lives here so parsing and analysis stay pure. */
export async function loadInputs(paths: string[], options: SourceOptions): Promise<LoadedInputs> {
  const walked = await walkInputs(paths);
  const loaded: LoadedInputs = {
    objects: [],
    skipped: [],
    errors: [...walked.errors],
    files: [],
    notes: [...walked.notes],
  };
  for (const error of walked.errors) loaded.files.push(error.file);

  const addText = (file: string, text: string) => {
    const parsed = parseManifestText(file, text, options.maxAliasCount);
    loaded.objects.push(...parsed.objects);
    loaded.skipped.push(...parsed.skipped);
    loaded.errors.push(...parsed.errors);
  };

  for (const entry of walked.entries) {
    if (entry.type === 'stdin') {
      loaded.files.push('-');
      addText('-', await options.readStdin());
    } else if (entry.type === 'file') {
      loaded.files.push(entry.path);
      const read = await readTextFile(entry.path, options.maxFileBytes);
      if ('error' in read) loaded.errors.push({ file: entry.path, line: read.line, message: read.error });
      else addText(entry.path, read.text);
    } else {
      const renderer =
        entry.type === 'kustomize'
          ? {
              binary: 'kubectl',
              args: ['kustomize', '--load-restrictor', 'LoadRestrictionsNone', entry.dir],
              tool: 'kubectl kustomize',
            }
          : { binary: 'helm', args: ['template', basename(entry.dir), entry.dir], tool: 'helm template' };
      const binary = options.which(renderer.binary);
      const label = `${entry.dir} (${renderer.tool})`;
      if (binary) {
        const rendered = await renderWith(binary, renderer.args);
        if (rendered.ok) {
          loaded.files.push(label);
          loaded.notes.push(
            `${entry.dir}: rendered with ${renderer.tool}; lines refer to the rendered output`,
          );
          addText(label, rendered.text);
          continue;
        }
        loaded.errors.push({ file: entry.dir, line: null, message: rendered.message });
      }
      await skipDirectory(entry.dir, entry.type, binary !== null, options, loaded);
    }
  }
  return loaded;
}

/** A kustomize overlay or Helm chart we could not render: every object in it is listed, none analysed. */
async function skipDirectory(
  dir: string,
  type: 'kustomize' | 'helm-chart',
  triedToRender: boolean,
  options: SourceOptions,
  loaded: LoadedInputs,
): Promise<void> {
  const hint =
    type === 'kustomize'
      ? `part of the kustomize directory ${dir}: ${triedToRender ? 'rendering failed (see errors)' : 'install kubectl to render it'}, or pipe \`kubectl kustomize ${dir}\` into \`migrate analyze -\``
      : `part of the Helm chart ${dir}: ${triedToRender ? 'rendering failed (see errors)' : 'install helm to render it'}, or pipe \`helm template ${dir}\` into \`migrate analyze -\``;
  for (const file of await listManifestFiles(dir)) {
    loaded.files.push(file);
    const read = await readTextFile(file, options.maxFileBytes);
    if ('error' in read) {
      loaded.errors.push({ file, line: read.line, message: read.error });
      continue;
    }
    const parsed = parseManifestText(file, read.text, options.maxAliasCount);
    loaded.errors.push(...parsed.errors);
    const asSkipped = (
      source: SkippedObject['source'],
      kind: string | null,
      apiVersion: string | null,
      name: string | null,
      why: string,
    ) => loaded.skipped.push({ source, kind, apiVersion, name, reason: `${why}${hint}` });
    for (const object of parsed.objects) {
      const what = whatIsIt(file, object.obj);
      asSkipped(
        { file, line: object.line },
        str(object.obj.kind),
        str(object.obj.apiVersion),
        nameOf(object.obj),
        what ? `${what}; ` : '',
      );
    }
    for (const skipped of parsed.skipped) {
      asSkipped(skipped.source, skipped.kind, null, null, `${skipped.reason}; `);
    }
  }
  loaded.notes.push(
    `${dir}: ${type === 'kustomize' ? 'kustomize directory' : 'Helm chart'} not rendered; its objects are listed as skipped`,
  );
}

function whatIsIt(file: string, obj: Record<string, unknown>): string | null {
  const name = basename(file);
  if (name === 'Chart.yaml') return 'Helm chart metadata (Chart.yaml)';
  if (/^values.*\.ya?ml$/.test(name)) return 'Helm values file';
  if (obj.kind === 'Kustomization') return 'kustomization';
  return null;
}

function str(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function nameOf(obj: Record<string, unknown>): string | null {
  const metadata = obj.metadata as Record<string, unknown> | undefined;
  return str(metadata?.name);
}

async function listManifestFiles(dir: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (current: string, depth: number) => {
    if (depth > 16) return;
    const entries = await readdir(current, { withFileTypes: true }).catch(() => []);
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) await walk(path, depth + 1);
      else if (entry.isFile() && (isManifestFile(entry.name) || entry.name === 'Kustomization'))
        found.push(path);
    }
  };
  await walk(dir, 0);
  return found.sort((a, b) => relative(dir, a).localeCompare(relative(dir, b)));
}

/**
 * Reads a file as UTF-8 text, refusing what is too large or is not text, without loading a huge file
 * whole first.
 */
export async function readTextFile(
  path: string,
  maxBytes: number,
): Promise<{ text: string } | { error: string; line: number | null }> {
  // Synchronous on purpose: a batch over thousands of small files spends most of its time waiting on
  // one awaited syscall after another; reading directly is about twice as fast end to end.
  let descriptor: number | undefined;
  try {
    descriptor = openSync(path, 'r');
    const info = fstatSync(descriptor);
    if (info.isDirectory()) return { error: 'is a directory', line: null };
    if (info.size > maxBytes) {
      return {
        error: `file is ${(info.size / 1024 / 1024).toFixed(1)} MiB, over the ${(maxBytes / 1024 / 1024).toFixed(0)} MiB limit for one manifest file (raise it with --max-file-mb)`,
        line: null,
      };
    }
    const bytes = readFileSync(descriptor);
    const nul = bytes.indexOf(0);
    if (nul !== -1) {
      const line = bytes.subarray(0, nul).toString('latin1').split('\n').length;
      return { error: 'binary file (contains NUL bytes): not a YAML or JSON manifest', line };
    }
    try {
      return { text: utf8.decode(bytes) };
    } catch {
      return { error: 'not valid UTF-8 text: not a YAML or JSON manifest', line: null };
    }
  } catch (error) {
    return { error: describeFsError(error), line: null };
  } finally {
    if (descriptor !== undefined) closeSync(descriptor);
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
