import type { AnalysisReport } from '../../analyzers/report.ts';
import { TARGETS } from '../../core/model/index.ts';
import { autoscalerCell, cpuCell, gpuCell, memoryCell, serverCell } from './format.ts';

const FIT_COLOUR = { ok: '\u001b[32m', warn: '\u001b[33m', blocked: '\u001b[31m' } as const;
const VERDICT_COLOUR = {
  'serverless-function': '\u001b[32m',
  'container-service': '\u001b[36m',
  'stay-on-cluster': '\u001b[35m',
} as const;
const RESET = '\u001b[0m';

/** The terminal view: one line per workload, then what was skipped or failed, then the totals. */
export function renderAnalysisTable(report: AnalysisReport, options: { color: boolean }): string {
  const paint = (colour: string, text: string) => (options.color ? `${colour}${text}${RESET}` : text);
  const header = [
    'WORKLOAD',
    'SERVER',
    'GPU',
    'CPU',
    'MEMORY',
    'AUTOSCALING',
    'VERDICT',
    'LAMBDA',
    'CLOUD-RUN',
    'AZURE-FN',
  ];
  const rows = report.workloads.map((workload) => [
    workload.id,
    serverCell(workload),
    gpuCell(workload),
    cpuCell(workload),
    memoryCell(workload),
    autoscalerCell(workload),
    workload.verdict,
    ...TARGETS.map((target) => workload.targets[target].fit),
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]!.length)),
  );
  const line = (cells: string[], colourise: boolean) =>
    cells
      .map((cell, column) => {
        const padded = column === cells.length - 1 ? cell : cell.padEnd(widths[column]!);
        if (!colourise) return padded;
        if (column === 6) return paint(VERDICT_COLOUR[cell as keyof typeof VERDICT_COLOUR] ?? '', padded);
        if (column > 6) return paint(FIT_COLOUR[cell as keyof typeof FIT_COLOUR] ?? '', padded);
        return padded;
      })
      .join('  ')
      .trimEnd();
  const out = [line(header, false), ...rows.map((row) => line(row, true))];
  if (report.workloads.length === 0) out.push('(no workloads found)');

  const blocking = report.workloads.flatMap((workload) =>
    workload.findings
      .filter((finding) => finding.severity === 'block')
      .map((finding) => `  ${workload.id}: [${finding.rule}] ${finding.message}`),
  );
  if (blocking.length) out.push('', 'Why not serverless:', ...blocking);
  if (report.skipped.length) {
    out.push('', `Skipped ${report.skipped.length} object(s):`);
    for (const skipped of report.skipped) {
      out.push(
        `  ${skipped.source.file}:${skipped.source.line} ${skipped.kind ?? '?'}${skipped.name ? `/${skipped.name}` : ''}: ${skipped.reason}`,
      );
    }
  }
  if (report.errors.length) {
    out.push('', paint(FIT_COLOUR.blocked, `Errors (${report.errors.length}):`));
    for (const error of report.errors)
      out.push(`  ${error.file}${error.line === null ? '' : `:${error.line}`}: ${error.message}`);
  }
  for (const note of report.notes) out.push(`note: ${note}`);
  const s = report.summary;
  out.push(
    '',
    `${s.files} file(s), ${s.objects} object(s): ${s.workloads} workload(s) (${s.modelServers} model server(s)), ${s.related} related, ${s.skipped} skipped, ${s.errors} error(s). ` +
      `Verdicts: ${s.verdicts['serverless-function']} serverless-function, ${s.verdicts['container-service']} container-service, ${s.verdicts['stay-on-cluster']} stay-on-cluster.`,
  );
  return `${out.join('\n')}\n`;
}
