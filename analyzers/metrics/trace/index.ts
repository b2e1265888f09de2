export type { TraceReadOptions } from './columns.ts';
export { readTraceFile } from './read.ts';
export { readServeGen } from './servegen.ts';
export { TIME_FORMATS, type TimeFormat } from './timestamps.ts';
