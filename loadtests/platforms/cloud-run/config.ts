/**
 * The Cloud Run service the replay simulates: read from the service.yaml `migrate convert` wrote
 * (`--config-dir`), so what is simulated is exactly what would be deployed; without one, planned by
 * the converter itself (converters/cloud-run/plan.ts) as `migrate convert` would without traffic.
 */

import { parse } from 'yaml';
import { planService } from '../../../converters/cloud-run/plan.ts';
import { MigrateError } from '../../../core/errors.ts';
import type { Workload } from '../../../core/model/index.ts';
import { parseBytes, parseCpuMillis } from '../../../core/quantity.ts';
import { planContext, workloadReport } from '../aws-lambda/common/report.ts';
import { SERVICE_DEFAULTS } from './defaults.ts';

export interface CloudRunConfig {
  concurrency: number;
  timeoutSeconds: number;
  minScale: number;
  /** null: the default maximum. */
  maxScale: number | null;
  /** Instance-based billing (`run.googleapis.com/cpu-throttling: "false"`), else request-based. */
  instanceBilling: boolean;
  cpuMillis: number;
  memoryBytes: number;
  /** The accelerator (`nvidia-l4`), or null. */
  gpu: string | null;
  source: string;
  defaulted: string[];
}

/** What `migrate convert --target cloud-run` would emit for the workload when given no traffic. */
export function plannedCloudRunConfig(workload: Workload): CloudRunConfig {
  const plan = planService(workloadReport(workload), planContext());
  if (!plan)
    throw new MigrateError(
      `${workload.id} fits no Cloud Run instance size, so there is no service to replay`,
      {
        hint: 'the analysis blocks such workloads for cloud-run; replay the other targets with --targets',
      },
    );
  return {
    concurrency: plan.concurrency,
    timeoutSeconds: plan.timeoutSeconds,
    minScale: plan.minScale,
    maxScale: plan.maxScale,
    instanceBilling: plan.instanceBilling,
    cpuMillis: plan.size.cpuMillis,
    memoryBytes: plan.size.memoryBytes,
    gpu: plan.gpu?.model ?? null,
    source:
      'planned by converters/cloud-run as `migrate convert` would without --traffic (pass --config-dir to replay a converted service.yaml)',
    defaulted: [],
  };
}

type Node = Record<string, unknown>;
const isNode = (value: unknown): value is Node =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A `serving.knative.dev/v1` Service as `gcloud run services replace` takes it. */
export function parseServiceYaml(text: string, file: string): CloudRunConfig {
  const fail = (why: string) =>
    new MigrateError(`${file}: ${why}`, {
      hint: 'pass the folder `migrate convert --out` wrote (cloud-run/service.yaml)',
    });
  let root: unknown;
  try {
    root = parse(text, { logLevel: 'error' });
  } catch (error) {
    throw fail(`not valid YAML: ${(error as Error).message}`);
  }
  if (!isNode(root) || root.kind !== 'Service' || !isNode(root.spec)) throw fail('not a Cloud Run Service');
  const template = isNode(root.spec.template) ? root.spec.template : {};
  const metadata = isNode(template.metadata) ? template.metadata : {};
  const annotations: Node = {
    ...(isNode(root.metadata) && isNode(root.metadata.annotations) ? root.metadata.annotations : {}),
    ...(isNode(metadata.annotations) ? metadata.annotations : {}),
  };
  const spec = isNode(template.spec) ? template.spec : {};
  const container = Array.isArray(spec.containers) && isNode(spec.containers[0]) ? spec.containers[0] : {};
  const resources = isNode(container.resources) ? container.resources : {};
  const limits = isNode(resources.limits) ? resources.limits : {};
  const selector = isNode(spec.nodeSelector) ? spec.nodeSelector : {};
  const defaulted: string[] = [];
  const pick = <T>(value: T | undefined, name: string, fallback: { value: T; source: string }): T => {
    if (value !== undefined) return value;
    defaulted.push(`${name} ${String(fallback.value)} (${fallback.source})`);
    return fallback.value;
  };
  const count = (value: unknown, name: string): number | undefined => {
    if (value === undefined || value === null) return undefined;
    const parsed = Number(value);
    if (!Number.isFinite(parsed) || parsed < 0)
      throw fail(`${name} must be a number, got ${JSON.stringify(value)}`);
    return parsed;
  };
  const annotation = (...names: string[]) =>
    names.map((name) => annotations[name]).find((value) => value !== undefined);
  const quantity = (value: unknown, parseQuantity: (raw: string | number) => number, name: string) => {
    if (value === undefined) return undefined;
    try {
      return parseQuantity(value as string | number);
    } catch (error) {
      throw fail(`${name}: ${(error as Error).message}`);
    }
  };
  const gpus = count(limits['nvidia.com/gpu'], 'nvidia.com/gpu') ?? 0;
  const accelerator = selector['run.googleapis.com/accelerator'];
  return {
    concurrency: pick(
      count(spec.containerConcurrency, 'containerConcurrency'),
      'containerConcurrency',
      SERVICE_DEFAULTS.concurrency,
    ),
    timeoutSeconds: pick(
      count(spec.timeoutSeconds, 'timeoutSeconds'),
      'timeoutSeconds',
      SERVICE_DEFAULTS.timeoutSeconds,
    ),
    minScale:
      count(
        annotation(
          'autoscaling.knative.dev/minScale',
          'autoscaling.knative.dev/min-scale',
          'run.googleapis.com/minScale',
        ),
        'minScale',
      ) ?? 0,
    maxScale:
      count(
        annotation(
          'autoscaling.knative.dev/maxScale',
          'autoscaling.knative.dev/max-scale',
          'run.googleapis.com/maxScale',
        ),
        'maxScale',
      ) ?? null,
    instanceBilling: String(annotation('run.googleapis.com/cpu-throttling')) === 'false' || gpus > 0,
    cpuMillis: pick(quantity(limits.cpu, parseCpuMillis, 'cpu'), 'cpu', SERVICE_DEFAULTS.cpuMillis),
    memoryBytes: pick(quantity(limits.memory, parseBytes, 'memory'), 'memory', SERVICE_DEFAULTS.memoryBytes),
    gpu: gpus > 0 ? (typeof accelerator === 'string' ? accelerator : 'nvidia-l4') : null,
    source: file,
    defaulted,
  };
}
