import { describe, expect, it } from 'vitest';
import { MigrateError } from '../core/errors.ts';
import { applyWorkload, assertNoDelete } from './apply.ts';
import type { ApiCall, CloudFlags, CloudTarget, DesiredConfig, LiveConfig } from './types.ts';

const flags: CloudFlags = {
  region: null,
  project: null,
  subscription: null,
  resourceGroup: null,
  endpoint: null,
  caFile: null,
  requestTimeoutMs: 1000,
  extra: {},
};

const desired: DesiredConfig = {
  target: 'aws-lambda',
  name: 'fn',
  folder: 'out/w/aws-lambda',
  workload: 'ml/Deployment/w',
  settings: { memoryMb: { value: 1024, source: 't.yaml:3' } },
  notApplied: [{ field: 'Environment.HF_TOKEN', reason: 'a CloudFormation dynamic reference' }],
  resource: null,
};

/** A target over an in-memory deployment: what the shared apply flow does with any target. */
function memoryTarget(options: { failOn?: string; plan?: ApiCall[] } = {}) {
  const deployed = new Map<string, LiveConfig>();
  const executed: string[] = [];
  const target: CloudTarget<null> = {
    id: 'aws-lambda',
    configFile: 'template.yaml',
    readDesired: async () => desired,
    connect: async () => null,
    readLive: async (_session, name) => deployed.get(name) ?? null,
    resolved: () => ({}),
    planApply: (want, live) =>
      options.plan ??
      (live?.settings.memoryMb === want.settings.memoryMb?.value
        ? []
        : [
            live
              ? { operation: 'x:Update', summary: 'memory', input: { memoryMb: 1024 } }
              : { operation: 'x:Create', summary: 'create', input: { memoryMb: 1024 } },
            { operation: 'x:SetWarm', summary: 'warm', input: {} },
          ]),
    execute: async (_session, call) => {
      if (call.operation === options.failOn)
        throw new MigrateError('AccessDenied', { hint: 'grant x:SetWarm' });
      executed.push(call.operation);
      deployed.set('fn', { name: 'fn', id: 'fn', settings: { memoryMb: 1024 }, facts: {} });
    },
    measure: async () => {
      throw new Error('not used');
    },
    close: () => {},
  };
  return { target, executed, deployed };
}

const quiet = () => {
  const lines: string[] = [];
  return { lines, log: { line: (text: string) => lines.push(text) } };
};

describe('applyWorkload', () => {
  it('prints the calls and makes none without --yes', async () => {
    const { target, executed } = memoryTarget();
    const { lines, log } = quiet();
    const result = await applyWorkload(target, null, desired, flags, { yes: false, log });
    expect(executed).toEqual([]);
    expect(result.calls.map((c) => [c.operation, c.status])).toEqual([
      ['x:Create', 'planned'],
      ['x:SetWarm', 'planned'],
    ]);
    expect(lines.filter((line) => line.includes('would call'))).toHaveLength(2);
    expect(lines.at(-1)).toBe('  not applied: Environment.HF_TOKEN: a CloudFormation dynamic reference');
  });

  it('makes them in order with --yes, and a second run has nothing to do', async () => {
    const { target, executed } = memoryTarget();
    const first = await applyWorkload(target, null, desired, flags, { yes: true, log: quiet().log });
    expect(executed).toEqual(['x:Create', 'x:SetWarm']);
    expect(first.calls.every((c) => c.status === 'done')).toBe(true);
    const second = await applyWorkload(target, null, desired, flags, { yes: true, log: quiet().log });
    expect(second.existed).toBe(true);
    expect(second.calls).toEqual([]);
  });

  it('stops at the first failure and says what was already made', async () => {
    const { target, executed } = memoryTarget({ failOn: 'x:SetWarm' });
    const error = await applyWorkload(target, null, desired, flags, { yes: true, log: quiet().log }).catch(
      (e: MigrateError) => e,
    );
    expect(executed).toEqual(['x:Create']);
    expect(error).toBeInstanceOf(MigrateError);
    expect((error as MigrateError).message).toBe(
      'x:SetWarm failed for fn: AccessDenied; already made: x:Create',
    );
    expect((error as MigrateError).hint).toBe('grant x:SetWarm');
  });

  it('says which differences it leaves when the target plans nothing for them', async () => {
    const { target, deployed } = memoryTarget({ plan: [] });
    deployed.set('fn', { name: 'fn', id: 'fn', settings: { memoryMb: 512 }, facts: {} });
    const { lines, log } = quiet();
    const result = await applyWorkload(target, null, desired, flags, { yes: true, log });
    expect(result.leftAsIs.map((f) => f.field)).toEqual(['memoryMb']);
    expect(lines[0]).toBe('fn (ml/Deployment/w): deployed; nothing apply may change');
    expect(lines[1]).toBe(
      '  left as is (apply never deletes): memoryMb is 512, the converted config says 1024 (t.yaml:3)',
    );
  });

  it('refuses a plan that deletes, before making any call', async () => {
    const plan = [
      { operation: 'x:Create', summary: '', input: {} },
      { operation: 'lambda:DeleteProvisionedConcurrencyConfig', summary: '', input: {} },
    ];
    const { target, executed } = memoryTarget({ plan });
    await expect(
      applyWorkload(target, null, desired, flags, { yes: true, log: quiet().log }),
    ).rejects.toThrow(/never deletes/);
    expect(executed).toEqual([]);
  });
});

describe('assertNoDelete', () => {
  it('knows each provider’s spelling of delete and leaves other calls alone', () => {
    for (const operation of ['run.services.delete', 'web.sites.Delete', 'lambda:RemovePermission'])
      expect(() => assertNoDelete([{ operation, summary: '', input: {} }])).toThrow();
    expect(() =>
      assertNoDelete([{ operation: 'lambda:PutProvisionedConcurrencyConfig', summary: '', input: {} }]),
    ).not.toThrow();
  });
});
