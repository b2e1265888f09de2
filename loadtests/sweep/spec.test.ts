import { describe, expect, it } from 'vitest';
import { MigrateError } from '../../core/errors.ts';
import { MAX_SWEEP_SETTINGS, parseSweepSpec } from './spec.ts';

describe('parseSweepSpec', () => {
  it('expands a range, one by one without a step', () => {
    expect(parseSweepSpec('provisioned=0..4')).toEqual({
      name: 'provisioned',
      target: 'aws-lambda',
      values: [0, 1, 2, 3, 4],
    });
  });

  it('expands a stepped range and always tries its end', () => {
    expect(parseSweepSpec('min-instances=0..10:4').values).toEqual([0, 4, 8, 10]);
    expect(parseSweepSpec('min-instances=0..8:4').values).toEqual([0, 4, 8]);
    expect(parseSweepSpec('min-instances=3..3').values).toEqual([3]);
  });

  it('takes a list, sorted and without repeats, and names the target of each knob', () => {
    expect(parseSweepSpec('always-ready=4, 1,2,1')).toEqual({
      name: 'always-ready',
      target: 'azure-functions',
      values: [1, 2, 4],
    });
    expect(parseSweepSpec('memory=1024,128,10240')).toMatchObject({
      target: 'aws-lambda',
      values: [128, 1024, 10240],
    });
  });

  it.each([
    ['provisioned', 'expected NAME=VALUES'],
    ['concurrency=1..4', 'unknown setting "concurrency"'],
    ['provisioned=4..2', 'ends (2) before it starts (4)'],
    ['provisioned=0..8:0', 'STEP must be at least 1'],
    ['provisioned=0..8:x', 'STEP "x" is not a whole number'],
    ['provisioned=1.5,2', 'value "1.5" is not a whole number'],
    ['provisioned=-1..2', 'is not a whole number'],
    ['provisioned=1,,2', 'value "" is not a whole number'],
    ['memory=64,128', 'memory size (MB) 64 is outside 128..10240'],
    ['memory=128..20000:1000', 'outside 128..10240'],
    [`provisioned=0..${MAX_SWEEP_SETTINGS}`, `more than ${MAX_SWEEP_SETTINGS} settings`],
  ])('rejects %s with a MigrateError quoting the spec', (text, why) => {
    let error: unknown;
    try {
      parseSweepSpec(text);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(MigrateError);
    expect((error as MigrateError).message).toContain(`--sweep ${JSON.stringify(text)}`);
    expect((error as MigrateError).message).toContain(why);
  });
});
