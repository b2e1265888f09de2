import type { AnalysisReport, WorkloadReport } from '../../analyzers/report.ts';
import { formatSource, TARGETS } from '../../core/model/index.ts';
import { autoscalerCell, cpuCell, gpuCell, memoryCell, serverCell } from './format.ts';

const FIT_MARK = { ok: '✅ ok', warn: '⚠️ warn', blocked: '⛔ blocked' } as const;

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** Markdown for a pull request or a wiki page: a table, then each workload's findings in a fold. */
export function renderAnalysisMarkdown(report: AnalysisReport): string {
  const s = report.summary;
  const out = [
    '## migrate analyze',
    '',
    `${s.workloads} workload(s) (${s.modelServers} model server(s)) in ${s.files} file(s): ` +
      `**${s.verdicts['serverless-function']}** serverless-function, **${s.verdicts['container-service']}** container-service, **${s.verdicts['stay-on-cluster']}** stay-on-cluster. ` +
      `${s.related} related, ${s.skipped} skipped, ${s.errors} error(s).`,
    '',
    '| Workload | Server | GPU | CPU | Memory | Autoscaling | Verdict | Lambda | Cloud Run | Azure Functions |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const workload of report.workloads) {
    out.push(
      `| \`${cell(workload.id)}\` | ${cell(serverCell(workload))} | ${cell(gpuCell(workload))} | ${cpuCell(workload)} | ${memoryCell(workload)} | ${cell(autoscalerCell(workload))} | **${workload.verdict}** | ${TARGETS.map((target) => FIT_MARK[workload.targets[target].fit]).join(' | ')} |`,
    );
  }
  for (const workload of report.workloads) out.push('', ...workloadDetails(workload));
  if (report.skipped.length) {
    out.push(
      '',
      '<details><summary>Skipped objects</summary>',
      '',
      '| Source | Kind | Name | Reason |',
      '|---|---|---|---|',
    );
    for (const skipped of report.skipped) {
      out.push(
        `| ${cell(`${skipped.source.file}:${skipped.source.line}`)} | ${cell(skipped.kind ?? '?')} | ${cell(skipped.name ?? '')} | ${cell(skipped.reason)} |`,
      );
    }
    out.push('', '</details>');
  }
  if (report.errors.length) {
    out.push('', '### Errors', '');
    for (const error of report.errors)
      out.push(`- \`${error.file}${error.line === null ? '' : `:${error.line}`}\`: ${cell(error.message)}`);
  }
  return `${out.join('\n')}\n`;
}

function workloadDetails(workload: WorkloadReport): string[] {
  const lines = [`<details><summary><code>${workload.id}</code>: ${workload.verdict}</summary>`, ''];
  const where = workload.sources.map((source) => `\`${formatSource(source)}\``).join(', ');
  lines.push(`Defined at ${where}.`);
  if (workload.ml.model?.uri)
    lines.push(
      `Model: \`${workload.ml.model.uri}\`${workload.ml.model.format ? ` (${workload.ml.model.format})` : ''}.`,
    );
  lines.push('');
  if (workload.findings.length === 0) lines.push('No findings.');
  for (const finding of workload.findings) {
    const targets = finding.targets.length ? ` (${finding.targets.join(', ')})` : '';
    lines.push(`- **${finding.severity}** \`${finding.rule}\`${targets}: ${cell(finding.message)}`);
  }
  for (const note of workload.notes) lines.push(`- note: ${cell(note.message)}`);
  lines.push('', '</details>');
  return lines;
}
