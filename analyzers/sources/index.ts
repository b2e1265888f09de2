export { loadInputs, readTextFile } from './load.ts';
export { isPlainObject, parseManifestText } from './parse.ts';
export type { LoadedInputs, ManifestObject, SourceOptions } from './types.ts';
