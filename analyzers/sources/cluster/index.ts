import { MigrateError } from '../../../core/errors.ts';
import type { LoadedInputs } from '../types.ts';
import { DiscoveryError, discover, notServedNote, type PlannedResource } from './discovery.ts';
import { type KubeconfigOptions, loadKubeconfig, type ResolvedKubeconfig } from './kubeconfig.ts';
import { listAll } from './list.ts';
import { listSource, toClusterObjects } from './objects.ts';
import { apiVersionOf, CLUSTER_RESOURCES, type ClusterResource, sourceKindOf } from './resources.ts';
import type { RetryOptions } from './retry.ts';
import { openTransport, type Transport } from './transport.ts';

export interface ClusterOptions extends KubeconfigOptions {
  /** `--namespace`; with neither it nor `allNamespaces`, the context's namespace, else `default` (kubectl's rule). */
  namespace?: string | null;
  allNamespaces?: boolean;
  /** Deadline of each request to the API server, connecting and reading included. */
  requestTimeoutMs: number;
  /** Objects asked for per page (`limit`); kubectl uses 500. */
  pageSize?: number;
  /** Requests in flight at once. */
  concurrency?: number;
  /** The resources to read; tests narrow it. */
  resources?: readonly ClusterResource[];
  /**
   * The first wait before a request answered 429 or 5xx is retried (it doubles: 0.5 s, 1 s, 2 s by
   * default) when the server sends no Retry-After; tests make it a few ms.
   */
  retryBaseMs?: number;
}

export interface ClusterInputs extends LoadedInputs {
  /** What was read, for the report's `inputs`: `cluster:<context>` or `cluster:<context>/<namespace>`. */
  inputs: string[];
}

/**
 * Reads the kinds migrate understands from a live cluster into the same `LoadedInputs` the file source
 * produces, so kind readers, linking, rules and reports run unchanged. The I/O edge: kubeconfig, HTTP.
 * A cluster that cannot be reached or rejects the credentials is a MigrateError; a resource that cannot
 * be listed is a note (RBAC denial, operator not installed) or an error naming it, and the rest is read.
 */
export async function loadCluster(options: ClusterOptions): Promise<ClusterInputs> {
  if (options.namespace && options.allNamespaces) {
    throw new MigrateError('--namespace and --all-namespaces exclude each other', {
      hint: 'give one namespace, or all of them',
    });
  }
  const kubeconfig = await loadKubeconfig(options);
  const namespace = options.allNamespaces ? null : (options.namespace ?? kubeconfig.namespace ?? 'default');
  const resources = options.resources ?? CLUSTER_RESOURCES;
  const transport = await openTransport(kubeconfig, options.requestTimeoutMs);
  const run = pool(options.concurrency ?? 6);
  const server = withoutUserinfo(kubeconfig.server);
  const where = kubeconfig.inCluster
    ? `the Kubernetes API server at ${server}, ${kubeconfig.label}`
    : `the Kubernetes API server at ${server} (${kubeconfig.label})`;
  const retry = options.retryBaseMs === undefined ? {} : { retryBaseMs: options.retryBaseMs };
  try {
    const discovery = await discover(transport, resources, run, retry).catch((error: unknown) => {
      if (!(error instanceof DiscoveryError)) throw error;
      throw new MigrateError(`cannot read ${where}: ${error.message}`, {
        hint: discoveryHint(error, kubeconfig),
        cause: error,
      });
    });
    const loaded: ClusterInputs = {
      objects: [],
      skipped: [],
      errors: [],
      files: [],
      notes: [
        `read from ${where}, ${namespace === null ? 'all namespaces' : `namespace ${namespace}`}; each object's source is cluster:<context>/<namespace>/<Kind>/<name>`,
        ...discovery.notes,
      ],
      inputs: [`cluster:${kubeconfig.context}${namespace === null ? '' : `/${namespace}`}`],
    };
    const outcomes = await run(
      discovery.planned.map(
        (plan) => () =>
          readResource(transport, plan, namespace, { pageSize: options.pageSize ?? 500, ...retry }),
      ),
    );
    const readKinds = new Set(resources.map((resource) => `${resource.group}/${resource.kind}`));
    // Results are gathered in the order of the resource list, not of arrival, so output is deterministic.
    discovery.planned.forEach((plan, index) => {
      const outcome = outcomes[index]!;
      const { resource, version } = plan;
      const source = listSource(kubeconfig.context, namespace, sourceKindOf(resource), resource.namespaced);
      const what = `${resource.title} (${apiVersionOf(resource.group, version)} ${resource.plural}) ${scopeText(resource, namespace)}`;
      if (outcome.type === 'items') {
        loaded.files.push(source);
        const converted = toClusterObjects(outcome.items, resource, version, kubeconfig.context, readKinds);
        loaded.objects.push(...converted.objects);
        loaded.skipped.push(...converted.skipped);
      } else if (outcome.type === 'forbidden') {
        loaded.notes.push(`RBAC: not allowed to list ${what}; analysed without them (${outcome.message})`);
      } else if (outcome.type === 'not-found') {
        loaded.notes.push(notServedNote(resource, version));
      } else {
        loaded.files.push(source);
        loaded.errors.push({ file: source, line: null, message: `listing ${what}: ${outcome.message}` });
      }
    });
    return loaded;
  } finally {
    transport.close();
  }
}

function discoveryHint(error: DiscoveryError, kubeconfig: ResolvedKubeconfig): string {
  const inCluster = kubeconfig.inCluster;
  switch (error.reason) {
    case 'unauthorized':
      return inCluster
        ? `the service-account token in ${inCluster.tokenFile} was rejected: is it this cluster's, and current?`
        : 'log in again (the token may have expired), or check the user of this context in the kubeconfig';
    case 'unreachable':
      return inCluster
        ? 'is the API server reachable from this pod (KUBERNETES_SERVICE_HOST/PORT, network policies)? --request-timeout waits longer'
        : `is the cluster up and reachable from here? \`kubectl --context ${kubeconfig.context} get --raw /api\` tries the same; --request-timeout waits longer`;
    case 'tls':
      return inCluster
        ? `the server's certificate is not signed by ${inCluster.dir}/ca.crt (or is not issued for ${hostOf(kubeconfig.server)}): is KUBERNETES_SERVICE_HOST the cluster's API server?`
        : `the server's certificate does not verify against the cluster's certificate-authority in the kubeconfig (or is not issued for ${hostOf(kubeconfig.server)})`;
    case 'unavailable':
      return 'the API server is overloaded (429: API Priority and Fairness) or unavailable; try again later';
    default:
      return inCluster
        ? 'check KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT'
        : 'check the server address of this context in the kubeconfig';
  }
}

async function readResource(
  transport: Transport,
  plan: PlannedResource,
  namespace: string | null,
  options: { pageSize: number } & RetryOptions,
) {
  const { resource, version } = plan;
  const base = resource.group ? `/apis/${resource.group}/${version}` : `/api/${version}`;
  let path = `${base}/${resource.plural}`;
  if (resource.namespaced && namespace !== null) {
    path = `${base}/namespaces/${encodeURIComponent(namespace)}/${resource.plural}`;
  } else if (resource.kind === 'Namespace' && resource.group === '' && namespace !== null) {
    // Only the namespace being analysed, so other namespaces do not turn up as unrelated objects.
    path = `${path}?fieldSelector=${encodeURIComponent(`metadata.name=${namespace}`)}`;
  }
  return listAll(transport, path, { ...options, metadataOnly: resource.metadataOnly === true });
}

function scopeText(resource: ClusterResource, namespace: string | null): string {
  if (!resource.namespaced) return '(cluster-scoped)';
  return namespace === null ? 'in all namespaces' : `in namespace ${namespace}`;
}

function hostOf(server: string): string {
  try {
    return new URL(server).hostname;
  } catch {
    return server;
  }
}

/** The server address as notes and errors show it: never with a user or password some kubeconfig put in it. */
function withoutUserinfo(server: string): string {
  try {
    const url = new URL(server);
    url.username = '';
    url.password = '';
    return url.toString().replace(/\/$/, '');
  } catch {
    return server;
  }
}

/** Runs tasks with at most `size` in flight; results keep the tasks' order. */
function pool(size: number) {
  return async <T>(tasks: (() => Promise<T>)[]): Promise<T[]> => {
    const results: T[] = new Array(tasks.length);
    let next = 0;
    const worker = async () => {
      while (next < tasks.length) {
        const index = next++;
        results[index] = await tasks[index]!();
      }
    };
    await Promise.all(Array.from({ length: Math.min(size, tasks.length) }, worker));
    return results;
  };
}

export { CLUSTER_RESOURCES, type ClusterResource } from './resources.ts';
