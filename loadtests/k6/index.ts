/** k6 script generation (open-model replay of a traffic profile) and k6-operator TestRun manifests. */

export * from './script.ts';
export * from './secrets.ts';
export * from './stages.ts';
export * from './testrun.ts';
