/**
 * Thresholds: `--fail-on` expressions over the result fields, a hand-written tokenizer and
 * recursive-descent parser (no eval, no dependency). docs/report.md#thresholds documents the grammar
 * and the fields.
 */

export { type FieldValues, holds } from './evaluate.ts';
export { type Expression, type FieldSpec, parseThresholds, type Threshold } from './parse.ts';
