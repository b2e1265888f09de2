import { describe, expect, it } from 'vitest';
import { detectTimeFormat, normaliseTimeFormat, timeParser, unitFromName } from './timestamps.ts';

describe('timeParser', () => {
  const iso = timeParser('iso');

  it.each([
    ['2023-11-16 18:17:03.9799600', Date.UTC(2023, 10, 16, 18, 17, 3) + 979.96],
    ['2023-11-16T18:17:03Z', Date.UTC(2023, 10, 16, 18, 17, 3)],
    ['2023-11-16T18:17:03.5+02:00', Date.UTC(2023, 10, 16, 16, 17, 3, 500)],
    ['2023-11-16T18:17:03-0130', Date.UTC(2023, 10, 16, 19, 47, 3)],
    ['2023-11-16T18:17', Date.UTC(2023, 10, 16, 18, 17)],
    ['2024-02-29', Date.UTC(2024, 1, 29)],
  ])('reads %s as UTC unless a zone is given', (text, expected) => {
    expect(iso(text)).toBeCloseTo(expected, 6);
  });

  it.each([
    '2023-02-30 00:00:00',
    '2023-11-16 25:00:00',
    '2023-13-01',
    'yesterday',
    '2023-11-16 18:17:03.',
    '2023-11-16X18:17',
  ])('rejects %s', (text) => {
    expect(iso(text)).toBeNaN();
  });

  it('scales numeric formats to ms and rejects empty text', () => {
    expect(timeParser('epoch-s')('1700000000.25')).toBe(1_700_000_000_250);
    expect(timeParser('epoch-us')('1700000000000000')).toBe(1_700_000_000_000);
    expect(timeParser('relative-ms')('1500')).toBe(1500);
    expect(timeParser('epoch-ms')('')).toBeNaN();
    expect(timeParser('epoch-ms')(' ')).toBeNaN();
  });
});

describe('detectTimeFormat', () => {
  it.each([
    ['2023-11-16 18:17:03.9799600', 'TIMESTAMP', 'iso'],
    ['1700000000', 'ts', 'epoch-s'],
    ['1700000000123', 'ts', 'epoch-ms'],
    ['1700000000123456', 'ts', 'epoch-us'],
    ['1500', 'arrival_ms', 'relative-ms'],
    ['12.5', 'time_s', 'relative-s'],
  ])('%s in %s is %s', (value, column, format) => {
    expect(detectTimeFormat(value, column)).toEqual({ format });
  });

  it('calls small numbers without a unit in the name ambiguous', () => {
    expect(detectTimeFormat('1500', 'timestamp')).toEqual({
      ambiguous: expect.stringContaining('seconds or milliseconds'),
    });
  });
});

describe('names', () => {
  it('reads units from column names and aliases from flags', () => {
    expect(unitFromName('latency_ms')).toBe('ms');
    expect(unitFromName('durationMs')).toBe('ms');
    expect(unitFromName('duration_seconds')).toBe('s');
    expect(unitFromName('e2e_us')).toBe('us');
    expect(unitFromName('requests')).toBeNull();
    expect(unitFromName('duration')).toBeNull();
    expect(normaliseTimeFormat('azure')).toBe('iso');
    expect(normaliseTimeFormat('EPOCH-MS')).toBe('epoch-ms');
    expect(normaliseTimeFormat('julian')).toBeNull();
  });
});
