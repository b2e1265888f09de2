import { describe, expect, it } from 'vitest';
import { decodeLogResult, parseReportLine } from './report-line.ts';

const ID = '3604209a-e9a3-11e6-939a-754dd98c7be3';

describe('parseReportLine', () => {
  it('reads a cold invocation (tab-separated, as Lambda writes it)', () => {
    const log = [
      `START RequestId: ${ID} Version: $LATEST`,
      'loading model',
      `END RequestId: ${ID}`,
      `REPORT RequestId: ${ID}\tDuration: 12.34 ms\tBilled Duration: 13 ms\tMemory Size: 1024 MB\tMax Memory Used: 80 MB\tInit Duration: 230.51 ms\t`,
      '',
    ].join('\n');
    expect(parseReportLine(log)).toEqual({
      durationMs: 12.34,
      billedDurationMs: 13,
      memorySizeMb: 1024,
      maxMemoryUsedMb: 80,
      initDurationMs: 230.51,
    });
  });

  it('a warm invocation has no Init Duration; Billed Duration is not taken for Duration', () => {
    const line = `REPORT RequestId: ${ID}  Billed Duration: 99 ms  Duration: 7.5 ms  Memory Size: 128 MB  Max Memory Used: 20 MB`;
    expect(parseReportLine(line)).toMatchObject({
      durationMs: 7.5,
      billedDurationMs: 99,
      initDurationMs: null,
    });
  });

  it('a REPORT line cut before its Duration, or none at all, gives null', () => {
    expect(parseReportLine(`END RequestId: ${ID}\nREPORT RequestId: ${ID}\tDur`)).toBeNull();
    expect(parseReportLine(`START RequestId: ${ID} Version: $LATEST\nEND RequestId: ${ID}\n`)).toBeNull();
  });

  it('decodes the base64 X-Amz-Log-Result', () => {
    expect(decodeLogResult(Buffer.from('REPORT x').toString('base64'))).toBe('REPORT x');
    expect(decodeLogResult(undefined)).toBe('');
  });
});
