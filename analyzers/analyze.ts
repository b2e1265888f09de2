import type { Workload } from '../core/model/index.ts';
import type { TrafficProfile } from '../core/traffic/index.ts';
import { assess } from './assess.ts';
import { buildInventory } from './inventory.ts';
import { type AnalysisReport, toReport } from './report.ts';
import { type LoadedInputs, loadInputs, type SourceOptions } from './sources/index.ts';

export interface AnalyzeOptions extends SourceOptions {
  defaultNamespace: string;
  sloMs: number | null;
  version: string;
  /** Service time per request when the traffic does not carry one (`--service-ms`). */
  serviceMs?: number | null;
  /** Traffic for one workload (a trace file, Prometheus); null when there is none. The only I/O after loading. */
  trafficFor?: (workload: Workload, all: readonly Workload[]) => Promise<TrafficProfile | null>;
}

/** Reads the inputs, builds the inventory, gathers traffic where asked, runs the rules. */
export async function analyzePaths(paths: string[], options: AnalyzeOptions): Promise<AnalysisReport> {
  const loaded = await loadInputs(paths, options);
  return analyzeLoaded(loaded, { ...options, inputs: paths });
}

/** What `analyzeLoaded` needs: the analysis options without those of the file source, and what was read. */
export type AnalyzeLoadedOptions = Omit<AnalyzeOptions, keyof SourceOptions> & {
  /** Shown as the report's `inputs`: the paths given, or `cluster:<context>`. */
  inputs: string[];
};

/** The analysis of objects some source already loaded (files, a live cluster): inventory, traffic, rules. */
export async function analyzeLoaded(
  loaded: LoadedInputs,
  options: AnalyzeLoadedOptions,
): Promise<AnalysisReport> {
  const inventory = buildInventory(loaded, { defaultNamespace: options.defaultNamespace });
  const traffic = new Map<string, TrafficProfile>();
  if (options.trafficFor) {
    for (const workload of inventory.workloads) {
      const profile = await options.trafficFor(workload, inventory.workloads);
      if (profile) traffic.set(workload.id, profile);
    }
  }
  const assessments = assess(inventory, {
    sloMs: options.sloMs,
    traffic,
    serviceMs: options.serviceMs ?? null,
  });
  return toReport(options.inputs, inventory, assessments, options.version, traffic);
}
