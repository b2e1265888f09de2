/**
 * `migrate import-k6`: reads what k6 wrote after a run of a `migrate k6` script and turns it into the
 * run-result shape of `migrate loadtest` (`kind: "live"`, `runs[]` per target with `requests` and
 * `latencyMs`), so a k6 run sits beside a simulated replay in the same report. Pure: the CLI reads the
 * file and passes the text.
 *
 * Two inputs, told apart by their content:
 * - a summary: `k6 run --summary-export=summary.json` (metrics as flat objects: `{"avg":…,"p(95)":…}`,
 *   rates as `{"passes","fails","value"}`) or the `data` given to `handleSummary` (metrics as
 *   `{"type","contains","values":{…}}`, rates as `values.{rate,passes,fails}`). Per-target figures come
 *   from sub-metrics such as `http_req_duration{target:a}`, which the thresholds of a multi-target
 *   script create; without them there is one run, named after the script (`k6`).
 * - NDJSON from `k6 run --out json=points.json`: one `{"type":"Point","metric":…,"data":{"time","value",
 *   "tags"}}` per sample; runs are grouped by the `target` tag, quantiles are exact.
 */

import { MigrateError } from '../../core/errors.ts';

export interface ImportedLatencyMs {
  mean: number | null;
  p50: number | null;
  p90: number | null;
  p95: number | null;
  p99: number | null;
  p999: number | null;
  max: number | null;
}

export interface ImportedK6Run {
  target: string;
  /** `total` = served + failed + timedOut + dropped, as in `migrate loadtest`. k6 counts a timeout as failed. */
  requests: { total: number; served: number; timedOut: number; failed: number; dropped: number };
  /** Sent requests ÷ the run's duration (k6's `http_reqs.rate` for a summary). */
  achievedRatePerSecond: number | null;
  /** Of served requests when k6 tells them apart (`expected_response:true`), else of all requests. */
  latencyMs: ImportedLatencyMs;
  statusCodes: Record<string, number>;
  errors: Record<string, number>;
}

export interface ImportedK6Results {
  schemaVersion: 1;
  kind: 'live';
  source: { tool: 'k6'; format: 'summary' | 'ndjson'; file: string; elapsedSeconds: number | null };
  notes: string[];
  runs: ImportedK6Run[];
}

const round3 = (value: number) => Math.round(value * 1000) / 1000;
const fail = (file: string, why: string) =>
  new MigrateError(`${file}: ${why}`, {
    hint: 'give the file of `k6 run --summary-export=FILE`, the JSON a handleSummary wrote, or `k6 run --out json=FILE` (docs/k6.md#importing-k6-results)',
  });

export function importK6(
  text: string,
  file: string,
  options: { defaultTarget?: string } = {},
): ImportedK6Results {
  const trimmed = text.trim();
  if (trimmed === '') throw fail(file, 'is empty');
  const defaultTarget = options.defaultTarget ?? 'k6';
  if (trimmed.startsWith('{')) {
    const firstLine = trimmed.split('\n', 1)[0]!;
    let whole: unknown;
    try {
      whole = JSON.parse(trimmed);
    } catch {
      whole = undefined;
    }
    if (whole && typeof whole === 'object' && 'metrics' in whole)
      return fromSummary(whole as { metrics: unknown }, file, defaultTarget);
    if (whole === undefined || /"type"\s*:\s*"(Point|Metric)"/.test(firstLine))
      return fromNdjson(trimmed, file, defaultTarget);
  }
  throw fail(file, 'is neither a k6 summary (no "metrics") nor k6 JSON output (no Point lines)');
}

// ---------------------------------------------------------------- summary

type Values = Record<string, number>;

/** A metric's numbers in either shape: `{values:{…}}` (handleSummary) or flat (--summary-export). */
function metricValues(metric: unknown): Values | null {
  if (typeof metric !== 'object' || metric === null) return null;
  const inner = (metric as { values?: unknown }).values;
  const source = (typeof inner === 'object' && inner !== null ? inner : metric) as Record<string, unknown>;
  const out: Values = {};
  for (const [key, value] of Object.entries(source)) if (typeof value === 'number') out[key] = value;
  return out;
}

/** `http_req_duration{target:a,expected_response:true}` -> name and tags. */
function parseMetricKey(key: string): { name: string; tags: Record<string, string> } {
  const match = /^([^{]+)(?:\{(.*)\})?$/.exec(key);
  const tags: Record<string, string> = {};
  for (const part of (match?.[2] ?? '').split(',').filter(Boolean)) {
    const at = part.indexOf(':');
    if (at > 0) tags[part.slice(0, at).trim()] = part.slice(at + 1).trim();
  }
  return { name: match?.[1] ?? key, tags };
}

function fromSummary(data: { metrics: unknown; state?: unknown }, file: string, defaultTarget: string) {
  if (typeof data.metrics !== 'object' || data.metrics === null)
    throw fail(file, '"metrics" is not an object');
  const byTarget = new Map<string, Map<string, Values>>();
  const notes: string[] = [];
  for (const [key, metric] of Object.entries(data.metrics as Record<string, unknown>)) {
    const { name, tags } = parseMetricKey(key);
    const values = metricValues(metric);
    if (!values) continue;
    const target = tags.target;
    const extra = Object.keys(tags).filter((tag) => tag !== 'target' && tag !== 'expected_response');
    if (extra.length) continue; // other sub-metrics (status, scenario…) do not make runs
    const slot = target ?? '';
    const metricName = tags.expected_response === 'true' ? `${name}:served` : name;
    if (tags.expected_response !== undefined && tags.expected_response !== 'true') continue;
    if (!byTarget.has(slot)) byTarget.set(slot, new Map());
    byTarget.get(slot)!.set(metricName, values);
  }
  const whole = byTarget.get('') ?? new Map<string, Values>();
  const named = [...byTarget.keys()].filter((key) => key !== '').sort();
  if (!whole.has('http_reqs') && !named.some((target) => byTarget.get(target)!.has('http_reqs')))
    throw fail(file, 'has no http_reqs metric: was it written by a k6 run that sent HTTP requests?');
  const runs: ImportedK6Run[] = [];
  if (named.length === 0) runs.push(summaryRun(defaultTarget, whole, whole, notes));
  for (const target of named) runs.push(summaryRun(target, byTarget.get(target)!, whole, notes));
  if (named.length > 0 && named.some((target) => !byTarget.get(target)!.has('http_reqs')))
    notes.push(
      'per-target request counts come from http_req_failed{target:…}; k6 reports http_reqs per target only with a threshold on it',
    );
  const durationMs = (data.state as { testRunDurationMs?: unknown } | undefined)?.testRunDurationMs;
  return {
    schemaVersion: 1 as const,
    kind: 'live' as const,
    source: {
      tool: 'k6' as const,
      format: 'summary' as const,
      file,
      elapsedSeconds: typeof durationMs === 'number' ? round3(durationMs / 1000) : null,
    },
    notes: [...new Set(notes)],
    runs,
  };
}

function summaryRun(
  target: string,
  metrics: Map<string, Values>,
  whole: Map<string, Values>,
  notes: string[],
): ImportedK6Run {
  const failedRate = metrics.get('http_req_failed');
  const reqs = metrics.get('http_reqs');
  // Rate metrics: `passes` counts true values, i.e. failed requests; `fails` the others.
  const failed = failedRate?.passes ?? 0;
  const total = reqs?.count ?? (failedRate ? (failedRate.passes ?? 0) + (failedRate.fails ?? 0) : 0);
  const sent = Math.max(total, failed);
  // dropped_iterations carries no target tag in most scripts: attribute it only to a lone run.
  const dropped = metrics.get('dropped_iterations')?.count ?? 0;
  if (
    metrics !== whole &&
    !metrics.has('dropped_iterations') &&
    (whole.get('dropped_iterations')?.count ?? 0) > 0
  )
    notes.push(
      `dropped_iterations (${whole.get('dropped_iterations')!.count}) has no per-target split in the summary: counted nowhere; use --out json for per-target drops`,
    );
  const duration = metrics.get('http_req_duration:served') ?? metrics.get('http_req_duration');
  if (duration && !metrics.has('http_req_duration:served'))
    notes.push(
      'latency includes failed requests: the summary has no http_req_duration{expected_response:true}',
    );
  if (duration && duration['p(99)'] === undefined)
    notes.push("p99 is missing: add 'p(99)' to summaryTrendStats (migrate k6 scripts do)");
  const pick = (key: string) => (duration?.[key] === undefined ? null : round3(duration[key]!));
  return {
    target,
    requests: { total: sent + dropped, served: sent - failed, timedOut: 0, failed, dropped },
    achievedRatePerSecond: reqs?.rate === undefined ? null : round3(reqs.rate),
    latencyMs: {
      mean: pick('avg'),
      p50: pick('med'),
      p90: pick('p(90)'),
      p95: pick('p(95)'),
      p99: pick('p(99)'),
      p999: pick('p(99.9)'),
      max: pick('max'),
    },
    statusCodes: {},
    errors: {},
  };
}

// ---------------------------------------------------------------- NDJSON

interface TargetPoints {
  servedMs: number[];
  allMs: number[];
  failed: number;
  reqs: number;
  dropped: number;
  statusCodes: Map<string, number>;
  errors: Map<string, number>;
}

function fromNdjson(text: string, file: string, defaultTarget: string): ImportedK6Results {
  const targets = new Map<string, TargetPoints>();
  const slot = (name: string) => {
    let entry = targets.get(name);
    if (!entry) {
      entry = {
        servedMs: [],
        allMs: [],
        failed: 0,
        reqs: 0,
        dropped: 0,
        statusCodes: new Map(),
        errors: new Map(),
      };
      targets.set(name, entry);
    }
    return entry;
  };
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  let points = 0;
  for (const [index, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue;
    let record: {
      type?: unknown;
      metric?: unknown;
      data?: { time?: unknown; value?: unknown; tags?: unknown };
    };
    try {
      record = JSON.parse(line);
    } catch {
      throw fail(`${file}:${index + 1}`, 'is not a JSON line');
    }
    if (record.type !== 'Point') continue;
    const value = record.data?.value;
    if (typeof value !== 'number' || typeof record.metric !== 'string')
      throw fail(`${file}:${index + 1}`, 'a Point needs a metric name and a numeric data.value');
    points += 1;
    const tags = (record.data?.tags ?? {}) as Record<string, unknown>;
    const entry = slot(typeof tags.target === 'string' && tags.target ? tags.target : defaultTarget);
    const time = typeof record.data?.time === 'string' ? Date.parse(record.data.time) : Number.NaN;
    if (Number.isFinite(time) && record.metric === 'http_reqs') {
      first = Math.min(first, time);
      last = Math.max(last, time);
    }
    switch (record.metric) {
      case 'http_req_duration':
        entry.allMs.push(value);
        if (tags.expected_response !== 'false') entry.servedMs.push(value);
        break;
      case 'http_reqs': {
        entry.reqs += value;
        const status = typeof tags.status === 'string' ? tags.status : undefined;
        if (status !== undefined) entry.statusCodes.set(status, (entry.statusCodes.get(status) ?? 0) + value);
        if (typeof tags.error_code === 'string' && tags.error_code !== '')
          entry.errors.set(tags.error_code, (entry.errors.get(tags.error_code) ?? 0) + value);
        break;
      }
      case 'http_req_failed':
        if (value !== 0) entry.failed += 1;
        break;
      case 'dropped_iterations':
        entry.dropped += value;
        break;
      default:
        break;
    }
  }
  if (points === 0) throw fail(file, 'has no Point lines');
  const spanSeconds = Number.isFinite(first) && last > first ? (last - first) / 1000 : null;
  const runs = [...targets.entries()]
    .filter(([, entry]) => entry.reqs > 0 || entry.dropped > 0 || entry.allMs.length > 0)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([target, entry]): ImportedK6Run => {
      const sent = Math.max(entry.reqs, entry.allMs.length);
      return {
        target,
        requests: {
          total: sent + entry.dropped,
          served: sent - entry.failed,
          timedOut: 0,
          failed: entry.failed,
          dropped: entry.dropped,
        },
        achievedRatePerSecond: spanSeconds ? round3(sent / spanSeconds) : null,
        latencyMs: exactSummary(entry.servedMs),
        statusCodes: sortedRecord(entry.statusCodes),
        errors: sortedRecord(entry.errors),
      };
    });
  if (runs.length === 0) throw fail(file, 'has no HTTP points (http_reqs, http_req_duration)');
  return {
    schemaVersion: 1,
    kind: 'live',
    source: {
      tool: 'k6',
      format: 'ndjson',
      file,
      elapsedSeconds: spanSeconds === null ? null : round3(spanSeconds),
    },
    notes: [],
    runs,
  };
}

function sortedRecord(map: Map<string, number>): Record<string, number> {
  return Object.fromEntries([...map.entries()].sort(([a], [b]) => a.localeCompare(b)));
}

/** Nearest-rank quantiles over every sample: the NDJSON has them all, so no histogram is needed. */
export function exactSummary(values: readonly number[]): ImportedLatencyMs {
  if (values.length === 0)
    return { mean: null, p50: null, p90: null, p95: null, p99: null, p999: null, max: null };
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) =>
    round3(sorted[Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length))) - 1]!);
  return {
    mean: round3(sorted.reduce((sum, v) => sum + v, 0) / sorted.length),
    p50: at(0.5),
    p90: at(0.9),
    p95: at(0.95),
    p99: at(0.99),
    p999: at(0.999),
    max: round3(sorted[sorted.length - 1]!),
  };
}
