import type { ScalingLimits } from '../../core/limits/scaling.ts';
import type { TargetLimits } from '../../core/limits/targets.ts';
import type { Finding, RelatedObject, TargetId, Workload } from '../../core/model/index.ts';
import type { TrafficProfile } from '../../core/traffic/index.ts';

/**
 * A decision rule: metadata beside a pure check. `check` returns the findings it makes about one
 * workload; each names its evidence (file:line) in `source` and in the message.
 */
export interface Rule {
  /** Equals the file name: `gpu-required` for gpu-required.ts. */
  id: string;
  title: string;
  description: string;
  check(workload: Workload, context: RuleContext): Finding[];
}

export interface RuleContext {
  limits: Record<TargetId, TargetLimits>;
  /** Latency SLO from `--slo-ms`; a workload's own annotation wins. */
  sloMs: number | null;
  related: ReadonlyMap<string, RelatedObject>;
  scaling: Record<TargetId, ScalingLimits>;
  /** Traffic per workload id, when `--traffic` or `--prometheus` gave it. */
  traffic: ReadonlyMap<string, TrafficProfile>;
  /** Service time per request from `--service-ms`, when the traffic does not carry one. */
  serviceMs: number | null;
}
