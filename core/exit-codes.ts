/** Process exit codes are part of the CLI's contract (docs/exit-codes.md). */
export const ExitCode = {
  ok: 0,
  /** A `--fail-on` condition was met: the run worked, the result is what fails. */
  failOn: 1,
  /** Bad input or usage: a file that cannot be read, a flag that makes no sense. */
  badInput: 2,
  /** A bug in migrate itself. */
  internal: 3,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];
