/**
 * The tokenizer of the threshold language (docs/report.md#thresholds): numbers, double- or
 * single-quoted strings, identifiers, comparison operators, parentheses and commas. `and`, `or` and
 * `not` are identifiers the parser reads as keywords. Hand-written so every error can point at a column.
 */

import { MigrateError } from '../../core/errors.ts';

export type TokenKind = 'number' | 'string' | 'identifier' | 'operator' | '(' | ')' | ',' | 'end';

export interface Token {
  kind: TokenKind;
  /** The source text of the token; for strings, the unquoted value. */
  text: string;
  /** For numbers, the value. */
  value: number;
  /** 0-based offset in the expression, for error carets. */
  offset: number;
}

const OPERATORS = ['==', '!=', '<=', '>=', '<', '>', '='] as const;

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let offset = 0;
  const push = (kind: TokenKind, text: string, start: number, value = Number.NaN) =>
    tokens.push({ kind, text, value, offset: start });
  while (offset < source.length) {
    const char = source[offset]!;
    if (/\s/.test(char)) {
      offset += 1;
    } else if (char === '(' || char === ')' || char === ',') {
      push(char, char, offset);
      offset += 1;
    } else if (char === '"' || char === "'") {
      const end = source.indexOf(char, offset + 1);
      if (end < 0) throw thresholdError(source, offset, `the string starting here has no closing ${char}`);
      push('string', source.slice(offset + 1, end), offset);
      offset = end + 1;
    } else if (/[0-9.]/.test(char) || (char === '-' && /[0-9.]/.test(source[offset + 1] ?? ''))) {
      const match = /^-?(?:\d+(?:_\d+)*(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?/.exec(source.slice(offset))!;
      const text = match[0];
      const value = Number(text.replace(/_/g, ''));
      if (!Number.isFinite(value)) throw thresholdError(source, offset, `${text} is not a number`);
      if (/[A-Za-z_%]/.test(source[offset + text.length] ?? ''))
        throw thresholdError(
          source,
          offset + text.length,
          'a number is followed by letters; units are part of the field name (p99_ms > 800, not p99 > 800ms)',
        );
      push('number', text, offset, value);
      offset += text.length;
    } else if (/[A-Za-z_]/.test(char)) {
      const text = /^[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(offset))![0];
      push('identifier', text, offset);
      offset += text.length;
    } else {
      const operator = OPERATORS.find((candidate) => source.startsWith(candidate, offset));
      if (!operator)
        throw thresholdError(
          source,
          offset,
          `unexpected ${JSON.stringify(char)}; operators are == != < <= > >=, and, or, not, ( )`,
        );
      push('operator', operator === '=' ? '==' : operator, offset);
      offset += operator.length;
    }
  }
  push('end', '', source.length);
  return tokens;
}

/** An error in a --fail-on expression: the message, the expression, and a caret under the column. */
export function thresholdError(source: string, offset: number, message: string, hint?: string): MigrateError {
  return new MigrateError(
    `--fail-on ${JSON.stringify(source)}: ${message} (column ${offset + 1})\n  ${source}\n  ${' '.repeat(offset)}^`,
    { hint: hint ?? 'see docs/report.md#thresholds for the fields and the grammar' },
  );
}
