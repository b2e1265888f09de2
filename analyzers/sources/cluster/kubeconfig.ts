import { existsSync, readFileSync } from 'node:fs';
import { isIPv6 } from 'node:net';
import { delimiter, join, resolve } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { MigrateError } from '../../../core/errors.ts';

export interface KubeconfigOptions {
  /** `--kubeconfig`: wins over KUBECONFIG and ~/.kube/config, as with kubectl. */
  kubeconfig?: string | null;
  /** `--context`: defaults to the kubeconfig's current-context. */
  context?: string | null;
  /**
   * The environment to read KUBECONFIG and HOME from, and KUBERNETES_SERVICE_HOST/PORT for in-cluster
   * config (the CLI's, so tests can set their own).
   */
  env: Record<string, string | undefined>;
  /** Relative kubeconfig paths are taken from here. */
  cwd: string;
  /** Where a pod's service account is mounted (token, ca.crt, namespace); tests point it elsewhere. */
  serviceAccountDir?: string;
}

/** Where Kubernetes mounts a pod's service-account token, CA and namespace (client-go and client-node read it there). */
export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';
/** How messages name in-cluster config, where they would name a context or kubeconfig files. */
export const IN_CLUSTER = 'in-cluster (service account)';
/** The context name in-cluster config goes by in sources and `inputs`: `cluster:in-cluster/<namespace>/…`. */
export const IN_CLUSTER_CONTEXT = 'in-cluster';

export interface ResolvedKubeconfig {
  config: KubeConfig;
  /** The context's name, as sources and `inputs` carry it (`in-cluster` for a pod's service account). */
  context: string;
  /** How messages name where the configuration came from: `context prod`, or `in-cluster (service account)`. */
  label: string;
  server: string;
  /** The context's namespace, which kubectl uses when none is given. */
  namespace: string | null;
  /** Files the configuration came from, for messages. */
  files: string[];
  /** Set for in-cluster config: the service-account files, the token re-read for every request (it rotates). */
  inCluster: { dir: string; tokenFile: string } | null;
}

/**
 * Loads the user's kubeconfig the way kubectl finds it. The client library is imported here, lazily:
 * it takes most of a second to load, which every file-only `migrate analyze` would otherwise pay.
 */
export async function loadKubeconfig(options: KubeconfigOptions): Promise<ResolvedKubeconfig> {
  const { KubeConfig } = await import('@kubernetes/client-node');
  const files = kubeconfigFiles(options);
  if (files === null) {
    const inCluster = inClusterConfig(options, KubeConfig);
    if (inCluster.type === 'config') return inCluster.resolved;
    throw new MigrateError(
      `no kubeconfig found: KUBECONFIG is not set, ~/.kube/config does not exist, and ${inCluster.why}`,
      {
        hint: `pass --kubeconfig FILE, set KUBECONFIG, or log in to the cluster first (e.g. gcloud/aws/az get-credentials); inside a pod, migrate uses the pod's service account (in-cluster) when KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are set and ${join(serviceAccountDir(options), 'token')} exists (automountServiceAccountToken)`,
      },
    );
  }
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
    label: `context ${context}`,
    server: cluster.server,
    namespace: contextObject.namespace ?? null,
    files,
    inCluster: null,
  };
}

/**
 * A pod's own credentials, as kubectl and client-go use them when there is no kubeconfig: the API
 * server from KUBERNETES_SERVICE_HOST/PORT, the cluster CA, the service-account token and the pod's
 * namespace from the mounted service-account directory. Mirrors client-node's
 * KubeConfig.loadFromCluster, but reads the environment given (the CLI's), not process.env.
 */
function inClusterConfig(
  options: KubeconfigOptions,
  KubeConfigClass: typeof KubeConfig,
): { type: 'config'; resolved: ResolvedKubeconfig } | { type: 'none'; why: string } {
  const host = options.env.KUBERNETES_SERVICE_HOST;
  const port = options.env.KUBERNETES_SERVICE_PORT;
  if (!host || !port) {
    return {
      type: 'none',
      why: 'this is not a pod (KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set)',
    };
  }
  const dir = serviceAccountDir(options);
  const tokenFile = join(dir, 'token');
  if (!existsSync(tokenFile)) {
    return {
      type: 'none',
      why: `KUBERNETES_SERVICE_HOST is set but ${tokenFile} does not exist (no service-account token mounted)`,
    };
  }
  if (options.context) {
    throw new MigrateError(
      `--context ${options.context}: there is no kubeconfig to take the context from, only ${IN_CLUSTER} config`,
      {
        hint: "drop --context to read the cluster with the pod's service account, or pass --kubeconfig FILE",
      },
    );
  }
  // client-node's rule: plain HTTP on the ports an insecure or proxied API server listens on.
  const scheme = ['80', '8080', '8001'].includes(port) ? 'http' : 'https';
  const server = `${scheme}://${isIPv6(host) ? `[${host}]` : host}:${port}`;
  const caFile = join(dir, 'ca.crt');
  const namespaceFile = join(dir, 'namespace');
  const namespace = existsSync(namespaceFile) ? readFileSync(namespaceFile, 'utf8').trim() : '';
  const config = new KubeConfigClass();
  config.loadFromOptions({
    clusters: [
      {
        name: IN_CLUSTER_CONTEXT,
        server,
        // Without ca.crt, client-go goes on with the system's CAs; so does this. skipTLSVerify only
        // lets client-node make a plain-HTTP agent (it refuses http:// otherwise); HTTPS is verified.
        ...(existsSync(caFile) ? { caFile } : {}),
        skipTLSVerify: scheme === 'http',
      },
    ],
    users: [{ name: IN_CLUSTER_CONTEXT, authProvider: { name: 'tokenFile', config: { tokenFile } } }],
    contexts: [
      {
        name: IN_CLUSTER_CONTEXT,
        cluster: IN_CLUSTER_CONTEXT,
        user: IN_CLUSTER_CONTEXT,
        ...(namespace ? { namespace } : {}),
      },
    ],
    currentContext: IN_CLUSTER_CONTEXT,
  });
  return {
    type: 'config',
    resolved: {
      config,
      context: IN_CLUSTER_CONTEXT,
      label: IN_CLUSTER,
      server,
      namespace: namespace || null,
      files: [],
      inCluster: { dir, tokenFile },
    },
  };
}

function serviceAccountDir(options: KubeconfigOptions): string {
  return resolve(options.cwd, options.serviceAccountDir ?? SERVICE_ACCOUNT_DIR);
}

/** --kubeconfig, else every file in KUBECONFIG (path-list, as kubectl), else ~/.kube/config; null: none. */
function kubeconfigFiles(options: KubeconfigOptions): string[] | null {
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
  return null;
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
