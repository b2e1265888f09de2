import type { TargetLimits } from '../../core/limits/targets.ts';
import {
  type Container,
  type Finding,
  formatSource,
  type PodTemplate,
  type ResourceAmounts,
  type Severity,
  type SourceRef,
  TARGETS,
  type TargetId,
  type Workload,
} from '../../core/model/index.ts';
import { formatBytes, formatCpu } from '../../core/quantity.ts';

/** Shared wording for rule messages: evidence in parentheses, sizes in binary units, lists in prose. */

/** ` (file:line)` for a source, or `` when there is none. */
export function at(source: SourceRef | null | undefined): string {
  return source ? ` (${formatSource(source)})` : '';
}

export const bytes = formatBytes;
export const cpu = formatCpu;

/** "a", "a and b", "a, b and c". */
export function prose(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** "AWS Lambda's", "Azure Functions'". */
export function possessive(name: string): string {
  return name.endsWith('s') ? `${name}'` : `${name}'s`;
}

/** 1234567 → "1,234,567". */
export function count(value: number): string {
  return value.toLocaleString('en-US');
}

/** Finding builders for one rule: `say.warn(message, source, targets)`. */
export function reporter(rule: string) {
  const make =
    (severity: Severity) =>
    (message: string, source: SourceRef | null, targets: TargetId[] = []): Finding =>
      finding(rule, severity, message, source, targets);
  return { info: make('info'), warn: make('warn'), block: make('block'), with: make };
}

export function finding(
  rule: string,
  severity: Severity,
  message: string,
  source: SourceRef | null,
  targets: TargetId[] = [],
): Finding {
  return { rule, severity, message, source, targets };
}

/** The first source given that exists, else where the workload is defined. */
export function sourceOf(
  workload: Workload,
  ...candidates: (SourceRef | null | undefined)[]
): SourceRef | null {
  return candidates.find((candidate) => candidate) ?? workload.sources[0] ?? null;
}

/**
 * `serving.source` is one field shared by the SLO annotation, the concurrency and the timeout, and the first
 * reader to set it wins; use it as evidence only for what it points at.
 */
export function servingSource(workload: Workload, what: 'slo' | 'settings'): SourceRef | null {
  const source = workload.serving.source;
  const isSlo = source?.field?.includes('slo-ms') ?? false;
  if (what === 'settings') return isSlo ? sourceOf(workload) : sourceOf(workload, source);
  if (isSlo || !workload.sources[0]) return sourceOf(workload, source);
  return { ...workload.sources[0], field: 'metadata.annotations.migrate.dev/slo-ms' };
}

/** Where the main container is defined, else the workload. */
export function mainSource(workload: Workload): SourceRef | null {
  return sourceOf(workload, workload.pod.containers.find((container) => container.role === 'main')?.source);
}

export function targetIds(limits: Record<TargetId, TargetLimits>): TargetId[] {
  return TARGETS.filter((target) => target in limits);
}

/** One pod shape of a workload: the main pod, then each component (Ray worker group, LWS worker, …). */
export interface PodShape {
  /** `null` for the main pod, else the component's name. */
  component: string | null;
  pod: PodTemplate;
  resources: Workload['resources'];
  replicas: number | null;
  maxReplicas: number | null;
}

export function podShapes(workload: Workload): PodShape[] {
  return [
    {
      component: null,
      pod: workload.pod,
      resources: workload.resources,
      replicas: workload.replicas,
      maxReplicas: null,
    },
    ...workload.components.map((component) => ({
      component: component.name,
      pod: component.pod,
      resources: component.resources,
      replicas: component.replicas,
      maxReplicas: component.maxReplicas,
    })),
  ];
}

/** "" for the main pod, " in component workers" for a component. */
export function inComponent(shape: { component: string | null }): string {
  return shape.component ? ` in component ${shape.component}` : '';
}

/**
 * The largest per-pod demand for `key` over the workload's pod shapes, with the container that asks
 * for most of it as evidence. `null` when no pod states it.
 */
export function largestDemand(
  workload: Workload,
  key: keyof ResourceAmounts,
): { value: number; shape: PodShape; source: SourceRef | null } | null {
  let best: { value: number; shape: PodShape; source: SourceRef | null } | null = null;
  for (const shape of podShapes(workload)) {
    const value = shape.resources[key];
    if (value === null || (best && best.value >= value)) continue;
    const biggest = [...shape.pod.containers].sort(
      (a, b) => (b.requests[key] ?? 0) - (a.requests[key] ?? 0),
    )[0];
    best = { value, shape, source: sourceOf(workload, biggest?.source) };
  }
  return best;
}

/** The command line a container runs, as one string. */
export function commandLine(container: Container): string {
  return [...container.command, ...container.args].join(' ');
}

export function truncate(text: string, max = 80): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 3)}...` : flat;
}
