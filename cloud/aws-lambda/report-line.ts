/**
 * The REPORT line Lambda writes after every invocation, read from the tail Invoke returns with
 * LogType Tail (X-Amz-Log-Result: base64 of the last 4 KB of the log). Pure.
 *
 *   REPORT RequestId: 3604209a-…  Duration: 12.34 ms  Billed Duration: 13 ms  Memory Size: 1024 MB
 *   Max Memory Used: 80 MB  Init Duration: 230.51 ms
 *
 * Fields are tab-separated; Init Duration appears only when the invocation started a new execution
 * environment (a cold start). The tail is cut at 4 KB, so a line may be incomplete: without a
 * Duration it counts as no REPORT line.
 */

export interface ReportLine {
  durationMs: number;
  billedDurationMs: number | null;
  memorySizeMb: number | null;
  maxMemoryUsedMb: number | null;
  /** The Init phase of a new execution environment; null on a warm invocation. */
  initDurationMs: number | null;
}

export function decodeLogResult(logResult: string | undefined): string {
  return logResult ? Buffer.from(logResult, 'base64').toString('utf8') : '';
}

/** The last REPORT line in the log tail, or null when there is none (or it was cut before Duration). */
export function parseReportLine(log: string): ReportLine | null {
  const lines = log.split('\n').filter((line) => line.startsWith('REPORT '));
  const line = lines.at(-1);
  if (!line) return null;
  const field = (label: string, unit: string): number | null => {
    // Not preceded by another word: `Duration` must not match inside `Billed Duration` or `Init Duration`.
    const match = new RegExp(`(?<![A-Za-z] )${label}: ([0-9]+(?:\\.[0-9]+)?) ${unit}(?=\\s|$)`).exec(line);
    return match ? Number(match[1]) : null;
  };
  const durationMs = field('Duration', 'ms');
  if (durationMs === null) return null;
  return {
    durationMs,
    billedDurationMs: field('Billed Duration', 'ms'),
    memorySizeMb: field('Memory Size', 'MB'),
    maxMemoryUsedMb: field('Max Memory Used', 'MB'),
    initDurationMs: field('Init Duration', 'ms'),
  };
}
