import { execFile } from 'node:child_process';

/** Runs a renderer (kubectl kustomize, helm template) and returns its stdout, or the reason it failed. */
export function renderWith(
  binary: string,
  args: string[],
  timeoutMs = 60_000,
): Promise<{ ok: true; text: string } | { ok: false; message: string }> {
  return new Promise((resolve) => {
    execFile(binary, args, { timeout: timeoutMs, maxBuffer: 256 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) {
        const detail = stderr.trim().split('\n').slice(-3).join(' ') || error.message;
        resolve({ ok: false, message: `${binary} ${args.join(' ')} failed: ${detail}` });
      } else {
        resolve({ ok: true, text: stdout });
      }
    });
  });
}
