import type { WorkloadReport } from '../../analyzers/report.ts';
import type { GpuDemand } from '../../core/model/index.ts';
import { warmCapacityPrice } from '../cold-start/price.ts';
import { sizeWarmCapacity, type WarmCapacity } from '../cold-start/size.ts';
import { mainContainers } from '../common/environment.ts';
import { mapName, NAME_RULES } from '../common/names.ts';
import type { ConvertContext, NameMapping, NotCarried, SettingRow, WarmResult } from '../types.ts';
import { type ConfigEntry, type RunVariable, runEnvironment, type SecretEntry } from './environment.ts';
import { imageFor, type RunImage } from './image.ts';
import { FACTS, GPU, SUB_VCPU_SOURCE } from './limits.ts';
import { livenessProbe, type RunProbe, type ServingPort, servingPort, startupProbe } from './probes.ts';
import { fitInstance, type InstanceSize, podDemand, sizeSources, vcpu } from './resources.ts';
import { clusterMinReplicas, concurrency, maxScale, requestTimeout } from './scaling.ts';
import { settingsOf } from './settings.ts';

/**
 * Everything the Cloud Run service will be, decided once; service.yaml renders this plan and each value
 * has its setting row (the provenance). Null when the pod does not fit any instance (the analysis blocks
 * those first; the converter says so rather than emit an invalid size).
 */
export interface CloudRunPlan {
  serviceName: string;
  image: RunImage;
  command: string[];
  args: string[];
  port: ServingPort;
  size: InstanceSize;
  gpu: { model: string; from: GpuDemand } | null;
  concurrency: number;
  timeoutSeconds: number;
  minScale: number;
  maxScale: number | null;
  /** Instance-based billing (`cpu-throttling: 'false'`): min instances or a GPU need it. */
  instanceBilling: boolean;
  executionEnvironment: 'gen1' | 'gen2';
  sessionAffinity: boolean;
  startup: RunProbe;
  liveness: RunProbe | null;
  variables: RunVariable[];
  secrets: SecretEntry[];
  configs: ConfigEntry[];
  description: string;
  settings: SettingRow[];
  names: NameMapping[];
  warm: WarmResult;
  notes: string[];
  notCarried: NotCarried[];
}

/** Evidence that the pod needs an accelerator (as the gpu-required rule reads it). */
const GPU_EVIDENCE = ['resources', 'mig', 'operator-field', 'node-selector', 'instance-type'];

export function needsGpu(gpu: GpuDemand): boolean {
  return gpu.count > 0 || gpu.evidence.some((evidence) => GPU_EVIDENCE.includes(evidence));
}

export function planService(workload: WorkloadReport, context: ConvertContext): CloudRunPlan | null {
  const main = mainContainers(workload)[0]!;
  const service = mapName(`${workload.namespace}-${workload.name}`, NAME_RULES.cloudRunService);
  const gpu = needsGpu(workload.resources.gpu) ? { model: GPU.model, from: workload.resources.gpu } : null;
  const sized = sizeInstance(workload, context, gpu !== null);
  if (!sized) return null;
  const { size, perInstance, warm, sources } = sized;
  const { image, names: imageNames } = imageFor(workload, main.image, context);
  const scaffold = image.kind === 'scaffold';
  const port = scaffold ? servingPortOfScaffold() : servingPort(main);
  const startup = startupProbe(main, { port, server: workload.ml.server, gpu: gpu !== null, scaffold });
  const liveness = scaffold ? scaffoldLiveness() : livenessProbe(main, port);
  const env = runEnvironment(workload, context.related);
  if (image.kind === 'scaffold' && !env.variables.some((entry) => entry.name === 'MODEL_URI'))
    env.variables.push({
      name: 'MODEL_URI',
      value: { literal: image.modelUri },
      source: `where the server scaffold loads the ONNX model from: ${image.modelUri}`,
    });
  const timeout = requestTimeout(workload);
  const max = maxScale(workload);
  const origin = workload.sources[0] ? `${workload.sources[0].file}:${workload.sources[0].line}` : 'stdin';
  const plan: CloudRunPlan = {
    serviceName: service.name,
    image,
    command: scaffold ? [] : main.command,
    args: scaffold ? [] : main.args,
    port,
    size,
    gpu,
    concurrency: perInstance.value,
    timeoutSeconds: timeout.value,
    minScale: warm.capacity.instances,
    maxScale: max.value,
    instanceBilling: gpu !== null || warm.capacity.instances > 0,
    executionEnvironment: size.cpuMillis < 1000 ? 'gen1' : 'gen2',
    sessionAffinity: workload.serving.sessionAffinity,
    startup: startup.probe,
    liveness: liveness.probe,
    variables: env.variables,
    secrets: env.secrets,
    configs: env.configs,
    description: `${workload.id} (${origin}), converted by migrate`,
    settings: [],
    names: [service.mapping, ...imageNames],
    warm,
    notes: [
      ...perInstance.notes,
      ...timeout.notes,
      ...max.notes,
      ...startup.notes,
      ...liveness.notes,
      ...env.notes,
    ],
    notCarried: env.notCarried,
  };
  plan.settings = settingsOf(plan, workload, {
    ...sources,
    concurrency: perInstance.source,
    timeout: timeout.source,
    maxScale: max.source,
    port: port.source,
    startup: startup.source,
    liveness: liveness.source,
  });
  return plan;
}

/**
 * CPU, memory, concurrency and min instances decide each other: below one vCPU Cloud Run allows only
 * concurrency 1, request-based billing and gen1 (platform-facts.md f). So a sub-vCPU size is kept only
 * when the workload needs neither more than one request at once (a declared containerConcurrency) nor
 * warm instances, which are kept on instance-based billing; otherwise the CPU rounds up to 1 vCPU.
 */
function sizeInstance(workload: WorkloadReport, context: ConvertContext, gpu: boolean) {
  const demand = podDemand(workload);
  const declared = concurrency(workload);
  const floor = gpu
    ? {
        cpu: GPU.minCpuMillis,
        cpuWhy: `one ${GPU.model} GPU needs at least ${vcpu(GPU.minCpuMillis)} (${FACTS})`,
      }
    : declared.declared && declared.value > 1
      ? {
          cpu: 1000,
          cpuWhy: `containerConcurrency ${declared.value} needs at least 1 vCPU: ${SUB_VCPU_SOURCE}`,
        }
      : { cpu: 0, cpuWhy: null };
  const fitWith = (minCpu: number, why: string | null) =>
    fitInstance({
      cpuMillis: demand.cpuMillis,
      memoryBytes: demand.memoryBytes,
      minCpuMillis: minCpu,
      minCpuWhy: why,
      minMemoryBytes: gpu ? GPU.minMemoryBytes : 0,
      minMemoryWhy: gpu
        ? `one ${GPU.model} GPU needs at least ${GPU.minMemoryBytes / 2 ** 30} GiB (${FACTS})`
        : null,
    });
  let size = fitWith(floor.cpu, floor.cpuWhy);
  if (!size) return null;
  let perInstance = perInstanceFor(size, declared);
  let warm = warmFor(workload, context, size, perInstance.value, gpu);
  if (size.cpuMillis < 1000 && warm.capacity.instances > 0) {
    size = fitWith(
      1000,
      `${warm.capacity.instances} min instance(s) are kept on instance-based billing, which needs at least 1 vCPU: ${SUB_VCPU_SOURCE}`,
    )!;
    perInstance = perInstanceFor(size, declared);
    warm = warmFor(workload, context, size, perInstance.value, gpu);
  }
  const notes: string[] = [];
  if (demand.cpuLimitMillis !== null && demand.cpuLimitMillis > size.cpuMillis)
    notes.push(
      `The pod could burst to its CPU limit of ${vcpu(demand.cpuLimitMillis)}; Cloud Run gives a fixed ${vcpu(size.cpuMillis)}, sized from the request. Raise resources.limits.cpu if the server needs the burst.`,
    );
  return {
    size,
    perInstance: { ...perInstance, notes: [...perInstance.notes, ...notes] },
    warm,
    sources: sizeSources(demand, size),
  };
}

function perInstanceFor(size: InstanceSize, declared: ReturnType<typeof concurrency>) {
  if (size.cpuMillis >= 1000) return declared;
  return {
    ...declared,
    value: 1,
    source: `${vcpu(size.cpuMillis)} instance: ${SUB_VCPU_SOURCE}${declared.declared ? '' : '; the documented default below 1 vCPU'}`,
  };
}

/** Min instances from traffic (Little's law) at this size and concurrency, priced on instance-based billing. */
function warmFor(
  workload: WorkloadReport,
  context: ConvertContext,
  size: InstanceSize,
  perInstance: number,
  gpu: boolean,
): WarmResult {
  const cluster = clusterMinReplicas(workload);
  const max = maxScale(workload);
  const capacity: WarmCapacity = sizeWarmCapacity({
    traffic: context.traffic,
    serviceMs: context.serviceMs,
    quantile: context.warmQuantile,
    concurrencyPerInstance: perInstance,
    concurrencyPerInstanceFrom: `containerConcurrency ${perInstance}`,
    clusterMinReplicas: cluster.count,
    clusterMinFrom: cluster.from,
    maxInstances: max.value,
    maxInstancesFrom: max.value === null ? null : 'maxScale',
  });
  const price = warmCapacityPrice('cloud-run', {
    instances: Math.max(1, capacity.instances),
    memoryMb: size.memoryBytes / 2 ** 20,
    vcpu: size.cpuMillis / 1000,
  });
  const gpuPart = gpu
    ? `; the ${GPU.model} GPU is billed for the instance's whole life too, and its official per-second price is not in ${FACTS} (secondary sources: roughly $0.67 per hour), so it is not included`
    : '';
  const priced = {
    ...price,
    formula: gpu ? `${price.formula} + GPU` : price.formula,
    source: `${price.source}${gpuPart}`,
  };
  return {
    term: 'min instances',
    capacity,
    price:
      capacity.instances === 0
        ? {
            ...priced,
            usdPerMonth: 0,
            lowerBound: false,
            formula: `none kept; one instance at this size would cost ${priced.formula}`,
          }
        : priced,
  };
}

/** The scaffold listens on PORT (8080 unless Cloud Run says otherwise), serves /ready and /healthz. */
function servingPortOfScaffold(): ServingPort {
  return {
    port: null,
    h2c: false,
    source:
      'the server scaffold listens on PORT, which Cloud Run sets (8080 by default; cloud-run-v1 schema, ContainerPort)',
  };
}

function scaffoldLiveness(): { probe: RunProbe; source: string; notes: string[] } {
  return {
    probe: { httpGet: { path: '/healthz' }, periodSeconds: 10, timeoutSeconds: 1, failureThreshold: 3 },
    source:
      "GET /healthz of the server scaffold (docs/scaffolds.md), Kubernetes' default timing (every 10 s, 3 failures)",
    notes: [],
  };
}
