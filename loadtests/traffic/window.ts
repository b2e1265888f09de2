/**
 * The part of a profile a replay runs: `--window START..END` (durations from the profile's start:
 * `10m..25m`, `600..1500`, `..30m`, `45m..`) or `--max-seconds N` (the first N seconds). Short windows
 * keep tests and trial runs fast; the arrivals inside are exactly the profile's.
 */

import { MigrateError } from '../../core/errors.ts';
import type { TrafficProfile } from '../../core/traffic/index.ts';
import { parseDurationSeconds } from '../../core/traffic/index.ts';

export interface ReplayWindow {
  /** Offsets after `series.startMs`, in ms. */
  startMs: number;
  endMs: number;
}

/** The whole profile: every step of the series (and every kept arrival). */
export function profileSpanMs(profile: TrafficProfile): number {
  const stepsMs = profile.series.requests.length * profile.series.stepSeconds * 1000;
  const arrivals = profile.arrivalOffsetsMs;
  const lastArrival = arrivals && arrivals.length > 0 ? arrivals[arrivals.length - 1]! : 0;
  return Math.max(stepsMs, Math.floor(lastArrival) + 1);
}

export function parseWindow(
  text: string | undefined,
  maxSeconds: number | undefined,
  profile: TrafficProfile,
): ReplayWindow {
  const spanMs = profileSpanMs(profile);
  if (text !== undefined && maxSeconds !== undefined)
    throw new MigrateError('give --window or --max-seconds, not both');
  if (maxSeconds !== undefined) return { startMs: 0, endMs: Math.min(spanMs, maxSeconds * 1000) };
  if (text === undefined) return { startMs: 0, endMs: spanMs };
  const match = /^\s*([^.]*)\.\.([^.]*)\s*$/.exec(text);
  const bad = () =>
    new MigrateError(`--window ${JSON.stringify(text)} is not START..END`, {
      hint: 'durations from the start of the traffic, e.g. --window 10m..25m, --window ..30m or --window 600..1500',
    });
  if (!match) throw bad();
  const start = match[1]!.trim() === '' ? 0 : parseDurationSeconds(match[1]!);
  const end = match[2]!.trim() === '' ? spanMs / 1000 : parseDurationSeconds(match[2]!);
  if (start === null || end === null) throw bad();
  if (end <= start) throw new MigrateError(`--window ${text}: the end must come after the start`);
  if (start * 1000 >= spanMs)
    throw new MigrateError(
      `--window ${text} starts after the traffic ends (${(spanMs / 1000).toFixed(0)} s)`,
    );
  return { startMs: start * 1000, endMs: Math.min(spanMs, end * 1000) };
}
