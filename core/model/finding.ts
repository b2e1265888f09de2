import type { SourceRef } from './source.ts';

export type Severity = 'info' | 'warn' | 'block';

export const TARGETS = ['aws-lambda', 'cloud-run', 'azure-functions'] as const;
export type TargetId = (typeof TARGETS)[number];

/** One observation a rule made about a workload, with the evidence that led to it. */
export interface Finding {
  rule: string;
  severity: Severity;
  message: string;
  source: SourceRef | null;
  /** Targets this finding applies to; empty means it speaks about the workload, not a target. */
  targets: TargetId[];
}
