import type { CloudFlags } from '../types.ts';

/**
 * The project `connect` resolved from the credentials, by the flags it was given: planApply takes flags
 * but no session, and the CLI passes the same flags object to both, so the printed call can name the
 * project it will be sent to. A copy of the flags has no entry (the plan then prints `${PROJECT_ID}`,
 * which execute fills).
 */
const RESOLVED_PROJECTS = new WeakMap<CloudFlags, string>();

export function rememberProject(flags: CloudFlags, project: string): void {
  RESOLVED_PROJECTS.set(flags, project);
}

export function resolvedProject(flags: CloudFlags): string | undefined {
  return RESOLVED_PROJECTS.get(flags);
}
