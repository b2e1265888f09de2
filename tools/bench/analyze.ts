/**
 * Benchmark: `migrate analyze` over ~10,000 objects built from the real corpus (each corpus document
 * copied with a renamed metadata.name), against a bare parse of the same files with the `yaml` library
 * in the same run. Prints figures, then one JSON line with them and the headline `ratio`
 * (analyze time / bare parse time; the target is under 1.5).
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { analyzePaths } from '../../analyzers/analyze.ts';
import { corpusK8sDir } from '../../test/helpers/paths.ts';

const TARGET_OBJECTS = Number(process.env.BENCH_OBJECTS ?? 10_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

function corpusDocuments(): { name: string; docs: Record<string, unknown>[] }[] {
  const files = readdirSync(corpusK8sDir, { recursive: true, encoding: 'utf8' })
    .filter(
      (file) =>
        /\.(ya?ml|json)$/.test(file) &&
        !file.includes('Helm/') &&
        !file.includes('kustomization') &&
        !file.endsWith('patch.yaml'),
    )
    .sort();
  const result: { name: string; docs: Record<string, unknown>[] }[] = [];
  for (const file of files) {
    const docs = parseAllDocuments(readFileSync(join(corpusK8sDir, file), 'utf8'))
      .filter((doc) => doc.errors.length === 0)
      .map((doc) => doc.toJS() as Record<string, unknown>)
      .filter((obj) => obj && typeof obj === 'object');
    if (docs.length) result.push({ name: file.replace(/[/\\]/g, '__'), docs });
  }
  return result;
}

function buildInput(dir: string): { files: string[]; objects: number } {
  const sources = corpusDocuments();
  const files: string[] = [];
  let objects = 0;
  for (let copy = 0; objects < TARGET_OBJECTS; copy++) {
    const copyDir = join(dir, `copy-${copy}`);
    mkdirSync(copyDir);
    for (const source of sources) {
      const renamed = source.docs.map((doc) => {
        const clone = structuredClone(doc) as { metadata?: { name?: string } };
        if (clone.metadata?.name) clone.metadata.name = `${clone.metadata.name}-${copy}`;
        return stringify(clone);
      });
      const path = join(copyDir, source.name);
      writeFileSync(path, renamed.join('---\n'));
      files.push(path);
      objects += renamed.length;
    }
  }
  return { files, objects };
}

async function bareParse(files: string[]): Promise<number> {
  let count = 0;
  for (const file of files) {
    for (const doc of parseAllDocuments(await readFile(file, 'utf8'))) {
      if (doc.toJS() !== null) count++;
    }
  }
  return count;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const dir = mkdtempSync(join(tmpdir(), 'migrate-bench-analyze-'));
try {
  const { files, objects } = buildInput(dir);
  console.log(`input: ${objects} objects in ${files.length} files (${relative(process.cwd(), dir)})`);
  const options = {
    maxFileBytes: 1 << 24,
    maxAliasCount: 100,
    which: () => null,
    readStdin: async () => '',
    defaultNamespace: 'default',
    sloMs: null,
    version: 'bench',
  };
  const bareMs: number[] = [];
  const analyzeMs: number[] = [];
  let analyzed = 0;
  for (let round = 0; round <= ROUNDS; round++) {
    let started = performance.now();
    const parsed = await bareParse(files);
    const bare = performance.now() - started;
    started = performance.now();
    const report = await analyzePaths([dir], options);
    const ours = performance.now() - started;
    analyzed = report.summary.objects;
    if (parsed !== objects) throw new Error(`bare parse saw ${parsed} objects, expected ${objects}`);
    if (round === 0) continue; // warm-up: JIT and file cache
    bareMs.push(bare);
    analyzeMs.push(ours);
    console.log(`round ${round}: bare parse ${bare.toFixed(0)} ms, analyze ${ours.toFixed(0)} ms`);
  }
  const bare = median(bareMs);
  const ours = median(analyzeMs);
  const result = {
    bench: 'analyze',
    objects,
    analyzedObjects: analyzed,
    files: files.length,
    rounds: ROUNDS,
    bareParseMs: Math.round(bare),
    analyzeMs: Math.round(ours),
    bareParseObjectsPerSecond: Math.round(objects / (bare / 1000)),
    analyzeObjectsPerSecond: Math.round(objects / (ours / 1000)),
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    ratio: Number((ours / bare).toFixed(3)),
  };
  console.log(
    `analyze: ${result.analyzeObjectsPerSecond} objects/s; bare yaml parse: ${result.bareParseObjectsPerSecond} objects/s; ratio ${result.ratio} (target < 1.5)`,
  );
  console.log(JSON.stringify(result));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
