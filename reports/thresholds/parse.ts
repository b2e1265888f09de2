/**
 * The recursive-descent parser of the threshold language, with a type check against the fields the
 * report knows. Grammar (lowest precedence first):
 *
 *   list        := expression (',' expression)* end
 *   expression  := conjunction ('or' conjunction)*
 *   conjunction := negation ('and' negation)*
 *   negation    := 'not' negation | primary
 *   primary     := '(' expression ')' | operand operator operand
 *   operand     := number | string | field
 *   operator    := == | != | < | <= | > | >=        (= is read as ==)
 */

import { type Token, thresholdError, tokenize } from './tokenize.ts';

export type Operand =
  | { kind: 'field'; name: string; offset: number }
  | { kind: 'number'; value: number; offset: number }
  | { kind: 'string'; value: string; offset: number };

export type Comparator = '==' | '!=' | '<' | '<=' | '>' | '>=';

export type Expression =
  | { kind: 'or' | 'and'; left: Expression; right: Expression }
  | { kind: 'not'; operand: Expression }
  | { kind: 'compare'; op: Comparator; left: Operand; right: Operand; offset: number };

export interface FieldSpec {
  name: string;
  type: 'number' | 'string';
  /** The values a string field can take; a literal outside them is an error (a typo would never match). */
  values?: readonly string[];
  description: string;
}

/** One parsed threshold: its text (as shown in every report format) and its tree. */
export interface Threshold {
  source: string;
  expression: Expression;
  /** Fields it reads, in order of appearance: reports show their values beside a violation. */
  fields: string[];
}

const KEYWORDS = new Set(['and', 'or', 'not']);

/** Parses one `--fail-on` argument, which may hold several thresholds separated by commas. */
export function parseThresholds(source: string, fields: readonly FieldSpec[]): Threshold[] {
  const parser = new Parser(source, tokenize(source), fields);
  return parser.list();
}

class Parser {
  private index = 0;
  private used: string[] = [];

  constructor(
    private readonly source: string,
    private readonly tokens: Token[],
    private readonly fields: readonly FieldSpec[],
  ) {}

  list(): Threshold[] {
    const thresholds: Threshold[] = [];
    for (;;) {
      const start = this.peek().offset;
      this.used = [];
      const expression = this.expression();
      const end = this.peek().offset;
      thresholds.push({
        source: this.source.slice(start, end).trim(),
        expression,
        fields: [...new Set(this.used)],
      });
      if (this.peek().kind === ',') {
        this.index += 1;
        continue;
      }
      if (this.peek().kind !== 'end')
        throw this.fail(
          this.peek(),
          `expected and, or, a comma or the end; got ${this.describe(this.peek())}`,
        );
      return thresholds;
    }
  }

  private expression(): Expression {
    let left = this.conjunction();
    while (this.keyword('or')) left = { kind: 'or', left, right: this.conjunction() };
    return left;
  }

  private conjunction(): Expression {
    let left = this.negation();
    while (this.keyword('and')) left = { kind: 'and', left, right: this.negation() };
    return left;
  }

  private negation(): Expression {
    if (this.keyword('not')) return { kind: 'not', operand: this.negation() };
    return this.primary();
  }

  private primary(): Expression {
    const token = this.peek();
    if (token.kind === '(') {
      this.index += 1;
      const inner = this.expression();
      if (this.peek().kind !== ')')
        throw this.fail(this.peek(), `expected ) to close the ( at column ${token.offset + 1}`);
      this.index += 1;
      return inner;
    }
    const left = this.operand();
    const operator = this.peek();
    if (operator.kind !== 'operator')
      throw this.fail(
        operator,
        `expected a comparison (== != < <= > >=) after ${this.source.slice(token.offset, operator.offset).trim()}; got ${this.describe(operator)}`,
      );
    this.index += 1;
    const right = this.operand();
    const compare = {
      kind: 'compare' as const,
      op: operator.text as Comparator,
      left,
      right,
      offset: operator.offset,
    };
    this.check(compare);
    return compare;
  }

  private operand(): Operand {
    const token = this.peek();
    this.index += 1;
    if (token.kind === 'number') return { kind: 'number', value: token.value, offset: token.offset };
    if (token.kind === 'string') return { kind: 'string', value: token.text, offset: token.offset };
    if (token.kind === 'identifier' && !KEYWORDS.has(token.text)) {
      if (token.text === 'true' || token.text === 'false')
        throw this.fail(token, 'there are no booleans: compare a field with a number or a string');
      const field = this.fields.find((entry) => entry.name === token.text);
      if (!field) throw this.unknownField(token);
      this.used.push(field.name);
      return { kind: 'field', name: field.name, offset: token.offset };
    }
    this.index -= 1;
    throw this.fail(token, `expected a field, a number or a string; got ${this.describe(token)}`);
  }

  /** Types are known before any result is: a mistake is reported at once, not after a long run. */
  private check(compare: Extract<Expression, { kind: 'compare' }>): void {
    const { left, right } = compare;
    const typeOf = (operand: Operand) =>
      operand.kind === 'field'
        ? this.fields.find((field) => field.name === operand.name)!.type
        : operand.kind;
    if (left.kind !== 'field' && right.kind !== 'field')
      throw thresholdError(this.source, left.offset, 'compares two constants; one side must be a field');
    if (typeOf(left) !== typeOf(right))
      throw thresholdError(
        this.source,
        compare.offset,
        `compares a ${typeOf(left)} with a ${typeOf(right)}${left.kind === 'field' ? ` (${left.name} is a ${typeOf(left)})` : ''}`,
      );
    if (typeOf(left) === 'string' && compare.op !== '==' && compare.op !== '!=')
      throw thresholdError(
        this.source,
        compare.offset,
        `strings compare only with == and !=, not ${compare.op}`,
      );
    for (const [field, literal] of [
      [left, right],
      [right, left],
    ] as const) {
      if (field.kind !== 'field' || literal.kind !== 'string') continue;
      const values = this.fields.find((entry) => entry.name === field.name)!.values;
      if (values && !values.includes(literal.value))
        throw thresholdError(
          this.source,
          literal.offset,
          `${field.name} is never ${JSON.stringify(literal.value)}`,
          `${field.name} is one of: ${values.map((value) => JSON.stringify(value)).join(', ')}`,
        );
    }
  }

  private unknownField(token: Token) {
    const names = this.fields.map((field) => field.name);
    const close = names.filter(
      (name) => name.startsWith(token.text) || token.text.startsWith(name.split('_')[0]!),
    );
    return thresholdError(
      this.source,
      token.offset,
      `unknown field ${JSON.stringify(token.text)}${close.length ? ` (did you mean ${close.slice(0, 3).join(', ')}?)` : ''}`,
      `known fields: ${names.join(', ')}`,
    );
  }

  private keyword(word: string): boolean {
    const token = this.peek();
    if (token.kind === 'identifier' && token.text === word) {
      this.index += 1;
      return true;
    }
    return false;
  }

  private peek(): Token {
    return this.tokens[this.index]!;
  }

  private describe(token: Token): string {
    if (token.kind === 'end') return 'the end of the expression';
    if (token.kind === 'string') return `the string ${JSON.stringify(token.text)}`;
    return JSON.stringify(token.text);
  }

  private fail(token: Token, message: string) {
    return thresholdError(this.source, token.offset, message);
  }
}
