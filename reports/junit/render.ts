/**
 * JUnit XML, so CI systems show a violated threshold as a failed test: one test suite per workload,
 * one test case per workload × target × threshold. Without thresholds, one case per workload × target
 * records that it was replayed. No timestamps unless the report has one (--now).
 */

import type { ReportBundle } from '../pipeline/build.ts';
import { formatValue } from '../pipeline/format.ts';
import type { ResultRow, ThresholdResult } from '../pipeline/model.ts';

const xml = (text: string) =>
  text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    // XML 1.0 allows no control characters other than tab, newline and carriage return.
    // biome-ignore lint/suspicious/noControlCharactersInRegex: that is the point
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

interface Case {
  name: string;
  classname: string;
  failure: { message: string; body: string } | null;
}

export function renderJunit({ report }: ReportBundle): string {
  const suites = report.workloads.map((workload) => {
    const rows = report.results.filter((row) => row.workload === workload.id);
    const cases = rows.flatMap((row) => casesOf(row, report.thresholds));
    return { name: workload.id, cases };
  });
  const count = (list: Case[]) => list.length;
  const failures = (list: Case[]) => list.filter((entry) => entry.failure).length;
  const allCases = suites.flatMap((suite) => suite.cases);
  const stamp = report.generatedAt ? ` timestamp="${xml(report.generatedAt)}"` : '';
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="migrate" tests="${count(allCases)}" failures="${failures(allCases)}" errors="0" time="0">`,
  ];
  for (const suite of suites) {
    lines.push(
      `  <testsuite name="${xml(suite.name)}" tests="${count(suite.cases)}" failures="${failures(suite.cases)}" errors="0" skipped="0" time="0"${stamp}>`,
    );
    for (const entry of suite.cases) {
      const open = `    <testcase name="${xml(entry.name)}" classname="${xml(entry.classname)}" time="0"`;
      if (!entry.failure) {
        lines.push(`${open}/>`);
        continue;
      }
      lines.push(
        `${open}>`,
        `      <failure message="${xml(entry.failure.message)}" type="threshold">${xml(entry.failure.body)}</failure>`,
        '    </testcase>',
      );
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}

function casesOf(row: ResultRow, thresholds: readonly ThresholdResult[]): Case[] {
  const classname = `${row.workload}.${row.target}`;
  if (thresholds.length === 0)
    return [{ name: `replayed on ${row.target}: ${row.verdict}`, classname, failure: null }];
  return thresholds.map((threshold) => {
    const violation = threshold.violations.find(
      (entry) => entry.workload === row.workload && entry.target === row.target,
    );
    const values = violation
      ? Object.entries(violation.values)
          .map(([field, value]) => `${field} = ${formatValue(value)}`)
          .join(', ')
      : '';
    return {
      name: `fail-on: ${threshold.expression}`,
      classname,
      failure: violation
        ? {
            message: `${threshold.expression} holds for ${row.workload} on ${row.target}`,
            body: `${values}\nverdict ${row.verdict}${row.reasons.length ? `\n${row.reasons.join('\n')}` : ''}`,
          }
        : null,
    };
  });
}
