export * from './pool.ts';
export { findHandler, processSpawn } from './process.ts';
export * from './server.ts';
