/**
 * `migrate apply`: for each converted workload, read what is deployed, plan the SDK calls that make it
 * match, print each one, and make them only when asked (`--yes`). Calls run in order and stop at the
 * first failure, saying which were made; nothing is ever deleted.
 */

import { MigrateError } from '../core/errors.ts';
import { ExitCode } from '../core/exit-codes.ts';
import { type DriftFinding, diffConfig } from './diff.ts';
import type { ApiCall, CloudFlags, CloudTarget, DesiredConfig } from './types.ts';

export type CallStatus = 'planned' | 'done' | 'failed' | 'not-run';

export interface AppliedCall extends ApiCall {
  status: CallStatus;
  elapsedMs?: number;
  error?: string;
}

export interface ApplyResult {
  workload: string;
  name: string;
  /** Whether it existed before: create or update. */
  existed: boolean;
  calls: AppliedCall[];
  notApplied: DesiredConfig['notApplied'];
  /**
   * Differences the plan leaves as they are, when it has nothing to do: what only a delete would change
   * (Lambda provisioned concurrency down to none), which apply never does.
   */
  leftAsIs: DriftFinding[];
}

export interface ApplyLog {
  line(text: string): void;
}

/** Any operation that deletes or removes: apply plans none, and refuses to run one a target planned. */
const DESTRUCTIVE = /(^|[:.])(delete|remove|purge|destroy)/i;

export function assertNoDelete(calls: readonly ApiCall[]): void {
  const bad = calls.find((call) => DESTRUCTIVE.test(call.operation));
  if (bad)
    throw new MigrateError(`refusing ${bad.operation}: migrate apply never deletes`, {
      exitCode: ExitCode.internal,
    });
}

export async function applyWorkload<Session>(
  target: CloudTarget<Session>,
  session: Session,
  desired: DesiredConfig,
  flags: CloudFlags,
  options: { yes: boolean; log: ApplyLog },
): Promise<ApplyResult> {
  const live = await target.readLive(session, desired.name);
  const planned = target.planApply(desired, live, flags, target.resolved(session));
  assertNoDelete(planned);
  const { log } = options;
  const leftAsIs = planned.length === 0 && live ? diffConfig(desired, live).findings : [];
  log.line(
    `${desired.name} (${desired.workload}): ${live ? 'deployed' : 'not deployed'}; ${
      planned.length
        ? `${planned.length} call(s)`
        : leftAsIs.length
          ? 'nothing apply may change'
          : 'already matches, nothing to do'
    }`,
  );
  for (const finding of leftAsIs)
    log.line(`  left as is (apply never deletes): ${finding.message} (${finding.source})`);
  const calls: AppliedCall[] = planned.map((call) => ({ ...call, status: 'planned' }));
  for (const [index, call] of calls.entries()) {
    log.line(`  ${options.yes ? 'calling' : 'would call'} ${call.operation} — ${call.summary}`);
    log.line(`    ${JSON.stringify(call.input)}`);
    if (!options.yes) continue;
    const started = performance.now();
    try {
      await target.execute(session, call);
      call.status = 'done';
      call.elapsedMs = Math.round(performance.now() - started);
      log.line(`    done in ${call.elapsedMs} ms`);
    } catch (error) {
      call.status = 'failed';
      call.error = (error as Error).message;
      for (const rest of calls.slice(index + 1)) rest.status = 'not-run';
      log.line(`    FAILED: ${call.error}`);
      const done = calls.filter((c) => c.status === 'done').map((c) => c.operation);
      throw new MigrateError(
        `${call.operation} failed for ${desired.name}: ${call.error}${done.length ? `; already made: ${done.join(', ')}` : '; no call was made before it'}`,
        {
          exitCode: error instanceof MigrateError ? error.exitCode : ExitCode.internal,
          ...(error instanceof MigrateError && error.hint ? { hint: error.hint } : {}),
          cause: error,
        },
      );
    }
  }
  for (const item of desired.notApplied) log.line(`  not applied: ${item.field}: ${item.reason}`);
  return {
    workload: desired.workload,
    name: desired.name,
    existed: live !== null,
    calls,
    notApplied: desired.notApplied,
    leftAsIs,
  };
}
