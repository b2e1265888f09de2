export {
  createPrometheusClient,
  PROMETHEUS_MAX_POINTS,
  type PrometheusClient,
  type PrometheusClientOptions,
  type RangeQuery,
  type RangeSeries,
  resolveWindow,
  splitRange,
  type WindowOptions,
} from './client.ts';
export { observeCluster } from './cluster.ts';
export {
  parseQueryOverrides,
  podRegexFor,
  QUERY_PRESETS,
  type QueryPreset,
  renderQuery,
  type WorkloadRef,
} from './presets.ts';
export { type PrometheusProfileOptions, profileFromPrometheus } from './profile.ts';
