/**
 * Helpers for the replay tests: a workload from inline YAML (through the real readers), default
 * settings, and a one-call replay of one target.
 */

import { expect } from 'vitest';
import { buildInventory } from '../../analyzers/inventory.ts';
import { parseManifestText } from '../../analyzers/sources/index.ts';
import type { Workload } from '../../core/model/index.ts';
import { NODE_TYPES } from '../../core/pricing/nodes.ts';
import type { TrafficProfile } from '../../core/traffic/index.ts';
import type { ReplaySettings, ReplayTargetId } from '../platforms/types.ts';
import { profileSpanMs } from '../traffic/window.ts';
import { runReplay } from './replay.ts';
import type { OkRun } from './result.ts';
import type { ServiceTimeSpec } from './service-time.ts';

export function workloadFromYaml(yaml: string, id?: string): Workload {
  const parsed = parseManifestText('test.yaml', yaml, 100);
  const inventory = buildInventory(
    {
      objects: parsed.objects,
      skipped: parsed.skipped,
      errors: parsed.errors,
      files: ['test.yaml'],
      notes: [],
    },
    { defaultNamespace: 'default' },
  );
  if (inventory.errors.length) throw new Error(inventory.errors.map((error) => error.message).join('; '));
  const workload = id ? inventory.workloads.find((entry) => entry.id === id) : inventory.workloads[0];
  if (!workload) throw new Error(`no workload ${id ?? ''} in the YAML`);
  return workload;
}

/** A plain Deployment: `replicas` pods of 500m CPU / 1 GiB (optionally with GPUs), nothing else. */
export function deploymentYaml(options: {
  name?: string;
  replicas: number;
  gpus?: number;
  extra?: string;
  probes?: string;
}): string {
  const name = options.name ?? 'model';
  const gpu = options.gpus ? `\n              nvidia.com/gpu: ${options.gpus}` : '';
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ml
spec:
  replicas: ${options.replicas}
  selector:
    matchLabels: { app: ${name} }
  template:
    metadata:
      labels: { app: ${name} }
    spec:
      containers:
        - name: server
          image: example/model:1
          resources:
            requests:
              cpu: 500m
              memory: 1Gi${gpu}
            limits:
              memory: 1Gi${gpu}${options.probes ?? ''}
${options.extra ?? ''}`;
}

export function testSettings(overrides: Partial<ReplaySettings> = {}): ReplaySettings {
  return {
    podConcurrency: null,
    lb: 'least-outstanding',
    nodeType: null,
    nodeTypes: NODE_TYPES,
    maxNodes: null,
    initialNodes: null,
    pod: {},
    nodeProvisioningSeconds: null,
    nodeHourlyUsd: null,
    calibration: null,
    timeoutMs: 60_000,
    ...overrides,
  };
}

/** Replays `profile` on one target and returns its run (throws if the target did not run). */
export function replayOne(options: {
  workload: Workload;
  profile: TrafficProfile;
  target: ReplayTargetId;
  service: ServiceTimeSpec;
  settings?: Partial<ReplaySettings>;
  seed?: number;
  sloMs?: number | null;
}): OkRun {
  const report = runReplay({
    workload: options.workload,
    blocked: {},
    profile: options.profile,
    window: { startMs: 0, endMs: profileSpanMs(options.profile) },
    targets: [options.target],
    seed: options.seed ?? 1,
    service: { spec: options.service, source: 'test' },
    settings: testSettings(options.settings),
    sloMs: options.sloMs ?? null,
    version: 'test',
  });
  const run = report.runs[0]!;
  if (run.status !== 'ok') throw new Error(`${options.target} did not run: ${run.status}`);
  return run;
}

/** Every request is accounted for exactly once, and Little's law holds over the run. */
export function expectConsistent(run: OkRun): void {
  const { total, served, timedOut, throttled, dropped } = run.requests;
  expect(served + timedOut + throttled + dropped).toBe(total);
  expect(run.littlesLaw.relativeError).toBeLessThan(1e-6);
}
