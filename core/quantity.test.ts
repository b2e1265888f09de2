import { describe, expect, it } from 'vitest';
import { parseBytes, parseCount, parseCpuMillis, parseQuantityValue, QuantityError } from './quantity.ts';

describe('parseCpuMillis', () => {
  it.each([
    ['500m', 500],
    ['2', 2000],
    [2, 2000],
    [40, 40000],
    ['3000m', 3000],
    ['0.1', 100],
    ['.5', 500],
    ['1e3', 1_000_000],
    ['1.5', 1500],
    ['100u', 1],
    ['7000000m', 7_000_000],
  ])('%s → %d', (input, expected) => {
    expect(parseCpuMillis(input)).toBe(expected);
  });
});

describe('parseBytes', () => {
  it.each([
    ['1.5Gi', 1610612736],
    ['100M', 100_000_000],
    ['128Mi', 134217728],
    ['1Ki', 1024],
    ['700Gi', 751619276800],
    ['1e3', 1000],
    [1024, 1024],
    ['129e6', 129_000_000],
    ['1.1k', 1100],
    ['0.5Ki', 512],
    ['1m', 1],
  ])('%s → %d', (input, expected) => {
    expect(parseBytes(input)).toBe(expected);
  });
});

describe('other quantities', () => {
  it('reads milli targets as fractional values', () => {
    expect(parseQuantityValue('7000000m')).toBe(7000);
    expect(parseQuantityValue('250m')).toBe(0.25);
  });

  it('reads GPU counts from numbers and strings', () => {
    expect(parseCount('1')).toBe(1);
    expect(parseCount(2)).toBe(2);
    expect(() => parseCount('1.5')).toThrow(QuantityError);
  });

  it.each(['1.5.5Gi', 'Gi', '1GB', '', 'abc', '1 Gi', '--1'])(
    'rejects %j with the input in the message',
    (bad) => {
      expect(() => parseBytes(bad)).toThrow(
        new RegExp(`invalid quantity ${JSON.stringify(JSON.stringify(bad)).slice(1, -1)}`),
      );
    },
  );
});
