import type { Comparator, Expression, Operand, Threshold } from './parse.ts';

/** A result row as the thresholds see it: field name → value; null when the row has no such figure. */
export type FieldValues = Readonly<Record<string, number | string | null>>;

/**
 * Whether the threshold holds for the row. A comparison with a missing value (null: a blocked target
 * has no latency) is false, as in SQL, so `p99_ms > 800` never fires for a target that did not run.
 */
export function holds(threshold: Threshold, row: FieldValues): boolean {
  return evaluate(threshold.expression, row);
}

function evaluate(expression: Expression, row: FieldValues): boolean {
  switch (expression.kind) {
    case 'or':
      return evaluate(expression.left, row) || evaluate(expression.right, row);
    case 'and':
      return evaluate(expression.left, row) && evaluate(expression.right, row);
    case 'not':
      return !evaluate(expression.operand, row);
    case 'compare': {
      const left = value(expression.left, row);
      const right = value(expression.right, row);
      if (left === null || right === null) return false;
      return compare(expression.op, left, right);
    }
  }
}

function value(operand: Operand, row: FieldValues): number | string | null {
  return operand.kind === 'field' ? (row[operand.name] ?? null) : operand.value;
}

function compare(op: Comparator, left: number | string, right: number | string): boolean {
  switch (op) {
    case '==':
      return left === right;
    case '!=':
      return left !== right;
    case '<':
      return left < right;
    case '<=':
      return left <= right;
    case '>':
      return left > right;
    case '>=':
      return left >= right;
  }
}
