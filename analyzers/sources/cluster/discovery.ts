import { isPlainObject } from '../parse.ts';
import { parseJson, statusMessage } from './http-status.ts';
import { apiVersionOf, type ClusterResource } from './resources.ts';
import { attemptsText, getWithRetries, RETRYABLE_STATUSES, type RetryOptions } from './retry.ts';
import { ApiRequestError, formatSeconds, type Transport } from './transport.ts';

/** A resource the cluster serves, at the version it will be listed. */
export interface PlannedResource {
  resource: ClusterResource;
  version: string;
}

export interface DiscoveryResult {
  planned: PlannedResource[];
  notes: string[];
}

/** What the server serves, as far as discovery could tell. */
export interface ServedApis {
  /** group ('' for core) → versions served. */
  groups: Map<string, string[]>;
  /** "group/version" → resource names in it; absent when its discovery document could not be read. */
  resources: Map<string, Set<string>>;
}

/** The first failure that means the cluster cannot be talked to at all; the caller turns it into a MigrateError. */
export class DiscoveryError extends Error {
  constructor(
    message: string,
    readonly reason: 'unreachable' | 'tls' | 'unauthorized' | 'unavailable' | 'unexpected',
  ) {
    super(message);
    this.name = 'DiscoveryError';
  }
}

/**
 * Asks the discovery endpoints (/api, /apis, /api/v1, /apis/<group>/<version>) which of the resources
 * the cluster serves, so that an operator that is not installed becomes one clear note instead of a
 * string of 404s, and each resource is read at a version its reader understands.
 */
export async function discover(
  transport: Transport,
  resources: readonly ClusterResource[],
  run: <T>(tasks: (() => Promise<T>)[]) => Promise<T[]>,
  options: RetryOptions = {},
): Promise<DiscoveryResult> {
  const core = await discoveryGet(transport, '/api', options);
  const groupList = core === 'forbidden' ? core : await discoveryGet(transport, '/apis', options);
  if (core === 'forbidden' || groupList === 'forbidden') {
    // Discovery is open to every authenticated user by default; a cluster that closes it can still allow
    // lists, so read everything at its preferred version and let each list answer for itself.
    return {
      planned: resources.map((resource) => ({ resource, version: resource.versions[0]! })),
      notes: [
        'API discovery is forbidden for this user: every resource is listed without checking it is served',
      ],
    };
  }
  const groups = new Map<string, string[]>([['', stringList(core, 'versions')]]);
  if (isPlainObject(groupList) && Array.isArray(groupList.groups)) {
    for (const group of groupList.groups) {
      if (!isPlainObject(group) || typeof group.name !== 'string' || !Array.isArray(group.versions)) continue;
      groups.set(
        group.name,
        group.versions.flatMap((entry) =>
          isPlainObject(entry) && typeof entry.version === 'string' ? [entry.version] : [],
        ),
      );
    }
  }
  // Every served version of the groups we read, not only the versions we read: a resource served only
  // at a version no reader knows deserves a note that says so, not "not installed".
  const wanted = [...new Set(resources.map((resource) => resource.group))].flatMap((group) =>
    (groups.get(group) ?? []).map((version) => ({ group, version })),
  );
  const documents = await run(
    wanted.map(({ group, version }) => async () => {
      const path = group ? `/apis/${group}/${version}` : `/api/${version}`;
      // 404: the group-version went away since /apis was read (nothing served); any other failure
      // leaves it unknown, and the resources that might live there are listed to find out.
      const document = await discoveryGet(transport, path, options).catch(() => undefined);
      const names = document === null ? new Set<string>() : resourceNames(document);
      return { key: apiVersionOf(group, version), names };
    }),
  );
  const served: ServedApis = { groups, resources: new Map() };
  for (const { key, names } of documents) if (names) served.resources.set(key, names);
  return planResources(resources, served);
}

/** Pure: which version to read each resource at, and a note for each one the cluster does not serve. */
export function planResources(resources: readonly ClusterResource[], served: ServedApis): DiscoveryResult {
  const planned: PlannedResource[] = [];
  const notes: string[] = [];
  for (const resource of resources) {
    const groupVersions = served.groups.get(resource.group) ?? [];
    const has = (version: string) => served.resources.get(apiVersionOf(resource.group, version));
    const version =
      resource.versions.find((candidate) => has(candidate)?.has(resource.plural)) ??
      // A version whose discovery document could not be read may still serve it: try, and let the list say.
      resource.versions.find((candidate) => groupVersions.includes(candidate) && !has(candidate));
    if (version) {
      planned.push({ resource, version });
      continue;
    }
    const elsewhere = groupVersions.filter((candidate) => has(candidate)?.has(resource.plural));
    if (elsewhere.length > 0) {
      notes.push(
        `${resource.title} is served only as ${elsewhere.map((v) => apiVersionOf(resource.group, v)).join(', ')}, which migrate does not read (it reads ${resource.versions.join(', ')}): not listed`,
      );
    } else {
      notes.push(notServedNote(resource, resource.versions[0]!));
    }
  }
  return { planned, notes };
}

export function notServedNote(resource: ClusterResource, version: string): string {
  const apiVersion = apiVersionOf(resource.group, version);
  return resource.crd
    ? `CRD not installed: ${resource.title} (${apiVersion})`
    : `not served by this cluster: ${resource.title} (${apiVersion})`;
}

/**
 * GET a discovery document (retrying 429 and 5xx): the parsed JSON, 'forbidden', or a DiscoveryError
 * when nothing usable came back.
 */
async function discoveryGet(transport: Transport, path: string, options: RetryOptions): Promise<unknown> {
  let response: Awaited<ReturnType<Transport['get']>>;
  let attempts: number;
  try {
    ({ response, attempts } = await getWithRetries(transport, path, undefined, options));
  } catch (error) {
    if (error instanceof ApiRequestError) {
      throw new DiscoveryError(
        error.reason === 'timeout'
          ? `no answer to GET ${path} within ${formatSeconds(transport.timeoutMs)}`
          : `GET ${path} failed: ${error.message}`,
        error.reason === 'tls' ? 'tls' : 'unreachable',
      );
    }
    throw error;
  }
  if (RETRYABLE_STATUSES.has(response.status)) {
    throw new DiscoveryError(
      `GET ${path} answered ${statusMessage(response)}${attemptsText(attempts)}`,
      'unavailable',
    );
  }
  if (response.status === 401) {
    throw new DiscoveryError(
      `the server rejected the credentials (${statusMessage(response)})`,
      'unauthorized',
    );
  }
  if (response.status === 403) return 'forbidden';
  if (response.status === 404) return null;
  const parsed = response.status === 200 ? parseJson(response.body) : null;
  if (!isPlainObject(parsed)) {
    throw new DiscoveryError(
      `GET ${path} did not return a discovery document (${response.status === 200 ? 'not JSON' : statusMessage(response)}): is this a Kubernetes API server?`,
      'unexpected',
    );
  }
  return parsed;
}

function stringList(value: unknown, field: string): string[] {
  const list = isPlainObject(value) ? value[field] : null;
  return Array.isArray(list) ? list.filter((entry): entry is string => typeof entry === 'string') : [];
}

/** Names of the resources an APIResourceList holds, without subresources (`deployments/scale`). */
function resourceNames(document: unknown): Set<string> | null {
  if (!isPlainObject(document) || !Array.isArray(document.resources)) return null;
  return new Set(
    document.resources.flatMap((entry) =>
      isPlainObject(entry) && typeof entry.name === 'string' && !entry.name.includes('/') ? [entry.name] : [],
    ),
  );
}
