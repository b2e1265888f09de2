/**
 * `migrate replay --sweep NAME=FROM..TO[:STEP]` or `NAME=v1,v2,…`: which knob to turn, on which
 * target, and the settings to try. Pure: text in, a sorted list of values out, or a MigrateError
 * that quotes the spec the user typed.
 */

import { MigrateError } from '../../core/errors.ts';
import type { ReplayTargetId } from '../platforms/types.ts';

export type SweepName = 'provisioned' | 'min-instances' | 'always-ready' | 'memory';

/** Each knob belongs to one target's configuration, with the range that target accepts. */
export const SWEEP_KNOBS: Record<
  SweepName,
  { target: ReplayTargetId; what: string; minValue: number; maxValue: number }
> = {
  provisioned: { target: 'aws-lambda', what: 'provisioned concurrency', minValue: 0, maxValue: 10_000 },
  'min-instances': { target: 'cloud-run', what: 'minimum instances', minValue: 0, maxValue: 1_000 },
  'always-ready': { target: 'azure-functions', what: 'always-ready instances', minValue: 0, maxValue: 1_000 },
  // Lambda's MemorySize bounds (platform-facts.md): 128 MB to 10,240 MB in 1-MB steps.
  memory: { target: 'aws-lambda', what: 'memory size (MB)', minValue: 128, maxValue: 10_240 },
};

/** A sweep replays the whole traffic once per value: past this many the run is more likely a typo. */
export const MAX_SWEEP_SETTINGS = 256;

export interface SweepSpec {
  name: SweepName;
  target: ReplayTargetId;
  /** Distinct values, ascending (ties in cost go to the smaller, so the order matters). */
  values: number[];
}

export function parseSweepSpec(text: string): SweepSpec {
  const fail = (why: string) =>
    new MigrateError(`--sweep ${JSON.stringify(text)}: ${why}`, {
      hint: `NAME=FROM..TO[:STEP] or NAME=v1,v2,… with NAME one of ${Object.keys(SWEEP_KNOBS).join(', ')}, e.g. provisioned=0..64:8`,
    });
  const match = /^\s*([a-z-]+)\s*=\s*(.+?)\s*$/.exec(text);
  if (!match) throw fail('expected NAME=VALUES');
  const name = match[1]!;
  if (!(name in SWEEP_KNOBS)) throw fail(`unknown setting ${JSON.stringify(name)}`);
  const knob = SWEEP_KNOBS[name as SweepName];
  const body = match[2]!;
  const whole = (raw: string, what: string): number => {
    const trimmed = raw.trim();
    if (!/^\d+$/.test(trimmed)) throw fail(`${what} ${JSON.stringify(trimmed)} is not a whole number`);
    return Number(trimmed);
  };
  let values: number[];
  const range = /^([^.:]*)\.\.([^:]*)(?::(.*))?$/.exec(body);
  if (range) {
    const from = whole(range[1]!, 'FROM');
    const to = whole(range[2]!, 'TO');
    const step = range[3] === undefined ? 1 : whole(range[3], 'STEP');
    if (to < from) throw fail(`the range ends (${to}) before it starts (${from})`);
    if (step < 1) throw fail('STEP must be at least 1');
    if ((to - from) / step + 1 > MAX_SWEEP_SETTINGS)
      throw fail(`more than ${MAX_SWEEP_SETTINGS} settings; use a larger STEP`);
    values = [];
    for (let value = from; value <= to; value += step) values.push(value);
    // The end of the range is always tried, so `0..10:4` covers 10 as well as 0, 4 and 8.
    if (values[values.length - 1] !== to) values.push(to);
  } else {
    values = body.split(',').map((entry) => whole(entry, 'value'));
    if (values.length > MAX_SWEEP_SETTINGS) throw fail(`more than ${MAX_SWEEP_SETTINGS} settings`);
  }
  for (const value of values)
    if (value < knob.minValue || value > knob.maxValue)
      throw fail(`${knob.what} ${value} is outside ${knob.minValue}..${knob.maxValue}`);
  return {
    name: name as SweepName,
    target: knob.target,
    values: [...new Set(values)].sort((a, b) => a - b),
  };
}
