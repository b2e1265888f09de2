import { existsSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { MigrateError } from '../../../core/errors.ts';

export interface KubeconfigOptions {
  /** `--kubeconfig`: wins over KUBECONFIG and ~/.kube/config, as with kubectl. */
  kubeconfig?: string | null;
  /** `--context`: defaults to the kubeconfig's current-context. */
  context?: string | null;
  /** The environment to read KUBECONFIG and HOME from (the CLI's, so tests can set their own). */
  env: Record<string, string | undefined>;
  /** Relative kubeconfig paths are taken from here. */
  cwd: string;
}

export interface ResolvedKubeconfig {
  config: KubeConfig;
  context: string;
  server: string;
  /** The context's namespace, which kubectl uses when none is given. */
  namespace: string | null;
  /** Files the configuration came from, for messages. */
  files: string[];
}

/**
 * Loads the user's kubeconfig the way kubectl finds it. The client library is imported here, lazily:
 * it takes most of a second to load, which every file-only `migrate analyze` would otherwise pay.
 */
export async function loadKubeconfig(options: KubeconfigOptions): Promise<ResolvedKubeconfig> {
  const { KubeConfig } = await import('@kubernetes/client-node');
  const files = kubeconfigFiles(options);
  const merged = new KubeConfig();
  merged.loadFromOptions({ clusters: [], users: [], contexts: [], currentContext: '' });
  for (const file of files) {
    const one = new KubeConfig();
    try {
      one.loadFromFile(file);
    } catch (error) {
      throw new MigrateError(`cannot read kubeconfig ${file}: ${(error as Error).message}`, {
        hint: 'check the file is a kubeconfig (kubectl config view --kubeconfig FILE), or point --kubeconfig elsewhere',
        cause: error,
      });
    }
    mergeFirstWins(merged, one);
  }
  const context = options.context ?? merged.getCurrentContext();
  const names = merged.getContexts().map((entry) => entry.name);
  if (!context) {
    throw new MigrateError(`${files.join(', ')} sets no current-context`, {
      hint: names.length
        ? `pass --context (this kubeconfig has: ${names.join(', ')})`
        : 'the kubeconfig has no contexts at all',
    });
  }
  const contextObject = merged.getContextObject(context);
  if (!contextObject) {
    throw new MigrateError(`context ${JSON.stringify(context)} is not in ${files.join(', ')}`, {
      hint: names.length ? `contexts there: ${names.join(', ')}` : 'the kubeconfig has no contexts at all',
    });
  }
  merged.setCurrentContext(context);
  const cluster = merged.getCurrentCluster();
  if (!cluster) {
    throw new MigrateError(
      `context ${context} names cluster ${JSON.stringify(contextObject.cluster)}, which ${files.join(', ')} does not define`,
      { hint: 'kubectl config view shows the clusters the kubeconfig defines' },
    );
  }
  return {
    config: merged,
    context,
    server: cluster.server,
    namespace: contextObject.namespace ?? null,
    files,
  };
}

/** --kubeconfig, else every file in KUBECONFIG (path-list, as kubectl), else ~/.kube/config. */
function kubeconfigFiles(options: KubeconfigOptions): string[] {
  if (options.kubeconfig) {
    const file = resolve(options.cwd, options.kubeconfig);
    if (!existsSync(file)) {
      throw new MigrateError(`--kubeconfig ${options.kubeconfig}: no such file`, {
        hint: 'give the path of a kubeconfig file',
      });
    }
    return [file];
  }
  const fromEnv = (options.env.KUBECONFIG ?? '')
    .split(delimiter)
    .filter(Boolean)
    .map((file) => resolve(options.cwd, file));
  // kubectl skips KUBECONFIG entries that do not exist; only when none does is it an error.
  const existing = fromEnv.filter((file) => existsSync(file));
  if (fromEnv.length > 0) {
    if (existing.length === 0) {
      throw new MigrateError(`KUBECONFIG names no file that exists (${fromEnv.join(', ')})`, {
        hint: 'fix KUBECONFIG, or pass --kubeconfig FILE',
      });
    }
    return existing;
  }
  const home = options.env.HOME ?? options.env.USERPROFILE;
  const defaultFile = home ? join(home, '.kube', 'config') : null;
  if (defaultFile && existsSync(defaultFile)) return [defaultFile];
  throw new MigrateError('no kubeconfig found: KUBECONFIG is not set and ~/.kube/config does not exist', {
    hint: 'pass --kubeconfig FILE, set KUBECONFIG, or log in to the cluster first (e.g. gcloud/aws/az get-credentials)',
  });
}

/** kubectl's merge: the first file that sets a name (or current-context) wins; later ones only add. */
function mergeFirstWins(into: KubeConfig, from: KubeConfig): void {
  if (!into.getCurrentContext() && from.getCurrentContext()) into.setCurrentContext(from.getCurrentContext());
  for (const cluster of from.getClusters()) {
    if (!into.getCluster(cluster.name)) into.addCluster(cluster);
  }
  for (const user of from.getUsers()) {
    if (!into.getUser(user.name)) into.addUser(user);
  }
  for (const context of from.getContexts()) {
    if (!into.getContextObject(context.name)) into.addContext(context);
  }
}
