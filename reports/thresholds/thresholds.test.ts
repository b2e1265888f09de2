import { describe, expect, it } from 'vitest';
import { MigrateError } from '../../core/errors.ts';
import { type FieldSpec, holds, parseThresholds } from './index.ts';
import { tokenize } from './tokenize.ts';

const FIELDS: FieldSpec[] = [
  { name: 'p99_ms', type: 'number', description: '' },
  { name: 'timeouts', type: 'number', description: '' },
  { name: 'target', type: 'string', values: ['kubernetes', 'aws-lambda'], description: '' },
  { name: 'workload', type: 'string', description: '' },
];

const check = (source: string, row: Record<string, number | string | null>) =>
  parseThresholds(source, FIELDS).map((threshold) => holds(threshold, row));

function errorOf(source: string): MigrateError {
  try {
    parseThresholds(source, FIELDS);
  } catch (error) {
    if (error instanceof MigrateError) return error;
    throw error;
  }
  throw new Error(`no error for ${source}`);
}

describe('the threshold language', () => {
  it('tokenizes numbers, strings, identifiers, operators and parentheses with their columns', () => {
    expect(
      tokenize("(p99_ms >= 1_000.5) and target != 'x'").map((token) => [
        token.kind,
        token.text,
        token.offset,
      ]),
    ).toEqual([
      ['(', '(', 0],
      ['identifier', 'p99_ms', 1],
      ['operator', '>=', 8],
      ['number', '1_000.5', 11],
      [')', ')', 18],
      ['identifier', 'and', 20],
      ['identifier', 'target', 24],
      ['operator', '!=', 31],
      ['string', 'x', 34],
      ['end', '', 37],
    ]);
  });

  it.each([
    ['p99_ms > 800 and target == "aws-lambda"', { p99_ms: 900, target: 'aws-lambda' }, true],
    ['p99_ms > 800 and target == "aws-lambda"', { p99_ms: 900, target: 'kubernetes' }, false],
    ['timeouts > 0 or p99_ms >= 2000', { p99_ms: 2000, timeouts: 0 }, true],
    ['not (timeouts > 0)', { timeouts: 0 }, true],
    ['not timeouts > 0 and p99_ms < 10', { timeouts: 3, p99_ms: 5 }, false],
    [
      'timeouts > 0 or p99_ms > 1 and target == "kubernetes"',
      { timeouts: 1, p99_ms: 0, target: 'aws-lambda' },
      true,
    ],
    [
      '(timeouts > 0 or p99_ms > 1) and target == "kubernetes"',
      { timeouts: 1, p99_ms: 0, target: 'aws-lambda' },
      false,
    ],
    ['p99_ms = 5', { p99_ms: 5 }, true],
    ['800 < p99_ms', { p99_ms: 801 }, true],
    ['p99_ms > -1e3', { p99_ms: -999 }, true],
  ])('%s holds for %j: %s', (source, row, expected) => {
    expect(check(source, row)).toEqual([expected]);
  });

  it('treats a comparison with a missing value as false, so a target that did not run never violates a limit', () => {
    expect(check('p99_ms > 800', { p99_ms: null })).toEqual([false]);
    expect(check('not (p99_ms > 800)', { p99_ms: null })).toEqual([true]);
  });

  it('splits one argument into several thresholds at top-level commas, keeping each one’s text', () => {
    const thresholds = parseThresholds('timeouts > 0, p99_ms > 800 and workload == "a,b" ', FIELDS);
    expect(thresholds.map((threshold) => threshold.source)).toEqual([
      'timeouts > 0',
      'p99_ms > 800 and workload == "a,b"',
    ]);
    expect(thresholds[1]!.fields).toEqual(['p99_ms', 'workload']);
  });

  it('names an unknown field, suggests close ones and lists the known fields', () => {
    const error = errorOf('p99 > 800');
    expect(error.message).toContain('unknown field "p99" (did you mean p99_ms?) (column 1)');
    expect(error.message).toContain('\n  p99 > 800\n  ^');
    expect(error.hint).toBe('known fields: p99_ms, timeouts, target, workload');
    expect(error.exitCode).toBe(2);
  });

  it.each([
    ['p99_ms > "800"', 'compares a number with a string (p99_ms is a number) (column 8)'],
    ['target > "aws-lambda"', 'strings compare only with == and !=, not >'],
    ['target == "aws-lamda"', 'target is never "aws-lamda"'],
    ['1 < 2', 'compares two constants'],
    ['p99_ms > 800ms', 'units are part of the field name'],
    ['p99_ms > 800 and', 'expected a field, a number or a string; got the end of the expression'],
    ['(p99_ms > 800', 'expected ) to close the ( at column 1'],
    ['p99_ms 800', 'expected a comparison (== != < <= > >=) after p99_ms; got "800"'],
    ['p99_ms > 800 timeouts', 'expected and, or, a comma or the end; got "timeouts"'],
    ['target == "x', 'has no closing "'],
    ['p99_ms ~ 3', 'unexpected "~"'],
    ['timeouts == true', 'there are no booleans'],
  ])('rejects %s: %s', (source, message) => {
    expect(errorOf(source).message).toContain(message);
  });
});
