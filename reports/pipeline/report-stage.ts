/**
 * The report stage: the run's files → the report in every format asked for, written under the run's
 * folder. `migrate run` ends with it and `migrate report --from` is nothing else, so both give the
 * same bytes.
 */

import { join } from 'node:path';
import type { Threshold } from '../thresholds/index.ts';
import { buildReport, type ReportBundle } from './build.ts';
import { FORMATS, type ReportFormat } from './formats.ts';
import { loadRun } from './load.ts';
import type { ReportJson } from './model.ts';

export interface ReportStageOptions {
  from: string;
  /** Where to write; defaults to `from`. */
  out: string;
  formats: readonly ReportFormat['id'][];
  thresholds: readonly Threshold[];
  baseline: ReportJson | null;
  now: string | null;
  version: string;
  writeFile(path: string, content: string): Promise<void>;
}

export interface ReportStageResult {
  bundle: ReportBundle;
  /** Paths written, in format order. */
  written: { format: ReportFormat['id']; path: string }[];
}

export async function reportStage(options: ReportStageOptions): Promise<ReportStageResult> {
  const run = loadRun(options.from);
  const bundle = buildReport({
    ...run,
    version: options.version,
    thresholds: options.thresholds,
    baseline: options.baseline,
    now: options.now,
  });
  const written: ReportStageResult['written'] = [];
  for (const format of FORMATS) {
    if (!options.formats.includes(format.id)) continue;
    const path = join(options.out, format.fileName);
    await options.writeFile(path, await format.render(bundle));
    written.push({ format: format.id, path });
  }
  return { bundle, written };
}
