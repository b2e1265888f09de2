import type { ConversionStatus, TargetId } from '../types.ts';
import type { ConvertRun } from './run.ts';

/** What `migrate convert --format json` prints: one entry per workload and target. */
export interface ConvertSummaryJson {
  dryRun: boolean;
  out: string | null;
  artifacts: {
    workload: string;
    target: TargetId;
    status: ConversionStatus;
    /** Paths as written (under --out), or relative to it with --dry-run and no --out. */
    files: string[];
    reasons: string[];
  }[];
  notSelected: { workload: string; reason: string }[];
}

export function convertSummaryJson(
  run: ConvertRun,
  pathOf: (dir: string, file: string) => string,
  options: { dryRun: boolean; out: string | null },
): ConvertSummaryJson {
  return {
    dryRun: options.dryRun,
    out: options.out,
    artifacts: run.artifacts.map((artifact) => ({
      workload: artifact.workload,
      target: artifact.target,
      status: artifact.status,
      files: artifact.files.map((file) => pathOf(artifact.dir, file.path)),
      reasons: artifact.reasons,
    })),
    notSelected: run.notSelected,
  };
}

/** One line per workload and target: the files written, or the first reason it was not converted. */
export function renderConvertTable(summary: ConvertSummaryJson): string {
  const rows = summary.artifacts.map((artifact) => [
    artifact.workload,
    artifact.target,
    artifact.status,
    artifact.status === 'converted'
      ? `${artifact.files.length} files: ${artifact.files.map((file) => file.split('/').pop()).join(', ')}`
      : `${artifact.reasons[0] ?? ''}${artifact.reasons.length > 1 ? ` (+${artifact.reasons.length - 1} more)` : ''}`,
  ]);
  const header = ['WORKLOAD', 'TARGET', 'STATUS', 'FILES / WHY'];
  const widths = header
    .slice(0, 3)
    .map((title, index) => Math.max(title.length, ...rows.map((row) => row[index]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, index) => (index < 3 ? cell.padEnd(widths[index]!) : truncate(cell, 110)))
      .join('  ')
      .trimEnd();
  const lines = [line(header), ...rows.map(line)];
  const counts = (['converted', 'blocked', 'not-implemented'] as const)
    .map(
      (status) =>
        [status, summary.artifacts.filter((artifact) => artifact.status === status).length] as const,
    )
    .filter(([, count]) => count > 0)
    .map(([status, count]) => `${count} ${status}`);
  lines.push('', `${summary.artifacts.length} conversion(s): ${counts.join(', ') || 'none'}.`);
  if (summary.notSelected.length)
    lines.push(
      `${summary.notSelected.length} workload(s) not converted: ${summary.notSelected.map((entry) => `${entry.workload} (${entry.reason})`).join('; ')}.`,
    );
  const files = summary.artifacts.reduce((total, artifact) => total + artifact.files.length, 0);
  if (summary.dryRun) {
    lines.push('', 'Would write:');
    for (const artifact of summary.artifacts) for (const file of artifact.files) lines.push(`  ${file}`);
  }
  lines.push(
    summary.dryRun
      ? `--dry-run: ${files} file(s) would be written${summary.out ? ` under ${summary.out}` : ''}; nothing was written.`
      : `Wrote ${files} file(s) under ${summary.out}. Start with each MIGRATION.md.`,
  );
  return `${lines.join('\n')}\n`;
}

function truncate(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
