/**
 * The Cloud Run Admin API v2 Service, as far as apply writes it: the request body of
 * `projects.locations.services.create` and `.patch`
 * (https://cloud.google.com/run/docs/reference/rest/v2/projects.locations.services#Service), in the
 * object form the Node SDK takes (camelCase, enums by name, Duration as `{ seconds }`). Types only, plus
 * the placeholder substitution apply needs; the SDK's own types stay inside live.ts and execute.ts.
 */

export type ExecutionEnvironment = 'EXECUTION_ENVIRONMENT_GEN1' | 'EXECUTION_ENVIRONMENT_GEN2';
export type IngressTraffic =
  | 'INGRESS_TRAFFIC_ALL'
  | 'INGRESS_TRAFFIC_INTERNAL_ONLY'
  | 'INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER';

export interface V2Probe {
  initialDelaySeconds?: number;
  timeoutSeconds?: number;
  periodSeconds?: number;
  failureThreshold?: number;
  httpGet?: { path?: string; port?: number; httpHeaders?: { name: string; value?: string }[] };
  tcpSocket?: { port?: number };
  grpc?: { port?: number; service?: string };
}

export interface V2EnvVar {
  name: string;
  value?: string;
  /** A Secret Manager reference: the value never passes through apply. */
  valueSource?: { secretKeyRef: { secret: string; version?: string } };
}

export interface V2Container {
  name?: string;
  image: string;
  command?: string[];
  args?: string[];
  env?: V2EnvVar[];
  resources?: { limits?: Record<string, string>; cpuIdle?: boolean; startupCpuBoost?: boolean };
  ports?: { name?: string; containerPort?: number }[];
  workingDir?: string;
  startupProbe?: V2Probe;
  livenessProbe?: V2Probe;
}

export interface V2Template {
  labels?: Record<string, string>;
  scaling?: { minInstanceCount?: number; maxInstanceCount?: number };
  timeout?: { seconds: number };
  serviceAccount?: string;
  containers: V2Container[];
  executionEnvironment?: ExecutionEnvironment;
  maxInstanceRequestConcurrency?: number;
  sessionAffinity?: boolean;
  nodeSelector?: { accelerator: string };
  gpuZonalRedundancyDisabled?: boolean;
}

export interface V2TrafficTarget {
  type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST' | 'TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION';
  revision?: string;
  percent?: number;
  tag?: string;
}

export interface V2Service {
  /** Set on patch (the full resource name); create composes it from parent and serviceId. */
  name?: string;
  description?: string;
  labels?: Record<string, string>;
  ingress?: IngressTraffic;
  launchStage?: string;
  template: V2Template;
  traffic?: V2TrafficTarget[];
}

/** The placeholders `migrate convert` leaves for the deploy to fill (converters/cloud-run/image.ts). */
export interface Placeholders {
  REGION: string;
  PROJECT_ID: string;
}

/** Replaces `${REGION}` and `${PROJECT_ID}` in every string of `value`; other text is left alone. */
export function substitute<T>(value: T, values: Partial<Placeholders>): T {
  if (typeof value === 'string')
    return value.replace(
      /\$\{(REGION|PROJECT_ID)\}/g,
      (whole, key: keyof Placeholders) => values[key] ?? whole,
    ) as T;
  if (Array.isArray(value)) return value.map((item) => substitute(item, values)) as T;
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, substitute(item, values)]),
    ) as T;
  return value;
}

/** `${…}` left in a string after substitution: something the deploy must still fill. */
export function placeholdersIn(value: unknown): string[] {
  const found = new Set<string>();
  const walk = (item: unknown) => {
    if (typeof item === 'string') for (const match of item.matchAll(/\$\{[^}]*\}/g)) found.add(match[0]);
    else if (Array.isArray(item)) item.forEach(walk);
    else if (item !== null && typeof item === 'object') Object.values(item).forEach(walk);
  };
  walk(value);
  return [...found].sort();
}

export function serviceName(project: string, region: string, name: string): string {
  return `projects/${project}/locations/${region}/services/${name}`;
}

/** `projects/P/locations/R/services/N` → its parts, or null. */
export function parseServiceName(name: string): { project: string; region: string; service: string } | null {
  const match = /^projects\/([^/]+)\/locations\/([^/]+)\/services\/([^/]+)$/.exec(name);
  return match ? { project: match[1]!, region: match[2]!, service: match[3]! } : null;
}
