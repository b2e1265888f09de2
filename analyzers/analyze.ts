import { assess } from './assess.ts';
import { buildInventory } from './inventory.ts';
import { type AnalysisReport, toReport } from './report.ts';
import { loadInputs, type SourceOptions } from './sources/index.ts';

export interface AnalyzeOptions extends SourceOptions {
  defaultNamespace: string;
  sloMs: number | null;
  version: string;
}

/** Reads the inputs, builds the inventory, runs the rules. The only I/O is loading the inputs. */
export async function analyzePaths(paths: string[], options: AnalyzeOptions): Promise<AnalysisReport> {
  const loaded = await loadInputs(paths, options);
  const inventory = buildInventory(loaded, { defaultNamespace: options.defaultNamespace });
  const assessments = assess(inventory, { sloMs: options.sloMs });
  return toReport(paths, inventory, assessments, options.version);
}
