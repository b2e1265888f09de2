/**
 * The traffic profile's rate series as k6 `ramping-arrival-rate` stages.
 *
 * The series says "this many requests in this step", i.e. a constant rate within each step, so each
 * run of steps becomes an instant jump (`duration: '0s'`, k6's documented way to step the rate) and a
 * hold at the run's mean rate. Merge rule, so the script stays readable: adjacent steps form one run
 * while every step of the run stays within ±tolerance of the run's mean count per step, where
 *
 *     tolerance(w) = max(mergeTolerance × w × mean, noise(w × mean, n))
 *
 * checked for the first and the last w steps of the run, w = 1, 4, 16, … (≤ n/2), n the run's
 * length. The relative part (default 10 %) merges plateaus; the noise part is how far a Poisson count
 * strays from its mean in a steady run (`noiseTolerance`, ≈ 3–5 √mean), so a steady 5 req/s trace does
 * not become one stage per second of noise, while windows of many steps still see a slow ramp. A run's hold rate is its mean, so
 * merging never changes the number of requests; only the rounding of targets to whole iterations per
 * `timeUnit` does, and the time unit is chosen to keep that under 0.2 % of the total.
 */

export interface K6Stage {
  /** Whole milliseconds of wall time (after the speedup). */
  durationMs: number;
  /** Iterations per `timeUnit` at the end of the stage (k6 takes whole numbers). */
  target: number;
  /** Where the stage starts in the original traffic, in seconds (before the speedup): for comments. */
  fromTrafficSeconds: number;
}

export interface K6StagePlan {
  timeUnitSeconds: number;
  /** The rate at the start, per timeUnit (the first run's, so no jump stage is needed for it). */
  startRate: number;
  stages: K6Stage[];
  /** The highest hold rate, in requests per second of wall time. */
  peakRatePerSecond: number;
  /** Σ target ÷ timeUnit × duration: what k6 will send. */
  plannedRequests: number;
  /** Steps of the series, and holds after merging. */
  steps: number;
  holds: number;
}

export const DEFAULT_MERGE_TOLERANCE = 0.1;
const TIME_UNITS_SECONDS = [1, 10, 60, 600, 3600];
const MAX_ROUNDING_ERROR = 0.002;

/**
 * How far a Poisson count with mean `expected` may stray from it in a steady run of `steps` steps:
 * Bernstein's bound P(|X − λ| ≥ d) ≤ 2·exp(−d² / (2(λ + d/3))) solved for d at exp(−t), with
 * t = ln(10 · steps) (at least 4.5, i.e. 3σ). Unlike the normal approximation it holds for the skewed
 * counts of low rates, and t grows with the run because its largest count strays further.
 */
function noiseTolerance(expected: number, steps: number): number {
  const t = Math.max(4.5, Math.log(10 * steps));
  return t / 3 + Math.sqrt((t * t) / 9 + 2 * expected * t);
}

interface Run {
  fromStep: number;
  steps: number;
  requests: number;
}

/** Runs of adjacent steps that look like one constant rate (see the file comment). */
export function mergeRuns(requests: readonly number[], mergeTolerance: number): Run[] {
  const prefix = new Float64Array(requests.length + 1);
  for (let step = 0; step < requests.length; step++)
    prefix[step + 1] = prefix[step]! + Math.max(0, requests[step] ?? 0);
  const runs: Run[] = [];
  let run: Run | null = null;
  for (let step = 0; step < requests.length; step++) {
    if (run && fitsRun(prefix, run.fromStep, step, mergeTolerance)) {
      run.steps += 1;
      run.requests = prefix[step + 1]! - prefix[run.fromStep]!;
      continue;
    }
    run = { fromStep: step, steps: 1, requests: prefix[step + 1]! - prefix[step]! };
    runs.push(run);
  }
  return runs;
}

/**
 * Whether steps from..to (inclusive) look like one rate: the first and the last w steps, for w = 1, 4,
 * 16, … up to half the run, each hold w × mean requests within the tolerance. Windows catch a slow
 * ramp that no single noisy step would reveal; only the ends need checking, because every step
 * inside was checked when it was the end.
 */
function fitsRun(prefix: Float64Array, from: number, to: number, mergeTolerance: number): boolean {
  const steps = to - from + 1;
  const mean = (prefix[to + 1]! - prefix[from]!) / steps;
  for (let window = 1; window === 1 || window * 2 <= steps; window *= 4) {
    const expected = window * mean;
    const tolerance = Math.max(mergeTolerance * expected, noiseTolerance(expected, steps));
    const head = prefix[from + window]! - prefix[from]!;
    const tail = prefix[to + 1]! - prefix[to + 1 - window]!;
    if (Math.abs(head - expected) > tolerance || Math.abs(tail - expected) > tolerance) return false;
  }
  return true;
}

export function planStages(
  series: { stepSeconds: number; requests: readonly number[] },
  options: { speedup: number; mergeTolerance: number },
): K6StagePlan {
  const runs = mergeRuns(series.requests, options.mergeTolerance);
  const stepMs = series.stepSeconds * 1000;
  const wallMs = (step: number) => Math.round((step * stepMs) / options.speedup);
  const holds = runs.map((run) => {
    const durationMs = wallMs(run.fromStep + run.steps) - wallMs(run.fromStep);
    return {
      durationMs,
      ratePerSecond: durationMs > 0 ? run.requests / (durationMs / 1000) : 0,
      requests: run.requests,
      fromTrafficSeconds: run.fromStep * series.stepSeconds,
    };
  });
  const timeUnitSeconds = chooseTimeUnit(holds);
  const stages: K6Stage[] = [];
  let startRate = 0;
  for (const hold of holds) {
    const target = Math.round(hold.ratePerSecond * timeUnitSeconds);
    const previous = stages[stages.length - 1];
    if (previous && previous.target === target) {
      previous.durationMs += hold.durationMs; // same whole target after rounding: one hold
      continue;
    }
    if (previous) stages.push({ durationMs: 0, target, fromTrafficSeconds: hold.fromTrafficSeconds });
    else startRate = target;
    stages.push({ durationMs: hold.durationMs, target, fromTrafficSeconds: hold.fromTrafficSeconds });
  }
  const plannedRequests = stages.reduce(
    (sum, stage) => sum + (stage.target / timeUnitSeconds) * (stage.durationMs / 1000),
    0,
  );
  return {
    timeUnitSeconds,
    startRate,
    stages,
    peakRatePerSecond: Math.max(0, ...stages.map((stage) => stage.target / timeUnitSeconds)),
    plannedRequests,
    steps: series.requests.length,
    holds: stages.filter((stage) => stage.durationMs > 0).length,
  };
}

/** The smallest time unit whose whole-number targets keep the total within 0.2 % (else the best one). */
function chooseTimeUnit(holds: { durationMs: number; ratePerSecond: number; requests: number }[]): number {
  const total = holds.reduce((sum, hold) => sum + hold.requests, 0);
  if (total === 0) return 1;
  let best = { unit: 1, error: Number.POSITIVE_INFINITY };
  for (const unit of TIME_UNITS_SECONDS) {
    let error = 0;
    for (const hold of holds) {
      const rounded = Math.round(hold.ratePerSecond * unit) / unit;
      error += Math.abs(rounded - hold.ratePerSecond) * (hold.durationMs / 1000);
    }
    const relative = error / total;
    if (relative <= MAX_ROUNDING_ERROR) return unit;
    if (relative < best.error) best = { unit, error: relative };
  }
  return best.unit;
}

/** k6 duration text without days (Go's time.ParseDuration has no `d`): `1h30m`, `45s`, `1500ms`, `0s`. */
export function formatK6Duration(durationMs: number): string {
  if (durationMs <= 0) return '0s';
  if (durationMs % 1000 !== 0) return `${Math.round(durationMs)}ms`;
  let seconds = durationMs / 1000;
  let out = '';
  for (const [unit, size] of [
    ['h', 3600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    if (seconds >= size) {
      out += `${Math.floor(seconds / size)}${unit}`;
      seconds %= size;
    }
  }
  return out;
}
