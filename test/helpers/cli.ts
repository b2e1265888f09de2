import type { CliIo } from '../../cli/io.ts';
import { main } from '../../cli/main.ts';
import { repoRoot } from './paths.ts';

/** Runs the CLI in-process with captured output; `tty` pretends stdout is a terminal. */
export async function runCli(
  argv: string[],
  options: { stdin?: string; tty?: boolean; env?: Record<string, string> } = {},
) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: { write: (text: string) => (stdout += text), isTTY: options.tty ?? false },
    stderr: { write: (text: string) => (stderr += text) },
    env: { PATH: process.env.PATH, ...options.env },
    cwd: repoRoot,
    readStdin: async () => options.stdin ?? '',
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}
