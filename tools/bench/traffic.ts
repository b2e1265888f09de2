/**
 * Benchmark: the trace reader (`readTraceFile`, streaming, rate series only) over a generated
 * 10-million-row CSV in the Azure LLM trace's layout (`TIMESTAMP,ContextTokens,GeneratedTokens`,
 * 100-ns ISO times), against a bare line split of the same file in the same run. Prints figures, then
 * one JSON line with them, `ratio` (reader time / bare split time) and the peak RSS.
 *
 * BENCH_ROWS and BENCH_ROUNDS override the size and the rounds (the best round counts).
 */

import { closeSync, createReadStream, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readTraceFile } from '../../analyzers/metrics/trace/read.ts';
import { createRandom } from '../../core/random.ts';

const ROWS = Number(process.env.BENCH_ROWS ?? 10_000_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** Poisson arrivals at ~2,800 req/s from 2023-11-16 18:00 UTC: about an hour for 10 M rows. */
function generate(path: string, rows: number) {
  const random = createRandom(1);
  const fd = openSync(path, 'w');
  let buffer = 'TIMESTAMP,ContextTokens,GeneratedTokens\n';
  let ticks = 0; // 100-ns units after 18:00:00
  for (let i = 0; i < rows; i++) {
    ticks += Math.round(random.nextExponential(2800) * 1e7);
    const seconds = Math.floor(ticks / 1e7);
    const clock = `${pad(18 + Math.floor(seconds / 3600), 2)}:${pad(Math.floor(seconds / 60) % 60, 2)}:${pad(seconds % 60, 2)}`;
    buffer += `2023-11-16 ${clock}.${pad(ticks % 1e7, 7)},${100 + random.nextInt(8000)},${1 + random.nextInt(500)}\n`;
    if (buffer.length > 1 << 20) {
      writeSync(fd, buffer);
      buffer = '';
    }
  }
  writeSync(fd, buffer);
  closeSync(fd);
}

/**
 * The floor: split the file into line strings the way the reader does (newlines found in the bytes,
 * each line decoded), and do nothing with them.
 */
async function bareSplit(path: string): Promise<number> {
  let lines = 0;
  let characters = 0;
  let carry: Buffer | null = null;
  for await (const piece of createReadStream(path, { highWaterMark: 1 << 20 })) {
    const chunk: Buffer = carry ? Buffer.concat([carry, piece as Buffer]) : (piece as Buffer);
    let from = 0;
    for (let at = chunk.indexOf(10); at >= 0; at = chunk.indexOf(10, from)) {
      characters += chunk.toString('utf8', from, at).length;
      lines += 1;
      from = at + 1;
    }
    carry = from < chunk.length ? chunk.subarray(from) : null;
  }
  if (characters < 0) throw new Error('unreachable: keeps the decoded lines observable');
  return lines + (carry ? 1 : 0);
}

async function timed<T>(run: () => Promise<T>): Promise<{ seconds: number; value: T }> {
  const start = process.hrtime.bigint();
  const value = await run();
  return { seconds: Number(process.hrtime.bigint() - start) / 1e9, value };
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'migrate-bench-traffic-'));
  try {
    const path = join(dir, 'trace.csv');
    const generated = await timed(async () => generate(path, ROWS));
    const bytes = statSync(path).size;
    console.log(
      `generated ${ROWS.toLocaleString('en')} rows (${(bytes / 2 ** 20).toFixed(0)} MiB) in ${generated.seconds.toFixed(1)} s`,
    );

    let split = Number.POSITIVE_INFINITY;
    let reader = Number.POSITIVE_INFINITY;
    let requests = 0;
    for (let round = 1; round <= ROUNDS; round++) {
      const bare = await timed(() => bareSplit(path));
      if (bare.value !== ROWS + 1)
        throw new Error(`bare split counted ${bare.value} lines, expected ${ROWS + 1}`);
      const read = await timed(() => readTraceFile(path, { keepArrivals: false }));
      requests = read.value.stats.requests;
      if (requests !== ROWS) throw new Error(`reader counted ${requests} requests, expected ${ROWS}`);
      split = Math.min(split, bare.seconds);
      reader = Math.min(reader, read.seconds);
      console.log(
        `round ${round}: bare split ${bare.seconds.toFixed(2)} s, reader ${read.seconds.toFixed(2)} s`,
      );
    }

    const peakRssMiB = process.resourceUsage().maxRSS / 1024;
    const figures = {
      bench: 'traffic',
      rows: ROWS,
      fileBytes: bytes,
      readerSeconds: round(reader, 3),
      readerRowsPerSecond: Math.round(ROWS / reader),
      bareSplitSeconds: round(split, 3),
      bareSplitRowsPerSecond: Math.round((ROWS + 1) / split),
      ratio: round(reader / split, 2),
      peakRssMiB: round(peakRssMiB, 1),
      node: process.version,
    };
    console.log(
      `reader:     ${figures.readerRowsPerSecond.toLocaleString('en')} rows/s (${figures.readerSeconds} s)`,
    );
    console.log(
      `bare split: ${figures.bareSplitRowsPerSecond.toLocaleString('en')} rows/s (${figures.bareSplitSeconds} s)`,
    );
    console.log(`ratio (reader / bare split): ${figures.ratio}`);
    console.log(`peak RSS: ${figures.peakRssMiB} MiB`);
    console.log(JSON.stringify(figures));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function round(value: number, decimals: number): number {
  return Math.round(value * 10 ** decimals) / 10 ** decimals;
}

await main();
