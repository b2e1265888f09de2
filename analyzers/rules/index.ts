import { gpuRequired } from './gpu-required.ts';
import type { Rule } from './types.ts';

/** Every decision rule, one line each, in the order their findings are listed. */
export const RULES: readonly Rule[] = [gpuRequired];

export type { Rule, RuleContext } from './types.ts';
