/**
 * `--baseline previous.json`: what changed since the last run, row by row — verdict, p99 and monthly
 * cost — in the spirit of a cost-diff tool: only rows that changed are listed.
 */

import { MigrateError } from '../../core/errors.ts';
import { type BaselineChange, REPORT_SCHEMA_VERSION, type ReportJson, type ResultRow } from './model.ts';

/** Reads a previous report.json; anything else is an input error naming the file. */
export function parseBaseline(text: string, file: string): ReportJson {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new MigrateError(`--baseline ${file} is not JSON: ${(error as Error).message}`, {
      hint: 'pass the report.json of an earlier `migrate run` or `migrate report`',
    });
  }
  const report = value as Partial<ReportJson>;
  if (report?.schemaVersion !== REPORT_SCHEMA_VERSION || !Array.isArray(report.results))
    throw new MigrateError(
      `--baseline ${file} is not a migrate report.json (schemaVersion ${REPORT_SCHEMA_VERSION} with results[])`,
      {
        hint: 'pass the report.json of an earlier `migrate run` or `migrate report`, not analysis.json or a replay file',
      },
    );
  return report as ReportJson;
}

export function diffBaseline(baseline: ReportJson, rows: readonly ResultRow[]): BaselineChange[] {
  const key = (row: { workload: string; target: string }) => `${row.workload}\u0000${row.target}`;
  const before = new Map(baseline.results.map((row) => [key(row), row]));
  const after = new Map(rows.map((row) => [key(row), row]));
  const changes: BaselineChange[] = [];
  for (const row of rows) {
    const old = before.get(key(row)) ?? null;
    const change = describe(row.workload, row.target, old, row);
    if (change) changes.push(change);
  }
  for (const old of baseline.results)
    if (!after.has(key(old))) changes.push(describe(old.workload, old.target, old, null)!);
  return changes;
}

function describe(
  workload: string,
  target: string,
  before: ResultRow | null,
  after: ResultRow | null,
): BaselineChange | null {
  const cost = (row: ResultRow | null) => row?.monthlyCostUsd ?? null;
  const same =
    before &&
    after &&
    before.verdict === after.verdict &&
    before.p99Ms === after.p99Ms &&
    cost(before) === cost(after);
  if (same) return null;
  const delta =
    cost(before) !== null && cost(after) !== null
      ? Math.round((cost(after)! - cost(before)!) * 100) / 100
      : null;
  return {
    workload,
    target,
    change: before && after ? 'changed' : after ? 'added' : 'removed',
    verdict: { before: before?.verdict ?? null, after: after?.verdict ?? null },
    p99Ms: { before: before?.p99Ms ?? null, after: after?.p99Ms ?? null },
    monthlyCostUsd: { before: cost(before), after: cost(after), deltaUsd: delta },
  };
}
