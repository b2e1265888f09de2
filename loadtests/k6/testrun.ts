/**
 * A distributed run on Kubernetes with the k6-operator: a ConfigMap holding the script and a TestRun
 * (k6.io/v1alpha1) that runs it on `parallelism` pods. The operator splits arrival-rate scenarios
 * evenly across the pods (k6 execution segments), so the total rate stays the profile's.
 *
 * Secrets the script needs (see secrets.ts) come from a Kubernetes Secret by reference; its values are
 * never written here.
 */

import { stringify } from 'yaml';

export interface TestRunOptions {
  name: string;
  namespace: string | null;
  parallelism: number;
  scriptFile: string;
  script: string;
  requiredEnv: string[];
}

/** A ConfigMap holds at most 1 MiB; a script over this needs fewer stages (a larger --merge-tolerance). */
export const CONFIGMAP_LIMIT_BYTES = 1024 * 1024;

export function secretName(name: string): string {
  return `${name}-secrets`;
}

export function testRunManifest(options: TestRunOptions): Record<string, unknown> {
  const metadata = { name: options.name, ...(options.namespace ? { namespace: options.namespace } : {}) };
  const spec: Record<string, unknown> = {
    parallelism: options.parallelism,
    script: { configMap: { name: options.name, file: options.scriptFile } },
    arguments: `--tag testid=${options.name}`,
  };
  if (options.requiredEnv.length > 0)
    spec.runner = {
      env: options.requiredEnv.map((variable) => ({
        name: variable,
        valueFrom: { secretKeyRef: { name: secretName(options.name), key: variable } },
      })),
    };
  return { apiVersion: 'k6.io/v1alpha1', kind: 'TestRun', metadata, spec };
}

export function configMapManifest(options: TestRunOptions): Record<string, unknown> {
  const metadata = { name: options.name, ...(options.namespace ? { namespace: options.namespace } : {}) };
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata, data: { [options.scriptFile]: options.script } };
}

/** Both documents, ConfigMap first (`kubectl apply -f` creates them in order). */
export function testRunYaml(options: TestRunOptions): string {
  const header = [
    `# k6-operator run of ${options.scriptFile} on ${options.parallelism} pods. Apply: kubectl apply -f <this file>`,
    ...(options.requiredEnv.length > 0
      ? [
          `# Needs Secret ${secretName(options.name)} with keys ${options.requiredEnv.join(', ')}:`,
          `#   kubectl create secret generic ${secretName(options.name)} ${options.requiredEnv.map((key) => `--from-literal=${key}=…`).join(' ')}`,
        ]
      : []),
  ];
  const documents = [configMapManifest(options), testRunManifest(options)].map((doc) =>
    stringify(doc, { lineWidth: 0, blockQuote: 'literal' }),
  );
  return `${header.join('\n')}\n${documents.join('---\n')}`;
}
