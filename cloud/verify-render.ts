/**
 * `migrate verify` output: a table for the terminal, Markdown for a pull request, JSON for tools
 * (docs/verify.md). Pure.
 */

import type { SkippedFolder } from './config-dir.ts';
import type { VerifyResult } from './diff.ts';
import type { SettingValue } from './types.ts';

export interface VerifyReport {
  schemaVersion: 1;
  target: string;
  results: VerifyResult[];
  skipped: SkippedFolder[];
  summary: {
    workloads: number;
    inSync: number;
    drifted: number;
    notDeployed: number;
    /** Drifted settings, over all workloads. */
    findings: number;
    skipped: number;
  };
}

export function verifyReport(
  target: string,
  results: VerifyResult[],
  skipped: SkippedFolder[],
): VerifyReport {
  const notDeployed = results.filter((result) =>
    result.findings.some((f) => f.kind === 'not-deployed'),
  ).length;
  const drifted = results.filter((result) => result.findings.some((f) => f.kind === 'drift')).length;
  return {
    schemaVersion: 1,
    target,
    results,
    skipped,
    summary: {
      workloads: results.length,
      inSync: results.length - notDeployed - drifted,
      drifted,
      notDeployed,
      findings: results.reduce(
        (sum, result) => sum + result.findings.filter((f) => f.kind === 'drift').length,
        0,
      ),
      skipped: skipped.length,
    },
  };
}

const show = (value: SettingValue) => (value === null ? 'unset' : String(value));

export function verifyTable(report: VerifyReport): string {
  const lines: string[] = [];
  for (const result of report.results) {
    const state = result.id === null ? 'NOT DEPLOYED' : result.findings.length ? 'DRIFT' : 'in sync';
    lines.push(`${result.name}  (${result.workload})  ${state}${result.id ? `  ${result.id}` : ''}`);
    if (result.compared.length) {
      const width = Math.max(...result.compared.map((row) => row.field.length));
      const expectedWidth = Math.max(8, ...result.compared.map((row) => show(row.expected).length));
      lines.push(`  ${'  setting'.padEnd(width + 2)}  ${'expected'.padEnd(expectedWidth)}  live`);
      for (const row of result.compared)
        lines.push(
          `  ${row.matches ? '  ' : '✗ '}${row.field.padEnd(width)}  ${show(row.expected).padEnd(expectedWidth)}  ${show(row.actual)}${row.matches ? '' : `   ← ${row.source}`}`,
        );
    }
    // The reasons are long (what to create, with which command): they belong to apply's dry run and the JSON.
    if (result.notApplied.length)
      lines.push(
        `  not compared: ${result.notApplied.length} item(s) the SDK cannot read or set; --format json and \`migrate apply\` list them with why`,
      );
    lines.push('');
  }
  for (const item of report.skipped) lines.push(`skipped ${item.slug}: ${item.reason}`);
  lines.push(summaryLine(report));
  return `${lines.join('\n')}\n`;
}

export function verifyMarkdown(report: VerifyReport): string {
  const lines = [`## migrate verify — ${report.target}`, '', summaryLine(report), ''];
  for (const result of report.results) {
    const state = result.id === null ? '**not deployed**' : result.findings.length ? '**drift**' : 'in sync';
    lines.push(`### \`${result.name}\` (${result.workload}): ${state}`, '');
    if (result.compared.length) {
      lines.push('| | setting | expected | live | written at |', '|---|---|---|---|---|');
      for (const row of result.compared)
        lines.push(
          `| ${row.matches ? '✓' : '✗'} | ${row.field} | ${cell(show(row.expected))} | ${cell(show(row.actual))} | ${cell(row.source)} |`,
        );
      lines.push('');
    }
  }
  if (report.skipped.length) {
    lines.push('Skipped:', '');
    for (const item of report.skipped) lines.push(`- ${item.slug}: ${cell(item.reason)}`);
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}

function summaryLine(report: VerifyReport): string {
  const s = report.summary;
  return `${s.workloads} workload(s): ${s.inSync} in sync, ${s.drifted} drifted (${s.findings} finding(s)), ${s.notDeployed} not deployed; ${s.skipped} skipped`;
}

const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');
