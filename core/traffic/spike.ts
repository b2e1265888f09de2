/**
 * Synthetic traffic from a preset string, `NAME[:key=value,…]`:
 *
 *   constant:rate=20,duration=10m
 *   trending:baseline=5,peak=10,ramp=45s,hold=5m
 *   diurnal:mean=10,amplitude=0.8
 *
 * Arrivals are a (non-homogeneous) Poisson process drawn with the seeded generator by thinning:
 * candidates at the maximum rate, each kept with probability rate(t) / max. The same spec and seed
 * give identical arrivals on every machine.
 */

import { MigrateError } from '../errors.ts';
import { createRandom } from '../random.ts';
import { binArrivals, binCountFor } from './bins.ts';
import { buildTrafficProfile } from './build.ts';
import { formatDurationSeconds, parseDurationSeconds } from './duration.ts';
import type { TrafficProfile } from './profile.ts';

type KeyKind = 'rate' | 'duration' | 'number' | 'fraction';

interface PresetDefinition {
  description: string;
  keys: Record<string, { kind: KeyKind; default: number; help: string }>;
  /** Total length and the rate at time t (seconds from the start). */
  shape(values: Record<string, number>): { durationSeconds: number; ratePerSecond: (t: number) => number };
}

export const SPIKE_PRESETS: Record<string, PresetDefinition> = {
  constant: {
    description: 'Poisson arrivals at a fixed rate',
    keys: {
      rate: { kind: 'rate', default: 10, help: 'requests per second' },
      duration: { kind: 'duration', default: 600, help: 'length of the profile' },
    },
    shape: (v) => ({ durationSeconds: v.duration!, ratePerSecond: () => v.rate! }),
  },
  trending: {
    description: 'a trending-topic burst: baseline, a fast ramp to peak × baseline, a hold, a decay back',
    keys: {
      baseline: { kind: 'rate', default: 5, help: 'requests per second before and after the burst' },
      peak: { kind: 'number', default: 10, help: 'peak rate as a multiple of the baseline' },
      lead: { kind: 'duration', default: 600, help: 'time at baseline before the ramp' },
      ramp: { kind: 'duration', default: 45, help: 'time from baseline to peak (linear)' },
      hold: { kind: 'duration', default: 180, help: 'time at peak' },
      decay: { kind: 'duration', default: 300, help: 'time from peak back to baseline (linear)' },
      tail: { kind: 'duration', default: 600, help: 'time at baseline after the decay' },
    },
    shape: trendingShape,
  },
  diurnal: {
    description: 'a daily cycle: a cosine between mean × (1 − amplitude) and mean × (1 + amplitude)',
    keys: {
      mean: { kind: 'rate', default: 10, help: 'mean requests per second over a cycle' },
      amplitude: { kind: 'fraction', default: 0.8, help: 'swing as a share of the mean, 0–1' },
      period: { kind: 'duration', default: 86_400, help: 'length of one cycle' },
      duration: { kind: 'duration', default: 86_400, help: 'length of the profile' },
      'peak-at': { kind: 'duration', default: 50_400, help: 'offset of the peak within the cycle' },
    },
    shape: (v) => ({
      durationSeconds: v.duration!,
      ratePerSecond: (t) =>
        v.mean! * (1 + v.amplitude! * Math.cos((2 * Math.PI * (t - v['peak-at']!)) / v.period!)),
    }),
  },
};

function trendingShape(v: Record<string, number>) {
  const base = v.baseline!;
  const top = base * v.peak!;
  const rampStart = v.lead!;
  const holdStart = rampStart + v.ramp!;
  const decayStart = holdStart + v.hold!;
  const tailStart = decayStart + v.decay!;
  return {
    durationSeconds: tailStart + v.tail!,
    ratePerSecond: (t: number) => {
      if (t < rampStart || t >= tailStart) return base;
      if (t < holdStart) return base + ((top - base) * (t - rampStart)) / v.ramp!;
      if (t < decayStart) return top;
      return top - ((top - base) * (t - decayStart)) / v.decay!;
    },
  };
}

/** Refuse profiles that would not fit in memory as individual arrivals. */
const MAX_EXPECTED_ARRIVALS = 20_000_000;

export interface SpikeSpec {
  preset: string;
  values: Record<string, number>;
  /** The spec with every key spelled out, for provenance. */
  canonical: string;
}

/** Parse `NAME[:key=value,…]`; errors list the presets and their keys. */
export function parseSpikeSpec(spec: string): SpikeSpec {
  const [name = '', rest = ''] = splitOnce(spec.trim(), ':');
  const preset = SPIKE_PRESETS[name];
  if (!preset)
    throw new MigrateError(`unknown traffic preset ${JSON.stringify(name)} in "${spec}"\n${presetHelp()}`);
  const values: Record<string, number> = {};
  for (const [key, info] of Object.entries(preset.keys)) values[key] = info.default;
  for (const pair of rest.split(',').filter((p) => p.trim() !== '')) {
    const [key = '', raw = ''] = splitOnce(pair.trim(), '=');
    const info = preset.keys[key];
    if (!info) {
      throw new MigrateError(
        `unknown key ${JSON.stringify(key)} for traffic preset ${name} in "${spec}"\n${presetHelp(name)}`,
      );
    }
    values[key] = parseValue(name, key, raw, info.kind, spec);
  }
  const canonical = `${name}:${Object.entries(values)
    .map(([k, v]) => `${k}=${preset.keys[k]!.kind === 'duration' ? formatDurationSeconds(v) : v}`)
    .join(',')}`;
  return { preset: name, values, canonical };
}

function parseValue(name: string, key: string, raw: string, kind: KeyKind, spec: string): number {
  const value =
    kind === 'duration' ? parseDurationSeconds(raw) : /^\d+(?:\.\d+)?$/.test(raw) ? Number(raw) : null;
  const expected = {
    duration: 'a duration such as 45s, 5m, 1h',
    rate: 'a positive number of requests per second',
    number: 'a positive number',
    fraction: 'a number from 0 to 1',
  }[kind];
  const mayBeZero = kind === 'fraction' || key === 'peak-at';
  const bad = value === null || (kind === 'fraction' && value > 1) || (!mayBeZero && value <= 0);
  if (bad)
    throw new MigrateError(`${name}: ${key}=${raw} in "${spec}" is not ${expected}\n${presetHelp(name)}`);
  return value;
}

/** The rate function of a spec, for plots and tests. */
export function spikeShape(spec: string) {
  const parsed = parseSpikeSpec(spec);
  return SPIKE_PRESETS[parsed.preset]!.shape(parsed.values);
}

/** Synthetic arrivals for `spec`, seeded: the same spec and seed give identical profiles. */
export function spikeProfile(spec: string, seed: number): TrafficProfile {
  const parsed = parseSpikeSpec(spec);
  const { durationSeconds, ratePerSecond } = SPIKE_PRESETS[parsed.preset]!.shape(parsed.values);
  const maxRate = maxRateOver(ratePerSecond, durationSeconds);
  if (maxRate * durationSeconds > MAX_EXPECTED_ARRIVALS) {
    throw new MigrateError(
      `traffic preset "${spec}" would generate about ${Math.round(maxRate * durationSeconds)} requests; ` +
        `the limit is ${MAX_EXPECTED_ARRIVALS}`,
      { hint: 'lower the rate or the duration' },
    );
  }
  const random = createRandom(seed);
  const arrivals: number[] = [];
  for (let t = random.nextExponential(maxRate); t < durationSeconds; t += random.nextExponential(maxRate)) {
    // Always draw, so the stream does not depend on the rate: only the acceptance does.
    const keep = random.nextFloat() * maxRate < ratePerSecond(t);
    if (keep) arrivals.push(Math.round(t * 1e6) / 1e3); // µs resolution keeps output stable to print
  }
  const stepSeconds = 1;
  const binCount = Math.max(1, binCountFor(0, durationSeconds * 1000 - 1e-6, stepSeconds * 1000));
  return buildTrafficProfile({
    series: {
      startMs: 0,
      timeBase: 'relative',
      stepSeconds,
      requests: binArrivals(arrivals, 0, stepSeconds * 1000, binCount),
      missingSteps: [],
    },
    arrivalOffsetsMs: arrivals,
    origin: { kind: 'synthetic', spec: parsed.canonical, seed },
  });
}

/** Sampled maximum; every preset's maximum sits on a sample (a ramp's end or the cosine's crest). */
function maxRateOver(rate: (t: number) => number, durationSeconds: number): number {
  let best = 0;
  const samples = 100_000;
  for (let i = 0; i <= samples; i++) best = Math.max(best, rate((durationSeconds * i) / samples));
  return best * 1.0001 + 1e-9;
}

function splitOnce(text: string, separator: string): [string, string] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, ''] : [text.slice(0, at), text.slice(at + 1)];
}

/** Presets and keys with defaults, for error hints and `--help`. */
export function presetHelp(only?: string): string {
  const lines: string[] = ['presets (NAME[:key=value,…]):'];
  for (const [name, preset] of Object.entries(SPIKE_PRESETS)) {
    if (only && name !== only) continue;
    lines.push(`  ${name}: ${preset.description}`);
    for (const [key, info] of Object.entries(preset.keys)) {
      const shown = info.kind === 'duration' ? formatDurationSeconds(info.default) : info.default;
      lines.push(`    ${key}=${shown}  ${info.help}`);
    }
  }
  return lines.join('\n');
}
