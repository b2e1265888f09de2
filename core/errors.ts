import { ExitCode, type ExitCodeValue } from './exit-codes.ts';
import type { SourceRef } from './model/source.ts';

/**
 * The only error type the CLI turns into an exit code other than "internal". Library code throws it
 * for problems the user can fix; everything else is treated as a bug.
 */
export class MigrateError extends Error {
  readonly exitCode: ExitCodeValue;
  readonly hint: string | undefined;
  readonly source: SourceRef | undefined;

  constructor(
    message: string,
    options: { exitCode?: ExitCodeValue; hint?: string; source?: SourceRef; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'MigrateError';
    this.exitCode = options.exitCode ?? ExitCode.badInput;
    this.hint = options.hint;
    this.source = options.source;
  }
}

export function usageError(message: string, hint?: string): MigrateError {
  return new MigrateError(message, { exitCode: ExitCode.badInput, hint });
}
