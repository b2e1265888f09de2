/** Traffic in: trace files and Prometheus history become a TrafficProfile (core/traffic). */
export * from './prometheus/index.ts';
export * from './trace/index.ts';
