import { fileURLToPath } from 'node:url';

/** The repository root and the shared folder beside it (as in CI: a clone with ../shared). */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const sharedDir = fileURLToPath(new URL('../../../shared/', import.meta.url));
export const corpusK8sDir = `${sharedDir}corpus/k8s/`;
