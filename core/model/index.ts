export * from './annotations.ts';
export * from './finding.ts';
export * from './source.ts';
export * from './workload.ts';
