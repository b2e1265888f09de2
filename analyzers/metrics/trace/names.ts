/**
 * Column names that leave no doubt about a column's role, and public trace layouts whose time unit
 * the header alone cannot tell.
 */

import type { TimeFormat } from './timestamps.ts';

export const TIME_STEMS = new Set([
  'timestamp',
  'time',
  'ts',
  'arrivaltime',
  'arrivaltimestamp',
  'arrival',
  'requesttime',
  'starttime',
  'starttimestamp',
  'datetime',
  'invocationtime',
  'eventtime',
  'createdat',
  'date',
  'timestampms',
]);
export const COUNT_STEMS = new Set([
  'count',
  'counts',
  'requests',
  'requestcount',
  'numrequests',
  'nrequests',
  'invocations',
  'invocationcount',
  'calls',
  'hits',
]);
export const DURATION_STEMS = new Set([
  'duration',
  'latency',
  'responsetime',
  'servicetime',
  'elapsed',
  'e2elatency',
  'executiontime',
  'requestduration',
]);
const UNIT_SUFFIX = /(ms|msec|millis|milliseconds|us|usec|micros|ns|s|sec|secs|seconds)$/;

export function stemMatches(stems: Set<string>, name: string): boolean {
  const normal = name
    .toLowerCase()
    .replace(/[^a-z0-9@]/g, '')
    .replace(/^@/, '');
  return stems.has(normal) || stems.has(normal.replace(UNIT_SUFFIX, ''));
}

export interface KnownSchema {
  id: string;
  matches(columns: string[], syntax: 'csv' | 'tsv' | 'jsonl'): boolean;
  time: string;
  format: TimeFormat;
}

/** Public trace layouts whose time unit the header alone cannot tell. */
export const KNOWN_SCHEMAS: KnownSchema[] = [
  {
    id: 'azure-llm-2023',
    matches: (c) => c.join(',') === 'TIMESTAMP,ContextTokens,GeneratedTokens',
    time: 'TIMESTAMP',
    format: 'iso',
  },
  {
    id: 'mooncake',
    matches: (c, syntax) =>
      syntax === 'jsonl' && ['timestamp', 'input_length', 'output_length'].every((k) => c.includes(k)),
    time: 'timestamp',
    format: 'relative-ms',
  },
  {
    id: 'burstgpt',
    matches: (c) => ['Timestamp', 'Request tokens', 'Response tokens'].every((k) => c.includes(k)),
    time: 'Timestamp',
    format: 'relative-s',
  },
];
