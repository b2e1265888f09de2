/**
 * Test support for converters (imported by tests only): analyse an inline manifest the way the CLI
 * does, and convert it, so unit tests start from real reports rather than hand-written ones.
 */
import { analyzePaths } from '../../analyzers/analyze.ts';
import type { AnalysisReport, WorkloadReport } from '../../analyzers/report.ts';
import type { TargetId } from '../../core/model/index.ts';
import type { TrafficProfile } from '../../core/traffic/index.ts';
import { CONVERTERS } from '../index.ts';
import type { ConvertContext, ScaffoldHook } from '../types.ts';
import { type ConvertRun, convertReport } from './run.ts';

export async function analyzeYaml(yaml: string, options: { sloMs?: number } = {}): Promise<AnalysisReport> {
  return analyzePaths(['-'], {
    maxFileBytes: 16 * 2 ** 20,
    maxAliasCount: 100,
    which: () => null,
    readStdin: async () => yaml,
    defaultNamespace: 'default',
    sloMs: options.sloMs ?? null,
    version: 'test',
  });
}

export function workloadOf(report: AnalysisReport, id: string): WorkloadReport {
  const workload = report.workloads.find((entry) => entry.id === id);
  if (!workload)
    throw new Error(`no workload ${id}; have ${report.workloads.map((entry) => entry.id).join(', ')}`);
  return workload;
}

export function contextFor(
  report: AnalysisReport,
  workload: WorkloadReport,
  extra: Partial<ConvertContext> = {},
): ConvertContext {
  return {
    related: report.related.filter((object) => workload.related.includes(object.id)),
    traffic: null,
    serviceMs: null,
    warmQuantile: 0.5,
    scaffolds: null,
    version: 'test',
    ...extra,
  };
}

export function convertAll(
  report: AnalysisReport,
  options: {
    targets?: TargetId[];
    traffic?: Map<string, TrafficProfile>;
    serviceMs?: number | null;
    scaffolds?: ScaffoldHook | null;
    workloads?: string[] | null;
    version?: string;
  } = {},
): ConvertRun {
  return convertReport(report, {
    targets: options.targets ?? ['aws-lambda'],
    workloads: options.workloads ?? null,
    traffic: options.traffic ?? new Map(),
    serviceMs: options.serviceMs ?? null,
    warmQuantile: 0.5,
    scaffolds: options.scaffolds ?? null,
    version: options.version ?? 'test',
    converters: CONVERTERS,
  });
}
