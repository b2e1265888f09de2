// Node 20 runs no TypeScript by itself, and a worker thread does not inherit the main thread's loader:
// register tsx here, then load the worker.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
