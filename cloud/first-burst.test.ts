import { describe, expect, it } from 'vitest';
import { coldStartsFromFirstBurst, medianOf } from './first-burst.ts';

describe('coldStartsFromFirstBurst', () => {
  it('subtracts the warm median from first-burst requests slower than every warm one', () => {
    const result = coldStartsFromFirstBurst([320, 330], [20, 22, 21, 25]);
    expect(result.warmMedianMs).toBe(21.5);
    expect(result.coldStartMs).toEqual([298.5, 308.5]);
    expect(result.note).toMatch(
      /^each cold start is a first-burst request's time minus the warm median 21.5 ms$/,
    );
  });

  it('records no cold start when the first burst was as fast as the warm requests', () => {
    const result = coldStartsFromFirstBurst([24, 23], [20, 22, 21, 25]);
    expect(result.coldStartMs).toEqual([]);
    expect(result.note).toMatch(/probably not at zero/);
  });

  it('leaves out first-burst requests that met a warm instance, and says how many', () => {
    const result = coldStartsFromFirstBurst([320, 22], [20, 22, 21, 25]);
    expect(result.coldStartMs).toEqual([298.5]);
    expect(result.note).toMatch(/1 of the 2 first-burst request\(s\) were no slower/);
  });

  it('cannot compute anything without a warm request', () => {
    const result = coldStartsFromFirstBurst([320], []);
    expect(result).toMatchObject({ coldStartMs: [], warmMedianMs: null });
    expect(result.note).toMatch(/send more requests than --concurrency/);
  });
});

describe('medianOf', () => {
  it('takes the middle value, or the mean of the two middle ones', () => {
    expect(medianOf([3, 1, 2])).toBe(2);
    expect(medianOf([4, 1, 3, 2])).toBe(2.5);
    expect(medianOf([])).toBeNull();
  });
});
