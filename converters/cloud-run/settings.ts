import type { WorkloadReport } from '../../analyzers/report.ts';
import { formatSource } from '../../core/model/index.ts';
import type { SettingRow } from '../types.ts';
import { imageSource } from './image.ts';
import { FACTS, GPU, SUB_VCPU_SOURCE } from './limits.ts';
import type { CloudRunPlan } from './plan.ts';
import type { RunProbe } from './probes.ts';
import { at, cpuQuantity, memoryQuantity } from './resources.ts';

/**
 * One provenance row per value service.yaml carries, with the path of its key, so the YAML can repeat
 * the source as a comment and MIGRATION.md can list them all.
 */
export const PATHS = {
  name: ['metadata', 'name'],
  serviceAnnotations: ['metadata', 'annotations'],
  annotations: ['spec', 'template', 'metadata', 'annotations'],
  spec: ['spec', 'template', 'spec'],
  container: ['spec', 'template', 'spec', 'containers', 0],
  traffic: ['spec', 'traffic'],
} as const;

export const ANNOTATIONS = {
  description: 'run.googleapis.com/description',
  minScale: 'autoscaling.knative.dev/minScale',
  maxScale: 'autoscaling.knative.dev/maxScale',
  cpuThrottling: 'run.googleapis.com/cpu-throttling',
  startupBoost: 'run.googleapis.com/startup-cpu-boost',
  executionEnvironment: 'run.googleapis.com/execution-environment',
  gpuZonalRedundancyDisabled: 'run.googleapis.com/gpu-zonal-redundancy-disabled',
  sessionAffinity: 'run.googleapis.com/sessionAffinity',
  accelerator: 'run.googleapis.com/accelerator',
} as const;

export interface SettingSources {
  cpu: string;
  memory: string;
  concurrency: string;
  timeout: string;
  maxScale: string;
  port: string;
  startup: string;
  liveness: string;
}

const container = (...keys: (string | number)[]) => [...PATHS.container, ...keys];
const annotation = (key: string) => [...PATHS.annotations, key];

export function settingsOf(
  plan: CloudRunPlan,
  workload: WorkloadReport,
  sources: SettingSources,
): SettingRow[] {
  const main = workload.containers.find((entry) => entry.role === 'main');
  const rows: SettingRow[] = [
    {
      name: 'metadata.name',
      value: plan.serviceName,
      source: `namespace-name of ${workload.id}, made valid for Cloud Run (see Names)`,
      path: [...PATHS.name],
    },
    {
      name: `metadata.annotations.${ANNOTATIONS.description}`,
      value: plan.description,
      source: 'the workload and the manifest it came from, so the service leads back to them',
      path: [...PATHS.serviceAnnotations, ANNOTATIONS.description],
    },
    { name: 'image', value: plan.image.reference, source: imageSource(plan.image), path: container('image') },
  ];
  for (const key of ['command', 'args'] as const)
    if (plan[key].length)
      rows.push({
        name: key,
        value: plan[key].join(' '),
        source: `${key} of container ${main?.name}${at(main?.source)}, carried verbatim (Cloud Run does not expand $(VAR) references)`,
        path: container(key),
      });
  if (plan.port.port !== null)
    rows.push({
      name: 'ports[0].containerPort',
      value: `${plan.port.port}`,
      source: plan.port.source,
      path: container('ports'),
    });
  rows.push(...resourceRows(plan, sources), ...scalingRows(plan, sources));
  rows.push(probeRow('startupProbe', plan.startup, sources.startup));
  if (plan.liveness) rows.push(probeRow('livenessProbe', plan.liveness, sources.liveness));
  for (const [index, variable] of plan.variables.entries())
    rows.push({
      name: `env.${variable.name}`,
      value:
        'literal' in variable.value
          ? variable.value.literal
          : `secretKeyRef ${variable.value.secret}:${variable.value.version}`,
      source: variable.source,
      path: container('env', index, 'name'),
    });
  rows.push({
    name: 'traffic',
    value: '100 % to the latest revision',
    source:
      'every deploy creates a revision and moves all traffic to it: roll back with gcloud run services update-traffic (see Roll back)',
    path: [...PATHS.traffic],
  });
  return rows;
}

function resourceRows(plan: CloudRunPlan, sources: SettingSources): SettingRow[] {
  const rows: SettingRow[] = [
    {
      name: 'resources.limits.cpu',
      value: cpuQuantity(plan.size.cpuMillis),
      source: sources.cpu,
      path: container('resources', 'limits', 'cpu'),
    },
    {
      name: 'resources.limits.memory',
      value: memoryQuantity(plan.size.memoryBytes),
      source: sources.memory,
      path: container('resources', 'limits', 'memory'),
    },
  ];
  if (!plan.gpu) return rows;
  const from = plan.gpu.from;
  const asked = `${from.count || 1} ${from.resource ?? 'GPU'}${from.model ? ` on ${from.model}` : ''}${at(from.source)}`;
  const substituted =
    from.model && from.model !== GPU.model
      ? `; the pod ran on ${from.model}, Cloud Run offers ${GPU.model} (see Notes)`
      : '';
  rows.push(
    {
      name: 'resources.limits.nvidia.com/gpu',
      value: '1',
      source: `the pod needs ${asked}; Cloud Run gives one NVIDIA GPU per instance (${FACTS})`,
      path: container('resources', 'limits', 'nvidia.com/gpu'),
    },
    {
      name: `nodeSelector.${ANNOTATIONS.accelerator}`,
      value: GPU.model,
      source: `${GPU.model}, ${GPU.memoryBytes / 2 ** 30} GB VRAM: the GPU Cloud Run offers outside preview (${FACTS})${substituted}`,
      path: [...PATHS.spec, 'nodeSelector'],
    },
  );
  return rows;
}

function scalingRows(plan: CloudRunPlan, sources: SettingSources): SettingRow[] {
  const warm = plan.warm;
  const price =
    warm.price?.usdPerMonth != null && plan.minScale > 0
      ? `; $${warm.price.usdPerMonth.toFixed(2)}/month${warm.price.lowerBound ? ' or more' : ''}`
      : '';
  const rows: SettingRow[] = [
    {
      name: 'containerConcurrency',
      value: `${plan.concurrency}`,
      source: sources.concurrency,
      path: [...PATHS.spec, 'containerConcurrency'],
    },
    {
      name: 'timeoutSeconds',
      value: `${plan.timeoutSeconds}`,
      source: sources.timeout,
      path: [...PATHS.spec, 'timeoutSeconds'],
    },
    {
      name: ANNOTATIONS.minScale,
      value: `${plan.minScale}`,
      source: `${warm.capacity.reason}${price}`,
      path: annotation(ANNOTATIONS.minScale),
    },
  ];
  if (plan.maxScale !== null)
    rows.push({
      name: ANNOTATIONS.maxScale,
      value: `${plan.maxScale}`,
      source: sources.maxScale,
      path: annotation(ANNOTATIONS.maxScale),
    });
  const billing = plan.gpu
    ? `a GPU requires instance-based billing (${FACTS})`
    : plan.minScale > 0
      ? `min instances are kept on instance-based billing (priced that way in core/pricing/cloud-run.ts), so a warm instance keeps its CPU between requests (${FACTS})`
      : plan.size.cpuMillis < 1000
        ? `request-based billing: ${SUB_VCPU_SOURCE}`
        : `request-based billing: CPU only while requests are processed, Cloud Run's default; nothing here needs instance-based billing (${FACTS})`;
  rows.push(
    {
      name: ANNOTATIONS.cpuThrottling,
      value: plan.instanceBilling ? 'false' : 'true',
      source: billing,
      path: annotation(ANNOTATIONS.cpuThrottling),
    },
    {
      name: ANNOTATIONS.startupBoost,
      value: 'true',
      source: `startup CPU boost "temporarily increases vCPU allocation during instance startup in order to reduce startup latency" (${FACTS}): model loading is CPU-bound`,
      path: annotation(ANNOTATIONS.startupBoost),
    },
    {
      name: ANNOTATIONS.executionEnvironment,
      value: plan.executionEnvironment,
      source:
        plan.executionEnvironment === 'gen1'
          ? SUB_VCPU_SOURCE
          : `gen2: the environment Cloud Run's limits in core/limits/targets.ts are for (services, gen2), required for GPUs and large memory; below 1 vCPU would need gen1 (${FACTS})`,
      path: annotation(ANNOTATIONS.executionEnvironment),
    },
  );
  if (plan.gpu)
    rows.push({
      name: ANNOTATIONS.gpuZonalRedundancyDisabled,
      value: 'true',
      source: `zonal redundancy off: priced lower, and no reserved failover GPU capacity in other zones (${FACTS}; the annotation is from provider docs and deploy files, secondary but consistent)`,
      path: annotation(ANNOTATIONS.gpuZonalRedundancyDisabled),
    });
  if (plan.sessionAffinity)
    rows.push({
      name: ANNOTATIONS.sessionAffinity,
      value: 'true',
      source: `a Service in front of the pods had sessionAffinity: ClientIP (serving.sessionAffinity in the analysis); Cloud Run's revision annotation for it is listed in ${FACTS}`,
      path: annotation(ANNOTATIONS.sessionAffinity),
    });
  return rows;
}

function probeRow(name: 'startupProbe' | 'livenessProbe', probe: RunProbe, source: string): SettingRow {
  const check = probe.httpGet
    ? `httpGet ${probe.httpGet.path}${probe.httpGet.port ? ` :${probe.httpGet.port}` : ''}`
    : probe.grpc
      ? 'grpc'
      : 'tcpSocket';
  const delay = probe.initialDelaySeconds ? `, initialDelaySeconds ${probe.initialDelaySeconds}` : '';
  return {
    name,
    value: `${check}${delay}, periodSeconds ${probe.periodSeconds}, failureThreshold ${probe.failureThreshold}, timeoutSeconds ${probe.timeoutSeconds}`,
    source,
    path: container(name),
  };
}

/** The manifest position of the workload, for the YAML header. */
export function origin(workload: WorkloadReport): string {
  return workload.sources[0] ? ` from ${formatSource(workload.sources[0])}` : '';
}
