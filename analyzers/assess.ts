import { SCALING_LIMITS } from '../core/limits/scaling.ts';
import { TARGET_LIMITS } from '../core/limits/targets.ts';
import { type Finding, TARGETS, type TargetId, type Workload } from '../core/model/index.ts';
import type { TrafficProfile } from '../core/traffic/index.ts';
import type { Inventory } from './inventory.ts';
import { RULES, type Rule, type RuleContext } from './rules/index.ts';

export type Fit = 'ok' | 'warn' | 'blocked';
export type Verdict = 'serverless-function' | 'container-service' | 'stay-on-cluster';

export interface WorkloadAssessment {
  findings: Finding[];
  targets: Record<TargetId, { fit: Fit; findings: string[] }>;
  verdict: Verdict;
}

export interface AssessOptions {
  sloMs: number | null;
  traffic?: ReadonlyMap<string, TrafficProfile>;
  serviceMs?: number | null;
  rules?: readonly Rule[];
}

/** Runs every rule on every workload; the verdict follows from the per-target fits. Pure. */
export function assess(inventory: Inventory, options: AssessOptions): Map<string, WorkloadAssessment> {
  const context: RuleContext = {
    limits: TARGET_LIMITS,
    sloMs: options.sloMs,
    related: new Map(inventory.related.map((related) => [related.id, related])),
    scaling: SCALING_LIMITS,
    traffic: options.traffic ?? new Map(),
    serviceMs: options.serviceMs ?? null,
  };
  const result = new Map<string, WorkloadAssessment>();
  for (const workload of inventory.workloads) {
    result.set(workload.id, assessWorkload(workload, context, options.rules ?? RULES));
  }
  return result;
}

export function assessWorkload(
  workload: Workload,
  context: RuleContext,
  rules: readonly Rule[],
): WorkloadAssessment {
  const findings = rules.flatMap((rule) => rule.check(workload, context));
  const targets = {} as WorkloadAssessment['targets'];
  for (const target of TARGETS) {
    // A finding without targets speaks about the workload as a whole, so it applies to every target.
    const applicable = findings.filter(
      (finding) => finding.targets.length === 0 || finding.targets.includes(target),
    );
    const fit: Fit = applicable.some((finding) => finding.severity === 'block')
      ? 'blocked'
      : applicable.some((finding) => finding.severity === 'warn')
        ? 'warn'
        : 'ok';
    targets[target] = {
      fit,
      findings: [
        ...new Set(
          applicable.filter((finding) => finding.severity !== 'info').map((finding) => finding.rule),
        ),
      ],
    };
  }
  return { findings, targets, verdict: verdictFrom(targets) };
}

/**
 * A function platform (Lambda, Azure Functions) when one can run it; else a container service (Cloud Run)
 * when it can; else the cluster. A workload-wide block (model over 5 GB, SLO under 10 ms) blocks all three.
 */
export function verdictFrom(targets: WorkloadAssessment['targets']): Verdict {
  if (targets['aws-lambda'].fit !== 'blocked' || targets['azure-functions'].fit !== 'blocked')
    return 'serverless-function';
  if (targets['cloud-run'].fit !== 'blocked') return 'container-service';
  return 'stay-on-cluster';
}
