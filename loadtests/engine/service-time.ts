/**
 * Service-time distributions: how long a pod or instance works on one request once it starts.
 *
 *   fixed:100                    every request takes 100 ms
 *   exp:100                      exponential with a mean of 100 ms (the M/M/c textbook case)
 *   lognormal:p50=80,p99=400     log-normal through the given median and 99th percentile
 *
 * A calibration file may also give measured samples (drawn uniformly, with replacement).
 */

import { MigrateError } from '../../core/errors.ts';
import type { Random } from '../../core/random.ts';
import { nextStandardNormal } from './streams.ts';

export type ServiceTimeSpec =
  | { kind: 'fixed'; ms: number }
  | { kind: 'exp'; meanMs: number }
  | { kind: 'lognormal'; p50Ms: number; p99Ms: number }
  | { kind: 'samples'; samplesMs: readonly number[] };

/** z of the standard normal at 0.99: ln(p99 / p50) = Z99 · σ for a log-normal. */
const Z99 = 2.3263478740408408;

const GRAMMAR = 'fixed:MS, exp:MEAN_MS or lognormal:p50=MS,p99=MS (e.g. lognormal:p50=80,p99=400)';

export function parseServiceSpec(text: string, flag = '--service-ms'): ServiceTimeSpec {
  const [kind = '', rest = ''] = text.trim().split(/:(.*)/s);
  const bad = (why: string) =>
    new MigrateError(`${flag} ${JSON.stringify(text)}: ${why}`, { hint: `use ${GRAMMAR}` });
  const positive = (raw: string | undefined, name: string) => {
    const value = Number(raw);
    if (raw === undefined || raw.trim() === '' || !Number.isFinite(value) || value <= 0)
      throw bad(`${name} must be a positive number of ms`);
    return value;
  };
  if (kind === 'fixed') return { kind, ms: positive(rest, 'the time') };
  if (kind === 'exp') return { kind, meanMs: positive(rest, 'the mean') };
  if (kind === 'lognormal') {
    const pairs = Object.fromEntries(rest.split(',').map((pair) => pair.split('=').map((s) => s.trim())));
    const unknown = Object.keys(pairs).filter((key) => key !== 'p50' && key !== 'p99');
    if (unknown.length) throw bad(`unknown key ${unknown.join(', ')}`);
    const p50Ms = positive(pairs.p50, 'p50');
    const p99Ms = positive(pairs.p99, 'p99');
    if (p99Ms < p50Ms) throw bad('p99 must be at least p50');
    return { kind, p50Ms, p99Ms };
  }
  throw bad(`unknown distribution ${JSON.stringify(kind)}`);
}

export function describeServiceSpec(spec: ServiceTimeSpec): string {
  switch (spec.kind) {
    case 'fixed':
      return `fixed:${spec.ms}`;
    case 'exp':
      return `exp:${spec.meanMs}`;
    case 'lognormal':
      return `lognormal:p50=${spec.p50Ms},p99=${spec.p99Ms}`;
    case 'samples':
      return `samples:${spec.samplesMs.length}`;
  }
}

/** Mean of the distribution in ms (used to size analytic checks and reports). */
export function meanServiceMs(spec: ServiceTimeSpec): number {
  switch (spec.kind) {
    case 'fixed':
      return spec.ms;
    case 'exp':
      return spec.meanMs;
    case 'lognormal': {
      const sigma = Math.log(spec.p99Ms / spec.p50Ms) / Z99;
      return spec.p50Ms * Math.exp((sigma * sigma) / 2);
    }
    case 'samples':
      return spec.samplesMs.reduce((sum, value) => sum + value, 0) / spec.samplesMs.length;
  }
}

/** A sampler drawing from `random` (its own stream, so service times do not depend on the target). */
export function serviceSampler(spec: ServiceTimeSpec, random: Random): () => number {
  switch (spec.kind) {
    case 'fixed': {
      const ms = spec.ms;
      return () => ms;
    }
    case 'exp': {
      const rate = 1 / spec.meanMs;
      return () => random.nextExponential(rate);
    }
    case 'lognormal': {
      const mu = Math.log(spec.p50Ms);
      const sigma = Math.log(spec.p99Ms / spec.p50Ms) / Z99;
      return () => Math.exp(mu + sigma * nextStandardNormal(random));
    }
    case 'samples': {
      const samples = spec.samplesMs;
      return () => samples[random.nextInt(samples.length)]!;
    }
  }
}
