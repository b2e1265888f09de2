import { createHash } from 'node:crypto';
import type { AnalysisReport, WorkloadReport } from '../../analyzers/report.ts';
import { usageError } from '../../core/errors.ts';
import { TARGET_LIMITS } from '../../core/limits/targets.ts';
import type { TargetId } from '../../core/model/index.ts';
import type { TrafficProfile } from '../../core/traffic/index.ts';
import type {
  BlockReason,
  ConversionResult,
  ConversionStatus,
  Converter,
  GeneratedFile,
  ScaffoldHook,
} from '../types.ts';
import { alternativesFor, analysisBlockers } from './blocked.ts';
import { renderMigration } from './migration-md.ts';
import { workloadSlug } from './names.ts';

export const MIGRATION_FILE = 'MIGRATION.md';

export interface ConvertRunOptions {
  targets: readonly TargetId[];
  /** Workload ids to convert; null converts every model server. */
  workloads: readonly string[] | null;
  traffic: ReadonlyMap<string, TrafficProfile>;
  serviceMs: number | null;
  warmQuantile: number;
  scaffolds: ScaffoldHook | null;
  version: string;
  converters: readonly Converter[];
}

/** One workload on one target: what the CLI writes under `<out>/<dir>/`, and what `--format json` prints. */
export interface Artifact {
  workload: string;
  target: TargetId;
  status: ConversionStatus;
  /** `<workload-slug>/<target>`, relative to `--out`. */
  dir: string;
  /** Relative to `dir`; MIGRATION.md is always last. */
  files: GeneratedFile[];
  reasons: string[];
  result: ConversionResult;
}

export interface ConvertRun {
  artifacts: Artifact[];
  /** Workloads of the input that were not converted, and why (not a model server). */
  notSelected: { workload: string; reason: string }[];
}

/**
 * The whole conversion, pure: for every selected workload and target, honour the analysis' blockers,
 * call the target's converter, and render MIGRATION.md. Targets without a converter are listed as
 * `not-implemented` with the reason, never left out.
 */
export function convertReport(report: AnalysisReport, options: ConvertRunOptions): ConvertRun {
  const selected = selectWorkloads(report, options.workloads);
  const slugs = uniqueSlugs(selected);
  const artifacts: Artifact[] = [];
  for (const workload of selected) {
    const context = {
      related: report.related.filter((object) => workload.related.includes(object.id)),
      traffic: options.traffic.get(workload.id) ?? null,
      serviceMs: options.serviceMs,
      warmQuantile: options.warmQuantile,
      scaffolds: options.scaffolds,
      version: options.version,
    };
    for (const target of options.targets) {
      const converter = options.converters.find((entry) => entry.id === target) ?? null;
      const title = converter?.title ?? TARGET_LIMITS[target].title;
      const blockers = analysisBlockers(workload, target);
      const result: ConversionResult =
        blockers.length > 0
          ? blockedResult(blockers, alternativesFor(workload, target, blockers))
          : converter
            ? converter.convert(workload, context)
            : notImplemented(workload, target);
      checkFiles(result.files, target);
      const migration = renderMigration({
        workload,
        target,
        targetTitle: title,
        result,
        version: options.version,
      });
      artifacts.push({
        workload: workload.id,
        target,
        status: result.status,
        dir: `${slugs.get(workload.id)}/${target}`,
        files: [...result.files, { path: MIGRATION_FILE, content: migration }],
        reasons: result.reasons.map((reason) => reason.message),
        result,
      });
    }
  }
  const chosen = new Set(selected.map((workload) => workload.id));
  const notSelected = report.workloads
    .filter((workload) => !chosen.has(workload.id))
    .map((workload) => ({
      workload: workload.id,
      reason: options.workloads
        ? 'not named by --workload'
        : 'not a model server (name it with --workload to convert it)',
    }));
  return { artifacts, notSelected };
}

export function blockedResult(reasons: BlockReason[], alternatives: string[]): ConversionResult {
  return {
    status: 'blocked',
    files: [],
    settings: [],
    names: [],
    warm: null,
    notCarried: [],
    recommendations: [],
    reasons,
    alternatives,
    notes: [],
    deploy: null,
  };
}

function notImplemented(workload: WorkloadReport, target: TargetId): ConversionResult {
  return {
    ...blockedResult(
      [
        {
          rule: 'not-implemented',
          message: `migrate has no ${TARGET_LIMITS[target].title} converter yet (it will live in converters/${target}/); the analysis rates this workload ${workload.targets[target].fit} for it`,
          source: null,
        },
      ],
      [
        `Convert to another target meanwhile (\`--target aws-lambda\`), or write the ${TARGET_LIMITS[target].title} configuration by hand from the analysis (\`migrate analyze --format md\`).`,
      ],
    ),
    status: 'not-implemented',
  };
}

function selectWorkloads(report: AnalysisReport, ids: readonly string[] | null): WorkloadReport[] {
  if (ids === null) return report.workloads.filter((workload) => workload.ml.isModelServer);
  const unknown = ids.filter((id) => !report.workloads.some((workload) => workload.id === id));
  if (unknown.length)
    throw usageError(
      `--workload ${unknown.join(', ')} is not in the input`,
      `workloads: ${report.workloads.map((workload) => workload.id).join(', ') || '(none)'}`,
    );
  return report.workloads.filter((workload) => ids.includes(workload.id));
}

/** Output folders, one per workload; two ids that fold to the same slug get a short hash of the id each. */
function uniqueSlugs(workloads: readonly WorkloadReport[]): Map<string, string> {
  const slugs = new Map(workloads.map((workload) => [workload.id, workloadSlug(workload)]));
  const counts = new Map<string, number>();
  for (const slug of slugs.values()) counts.set(slug, (counts.get(slug) ?? 0) + 1);
  for (const [id, slug] of slugs) {
    if ((counts.get(slug) ?? 0) > 1)
      slugs.set(id, `${slug}-${createHash('sha256').update(id).digest('hex').slice(0, 6)}`);
  }
  return slugs;
}

/** Converter output stays inside its folder and never collides with MIGRATION.md: a bug otherwise. */
function checkFiles(files: readonly GeneratedFile[], target: TargetId): void {
  const seen = new Set<string>();
  for (const file of files) {
    if (
      file.path === MIGRATION_FILE ||
      seen.has(file.path) ||
      file.path.startsWith('/') ||
      file.path.split('/').includes('..')
    )
      throw new Error(`converter ${target} emitted an invalid or duplicate path: ${file.path}`);
    seen.add(file.path);
  }
}
