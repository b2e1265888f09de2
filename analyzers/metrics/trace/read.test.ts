import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MigrateError } from '../../../core/errors.ts';
import { readTraceFile } from './read.ts';

const dir = mkdtempSync(join(tmpdir(), 'migrate-trace-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let counter = 0;
function file(name: string, text: string): string {
  counter += 1;
  const path = join(dir, `${counter}-${name}`);
  writeFileSync(path, text);
  return path;
}

async function failure(promise: Promise<unknown>): Promise<MigrateError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MigrateError);
  return error as MigrateError;
}

describe('per-request files', () => {
  it('reads epoch seconds, a duration column with its unit, and the latency distribution', async () => {
    const rows = Array.from({ length: 100 }, (_, i) => `${1_700_000_000 + i * 0.5},${i + 1}`);
    const path = file('a.csv', `ts,latency_ms\n${rows.join('\n')}\n`);

    const profile = await readTraceFile(path);

    expect(profile.stats.requests).toBe(100);
    expect(profile.stats.durationSeconds).toBeCloseTo(49.5, 9);
    expect(profile.series).toMatchObject({ startMs: 1_700_000_000_000, stepSeconds: 1, timeBase: 'epoch' });
    expect(profile.series.requests.slice(0, 3)).toEqual([2, 2, 2]);
    expect(profile.serviceTimesMs?.slice(0, 2)).toEqual([1, 2]);
    expect(profile.latency).toMatchObject({ p50Ms: 50, p99Ms: 99, samples: 100 });
    expect(profile.origin).toMatchObject({
      columns: { time: 'ts', duration: 'latency_ms' },
      timeFormat: 'epoch-s',
    });
  });

  it('reads TSV with ISO times and a duration unit given by flag', async () => {
    const path = file(
      'b.tsv',
      'time\tduration\n2024-01-01T00:00:00Z\t0.5\n2024-01-01T00:00:30Z\t1.5\n2024-01-01T00:01:10Z\t\n',
    );

    const profile = await readTraceFile(path, { durationUnit: 's' });

    expect(profile.stats.requests).toBe(3);
    expect(profile.serviceTimesMs).toEqual([500, 1500, null]);
    expect(profile.stats.durationSeconds).toBe(70);
  });

  it('notes a duration column whose unit it cannot know instead of guessing', async () => {
    const path = file('c.csv', 'timestamp,duration\n1700000000,3\n1700000001,4\n');

    const profile = await readTraceFile(path);

    expect(profile.serviceTimesMs).toBeUndefined();
    expect(profile.warnings.join('\n')).toContain('--duration-unit');
  });

  it('reports bad rows with line numbers and counts them', async () => {
    const path = file('d.csv', 'ts,x\n1700000000,1\nnot-a-time,2\n1700000002,3\n\n,5\n1700000004,6\n');

    const profile = await readTraceFile(path);

    expect(profile.stats.requests).toBe(3);
    expect(profile.origin).toMatchObject({
      badRows: 2,
      dataRows: 3,
      lines: 7,
      badRowSamples: [
        { line: 3, reason: expect.stringContaining('not-a-time') },
        { line: 6, reason: 'no value in ts' },
      ],
    });
    expect(profile.warnings.join('\n')).toMatch(/2 bad rows skipped .*:3: /);
  });

  it('sorts out-of-order rows into place and carries their durations along', async () => {
    const path = file('e.csv', 'ts,duration_ms\n1700000010,10\n1700000000,0\n1700000005,5\n1700000070,70\n');

    const profile = await readTraceFile(path);

    expect(profile.arrivalOffsetsMs).toEqual([0, 5000, 10000, 70000]);
    expect(profile.serviceTimesMs).toEqual([0, 5, 10, 70]);
    expect(profile.origin).toMatchObject({ outOfOrderRows: 1 });
    expect(profile.stats.durationSeconds).toBe(70);
    expect(profile.warnings.join('\n')).toContain('sorted into place');
  });

  it('keeps out-of-order rows when streaming, extending the bins backwards', async () => {
    const path = file('f.csv', 'ts\n1700000010\n1700000000\n1700000005\n1700000070\n');

    const profile = await readTraceFile(path, { keepArrivals: false });

    expect(profile.stats.requests).toBe(4);
    expect(profile.series.startMs).toBe(1_700_000_000_000);
    expect(profile.stats.durationSeconds).toBe(70);
    expect(profile.stats.largestIncreasePerMinute).toBe(0);
  });

  it('handles quoted CSV fields, CRLF endings and a byte-order mark', async () => {
    const path = file(
      'g.csv',
      '\uFEFF"when","note"\r\n"2024-01-01 00:00:00","a, b"\r\n"2024-01-01 00:00:01","c ""d"""\r\n',
    );

    const profile = await readTraceFile(path, { timeColumn: 'when' });

    expect(profile.stats.requests).toBe(2);
    expect(profile.origin).toMatchObject({ badRows: 0, columns: { time: 'when' } });
  });

  it('reads JSON Lines, reporting lines that are not JSON objects', async () => {
    const path = file('h.jsonl', '{"t_ms": 0}\n{"t_ms": 1000}\nnot json\n[1]\n{"t_ms": 61000}\n');

    const profile = await readTraceFile(path, { timeColumn: 't_ms' });

    expect(profile.stats.requests).toBe(3);
    expect(profile.series.timeBase).toBe('relative');
    expect(profile.origin).toMatchObject({
      badRows: 2,
      badRowSamples: [
        { line: 3, reason: 'not valid JSON' },
        { line: 4, reason: 'not a JSON object' },
      ],
    });
  });

  it('refers to columns by number in a headerless file', async () => {
    const path = file('i.csv', '7,1700000000123\n8,1700000001123\n');

    const profile = await readTraceFile(path, { timeColumn: '2' });

    expect(profile.origin).toMatchObject({ timeFormat: 'epoch-ms', columns: { time: '2' } });
    expect(profile.stats.requests).toBe(2);
  });
});

describe('errors the user can fix', () => {
  it('lists the columns when none is clearly the time', async () => {
    const error = await failure(readTraceFile(file('j.csv', 'app,func,end_timestamp\na,b,1\n')));

    expect(error.message).toContain('"app", "func", "end_timestamp"');
    expect(error.hint).toContain('--time-column');
  });

  it('lists the candidates when several could be the time', async () => {
    const error = await failure(readTraceFile(file('k.csv', 'time,timestamp\n1700000000,1700000000\n')));

    expect(error.message).toContain('time, timestamp');
  });

  it('asks for a unit when small times could be seconds or ms', async () => {
    const error = await failure(readTraceFile(file('l.csv', 'timestamp\n0\n5\n')));

    expect(error.message).toContain('seconds or milliseconds');
    expect(error.hint).toContain('--time-format');
  });

  it('names a missing column, a bad format and an empty file', async () => {
    const path = file('m.csv', 'ts\n1700000000\n');

    expect((await failure(readTraceFile(path, { timeColumn: 'when' }))).message).toContain(
      'no time column "when"',
    );
    expect((await failure(readTraceFile(path, { timeFormat: 'julian' }))).message).toContain(
      'unknown time format',
    );
    expect((await failure(readTraceFile(file('n.csv', '')))).message).toContain('empty');
    expect((await failure(readTraceFile(join(dir, 'missing.csv')))).message).toContain('no such file');
  });

  it('fails with line numbers when no row is usable', async () => {
    const path = file('o.csv', 'ts\n\nx\ny\n');

    const detected = await failure(readTraceFile(path));
    const streamed = await failure(readTraceFile(path, { timeFormat: 'epoch-s' }));

    expect(detected.message).toMatch(/o\.csv:3: column "ts": "x" is neither ISO-8601 nor a number/);
    expect(streamed.message).toMatch(/no usable rows \(2 bad\)\n {2}line 3: .*\n {2}line 4: /);
  });
});

describe('count files', () => {
  it('reads a bare column of counts with a step', async () => {
    const path = file('p.txt', '5\n0\n0\n12\n3\n');

    const profile = await readTraceFile(path, { stepSeconds: 60 });

    expect(profile.series).toMatchObject({
      stepSeconds: 60,
      requests: [5, 0, 0, 12, 3],
      timeBase: 'relative',
    });
    expect(profile.stats).toMatchObject({ requests: 20, durationSeconds: 300, largestIncreasePerMinute: 12 });
    expect(profile.origin).toMatchObject({ format: 'counts' });
  });

  it('refuses bare counts without a step', async () => {
    const error = await failure(readTraceFile(file('q.txt', '5\n0\n')));

    expect(error.hint).toContain('--step');
  });

  it('infers the step from a time column and keeps missing steps as gaps, not zeros', async () => {
    const path = file('r.csv', 'time,count\n1700000000,10\n1700000120,30\n1700000060,20\n1700000240,0\n');

    const profile = await readTraceFile(path);

    expect(profile.series).toMatchObject({
      stepSeconds: 60,
      requests: [10, 20, 30, 0, 0],
      missingSteps: [3],
    });
    expect(profile.stats).toMatchObject({ requests: 60, bins: 4, idleFraction: 0.25, missingFraction: 0.2 });
    expect(profile.origin).toMatchObject({ outOfOrderRows: 1 });
    expect(profile.warnings.join('\n')).toContain('gaps, not zeros');
  });

  it('reports rows off the step grid as bad rows', async () => {
    const path = file('s.csv', 'time,requests\n1700000000,1\n1700000060,2\n1700000090,3\n');

    const profile = await readTraceFile(path, { stepSeconds: 60 });

    expect(profile.stats.requests).toBe(3);
    expect(profile.origin).toMatchObject({ badRows: 1, badRowSamples: [{ line: 4 }] });
  });
});

describe('ServeGen files', () => {
  it('reads one client file as rate × window and reports its bad rows', async () => {
    const path = file(
      'chunk-3-trace.csv',
      '0,0,0,,0,0\n600,2.5,1.1,Gamma,0.8,0.5\n1200,x,1,Gamma,1,1\n1800,1,1,Weibull,1,1\n',
    );

    const profile = await readTraceFile(path);

    expect(profile.series).toMatchObject({
      stepSeconds: 600,
      requests: [0, 1500, 0, 600],
      missingSteps: [2],
    });
    expect(profile.origin).toMatchObject({ format: 'servegen', badRows: 1, badRowSamples: [{ line: 3 }] });
    expect(profile.stats.resolutionSeconds).toBe(600);
  });

  it('sums the clients of a folder window by window', async () => {
    const folder = join(dir, 'servegen');
    mkdirSync(folder);
    writeFileSync(join(folder, 'chunk-0-trace.csv'), '0,1,1,Gamma,1,1\n600,2,1,Gamma,1,1\n');
    writeFileSync(join(folder, 'chunk-10-trace.csv'), '0,0.5,1,Gamma,1,1\n600,0,0,,0,0\n');
    writeFileSync(join(folder, 'README.md'), 'not a client');

    const profile = await readTraceFile(folder);

    expect(profile.series.requests).toEqual([900, 1200]);
    expect(profile.origin).toMatchObject({ files: ['chunk-0-trace.csv', 'chunk-10-trace.csv'], dataRows: 4 });
  });

  it('refuses a folder that is not a ServeGen workload', async () => {
    const folder = join(dir, 'empty-folder');
    mkdirSync(folder);

    const error = await failure(readTraceFile(folder));

    expect(error.message).toContain('no chunk-<client>-trace.csv');
  });
});
