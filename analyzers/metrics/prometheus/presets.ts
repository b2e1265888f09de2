/**
 * PromQL presets per workload. Each is a template over `$namespace`, `$workload`, `$pod_regex`,
 * `$step` (the range step, e.g. `60s`), `$rate_window` and `$window` (the whole range), and
 * `$quantile`. Request presets return requests per step (`increase(…[$step])`), which handles
 * counter resets; latency presets return a quantile in their unit; gauges return one number.
 *
 * Every preset can be replaced by name (`requests:istio=PROMQL`), and every kind by kind
 * (`requests=PROMQL` replaces the whole list of request presets with that one query).
 */

import { MigrateError } from '../../../core/errors.ts';

export type PresetKind =
  | 'requests'
  | 'latency'
  | 'replicas'
  | 'cpu'
  | 'gpu-allocated'
  | 'gpu-busy'
  | 'in-flight';

export interface QueryPreset {
  name: string;
  kind: PresetKind;
  title: string;
  promql: string;
  /** For latency presets: the histogram's unit, to convert to ms. */
  unit?: 'ms' | 's';
  /** For latency presets: the request preset they pair with (tried first after it). */
  pairsWith?: string;
}

export interface WorkloadRef {
  namespace: string;
  name: string;
  /** Deployment, StatefulSet, InferenceService…: picks the pod-name pattern and replica metric. */
  kind?: string;
  /** Overrides the pod-name regular expression derived from the kind. */
  podRegex?: string;
}

const ISTIO =
  'reporter="destination",destination_workload_namespace="$namespace",destination_workload="$workload"';
const KNATIVE = 'namespace_name="$namespace",service_name=~"$workload(-predictor(-default)?)?"';
const PODS = 'namespace="$namespace",pod=~"$pod_regex"';
/** DCGM exporter labels are `namespace`/`pod`, or `exported_*` when scraped through its own Service. */
const dcgm = (fn: string, suffix = '') =>
  `${fn}(DCGM_FI_DEV_GPU_UTIL{${PODS}})${suffix} or ${fn}(DCGM_FI_DEV_GPU_UTIL{exported_namespace="$namespace",exported_pod=~"$pod_regex"})${suffix}`;
const quantile = (bucket: string) =>
  `histogram_quantile($quantile, sum by (le) (increase(${bucket}[$window])))`;

export const QUERY_PRESETS: QueryPreset[] = [
  {
    name: 'requests:istio',
    kind: 'requests',
    title: 'Istio sidecar (destination)',
    promql: `sum(increase(istio_requests_total{${ISTIO}}[$step]))`,
  },
  {
    name: 'requests:nginx',
    kind: 'requests',
    title: 'NGINX ingress, by backend service',
    promql:
      'sum(increase(nginx_ingress_controller_requests{namespace="$namespace",service="$workload"}[$step]))',
  },
  {
    name: 'requests:knative',
    kind: 'requests',
    title: 'Knative / KServe queue-proxy',
    promql: `sum(increase(revision_app_request_count{${KNATIVE}}[$step]))`,
  },
  {
    name: 'requests:triton',
    kind: 'requests',
    title: 'Triton successful requests',
    promql: `sum(increase(nv_inference_request_success{${PODS}}[$step]))`,
  },
  {
    name: 'requests:vllm',
    kind: 'requests',
    title: 'vLLM finished requests',
    promql: `sum(increase(vllm:request_success_total{${PODS}}[$step]))`,
  },
  {
    name: 'requests:http',
    kind: 'requests',
    title: 'generic http_requests_total',
    promql: `sum(increase(http_requests_total{${PODS}}[$step]))`,
  },
  {
    name: 'requests:triton-inferences',
    kind: 'requests',
    title: 'Triton inferences (batch items, not requests)',
    promql: `sum(increase(nv_inference_count{${PODS}}[$step]))`,
  },
  {
    name: 'latency:istio',
    kind: 'latency',
    title: 'Istio request duration',
    unit: 'ms',
    pairsWith: 'requests:istio',
    promql: quantile(`istio_request_duration_milliseconds_bucket{${ISTIO}}`),
  },
  {
    name: 'latency:nginx',
    kind: 'latency',
    title: 'NGINX ingress request duration',
    unit: 's',
    pairsWith: 'requests:nginx',
    promql: quantile(
      'nginx_ingress_controller_request_duration_seconds_bucket{namespace="$namespace",service="$workload"}',
    ),
  },
  {
    name: 'latency:knative',
    kind: 'latency',
    title: 'Knative queue-proxy latency',
    unit: 'ms',
    pairsWith: 'requests:knative',
    promql: quantile(`revision_app_request_latencies_bucket{${KNATIVE}}`),
  },
  {
    name: 'latency:vllm',
    kind: 'latency',
    title: 'vLLM end-to-end latency',
    unit: 's',
    pairsWith: 'requests:vllm',
    promql: quantile(`vllm:e2e_request_latency_seconds_bucket{${PODS}}`),
  },
  {
    name: 'latency:http',
    kind: 'latency',
    title: 'generic http_request_duration_seconds',
    unit: 's',
    pairsWith: 'requests:http',
    promql: quantile(`http_request_duration_seconds_bucket{${PODS}}`),
  },
  {
    name: 'replicas:deployment',
    kind: 'replicas',
    title: 'kube-state-metrics Deployment replicas',
    promql: 'sum(kube_deployment_status_replicas{namespace="$namespace",deployment="$workload"})',
  },
  {
    name: 'replicas:statefulset',
    kind: 'replicas',
    title: 'kube-state-metrics StatefulSet replicas',
    promql: 'sum(kube_statefulset_status_replicas{namespace="$namespace",statefulset="$workload"})',
  },
  {
    name: 'replicas:pods',
    kind: 'replicas',
    title: 'running pods (kube-state-metrics)',
    promql: `sum(kube_pod_status_phase{${PODS},phase="Running"})`,
  },
  {
    name: 'cpu',
    kind: 'cpu',
    title: 'pod CPU cores in use (cAdvisor)',
    promql: `sum(rate(container_cpu_usage_seconds_total{${PODS},container!="",container!="POD"}[$rate_window]))`,
  },
  {
    name: 'gpu-allocated',
    kind: 'gpu-allocated',
    title: 'GPUs attached to the pods (DCGM exporter)',
    promql: dcgm('count'),
  },
  {
    name: 'gpu-busy',
    kind: 'gpu-busy',
    title: 'GPU utilisation summed over GPUs, in GPUs (DCGM exporter)',
    promql: dcgm('sum', ' / 100'),
  },
  {
    name: 'in-flight:vllm',
    kind: 'in-flight',
    title: 'vLLM requests running',
    promql: `sum(vllm:num_requests_running{${PODS}})`,
  },
];

const KINDS: PresetKind[] = [
  'requests',
  'latency',
  'replicas',
  'cpu',
  'gpu-allocated',
  'gpu-busy',
  'in-flight',
];

/** Pod names of a workload's pods, from the controller's naming scheme. */
export function podRegexFor(workload: WorkloadRef): string {
  if (workload.podRegex) return workload.podRegex;
  const name = workload.name.replace(/[.\\+*?()|[\]{}^$]/g, '\\\\$&');
  switch ((workload.kind ?? 'Deployment').toLowerCase()) {
    case 'deployment':
      return `${name}-[a-z0-9]{5,10}-[a-z0-9]{5}`; // <name>-<replicaset hash>-<pod suffix>
    case 'statefulset':
      return `${name}-[0-9]+`;
    case 'inferenceservice':
      return `${name}-predictor-.*`;
    default:
      return `${name}-.*`;
  }
}

export interface TemplateValues {
  stepSeconds: number;
  windowSeconds: number;
  quantile?: number;
}

export function renderQuery(promql: string, workload: WorkloadRef, values: TemplateValues): string {
  const vars: Record<string, string> = {
    namespace: workload.namespace,
    workload: workload.name,
    pod_regex: podRegexFor(workload),
    step: `${values.stepSeconds}s`,
    rate_window: `${Math.max(values.stepSeconds, 60)}s`,
    window: `${Math.max(values.windowSeconds, values.stepSeconds)}s`,
    quantile: String(values.quantile ?? 0.5),
  };
  // Longest names first, so `$window` is not read as `$w…` of something shorter.
  return promql.replace(
    /\$(pod_regex|rate_window|namespace|workload|quantile|window|step)\b/g,
    (_, key: string) => vars[key]!,
  );
}

/**
 * The presets of a kind, in the order they are tried, after overrides. A kind override replaces the
 * list with one query named `<kind>:custom`; a name override replaces that preset's PromQL.
 */
export function presetsOf(
  kind: PresetKind,
  overrides: Record<string, string> = {},
  only?: string,
): QueryPreset[] {
  checkOverrides(overrides);
  const byKind = overrides[kind];
  if (byKind !== undefined) {
    return [
      {
        name: `${kind}:custom`,
        kind,
        title: 'user query',
        promql: byKind,
        unit: kind === 'latency' ? 'ms' : undefined,
      },
    ];
  }
  const list = QUERY_PRESETS.filter((p) => p.kind === kind && (only === undefined || p.name === only));
  return list.map((p) => (overrides[p.name] !== undefined ? { ...p, promql: overrides[p.name]! } : p));
}

export function checkOverrides(overrides: Record<string, string>) {
  for (const name of Object.keys(overrides)) {
    if (!KINDS.includes(name as PresetKind) && !QUERY_PRESETS.some((p) => p.name === name)) {
      throw new MigrateError(`unknown Prometheus query name ${JSON.stringify(name)}`, {
        hint: `use a kind (${KINDS.join(', ')}) or a preset (${QUERY_PRESETS.map((p) => p.name).join(', ')})`,
      });
    }
  }
}

/** `name=PROMQL` pairs, as given to `--query`, into an override map. */
export function parseQueryOverrides(pairs: string[]): Record<string, string> {
  const overrides: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0 || at === pair.length - 1) {
      throw new MigrateError(`--query ${JSON.stringify(pair)} is not NAME=PROMQL`, {
        hint: 'e.g. requests=sum(increase(my_requests_total{app="x"}[$step]))',
      });
    }
    overrides[pair.slice(0, at).trim()] = pair.slice(at + 1).trim();
  }
  checkOverrides(overrides);
  return overrides;
}
