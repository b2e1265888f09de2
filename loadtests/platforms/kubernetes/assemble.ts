/**
 * The parts every pod-based model shares (kubernetes, knative): the pod shape and concurrency, the
 * node type, the cluster and its autoscaler, the ReplicaSet and the request router — and, at the end,
 * GPU time and node cost. Each choice that is not in the manifests is recorded as an assumption.
 */

import { MigrateError } from '../../../core/errors.ts';
import { defaultNodeTypeId, type NodeType } from '../../../core/pricing/nodes.ts';
import type { Assumption, Gauges, PlatformContext, PlatformOutcome } from '../types.ts';
import { Cluster, type PodShape } from './cluster.ts';
import { TERMINATION_GRACE_SECONDS } from './defaults.ts';
import { createRouter, type Router } from './dispatch.ts';
import { WindowedMetrics } from './metrics.ts';
import { podStartPlan } from './pod-start.ts';
import { PodSet } from './pods.ts';

export interface AssemblyOptions {
  /** Readiness from the manifests' probes (kubernetes) or as soon as the app is up (knative). */
  probes: boolean;
  whenNoEndpoint: 'drop' | 'buffer';
  queueLimit: number;
  lb: 'least-outstanding' | 'random';
  /** Concurrency when neither --pod-concurrency nor the manifests set one. */
  defaultConcurrency: { value: number; source: string };
}

export interface Assembly {
  cluster: Cluster;
  pods: PodSet;
  router: Router;
  nodeType: NodeType;
  concurrency: number;
  shape: PodShape;
  assumptions: Assumption[];
  notes: string[];
  /** A fresh metrics window reader (each autoscaler loop keeps its own). */
  metricsReader(): WindowedMetrics;
}

export function assemble(context: PlatformContext, options: AssemblyOptions): Assembly {
  const { workload, settings, sim } = context;
  const assumptions: Assumption[] = [];
  const notes: string[] = [];
  const concurrency = resolveConcurrency(context, options, assumptions);
  const nodeType = resolveNodeType(context);
  const shape: PodShape = {
    cpuMillis: workload.resources.cpuMillis ?? 0,
    memoryBytes: workload.resources.memoryBytes ?? 0,
    gpus: workload.resources.gpu.count,
  };
  if (workload.resources.cpuMillis === null)
    notes.push(
      'the pods request no CPU: CPU utilisation metrics cannot be computed, and nodes are packed by memory and GPUs',
    );
  const provisioningSeconds = settings.nodeProvisioningSeconds ?? nodeType.provisioningSeconds;
  assumptions.push({
    name: 'node.provisioningSeconds',
    value: `${provisioningSeconds}`,
    source:
      settings.nodeProvisioningSeconds !== null ? 'flag or calibration file' : nodeType.provisioningSource,
  });
  const hourlyUsd = settings.nodeHourlyUsd ?? nodeType.hourlyUsd;
  assumptions.push({
    name: `node.${nodeType.id}.hourlyUsd`,
    value: `${hourlyUsd}`,
    source:
      settings.nodeHourlyUsd !== null
        ? 'flag or calibration file'
        : `${nodeType.priceSource} [${nodeType.priceConfidence}]`,
  });
  const cluster = new Cluster(sim, {
    nodeType,
    shape,
    provisioningSeconds,
    maxNodes: settings.maxNodes,
    minNodes: settings.initialNodes ?? 0,
    hourlyUsd,
  });
  const plan = podStartPlan(workload, settings, { probes: options.probes }, assumptions);
  const graceSeconds = workload.pod.terminationGracePeriodSeconds ?? TERMINATION_GRACE_SECONDS.value;
  if (workload.pod.terminationGracePeriodSeconds === null)
    assumptions.push({
      name: 'pod.terminationGracePeriodSeconds',
      value: `${graceSeconds}`,
      source: TERMINATION_GRACE_SECONDS.source,
    });
  const pods = new PodSet(sim, cluster, plan, graceSeconds * 1000, shape.gpus);
  const router = createRouter(options.lb, sim, pods, {
    concurrency,
    whenNoEndpoint: options.whenNoEndpoint,
    queueLimit: options.queueLimit,
  });
  pods.connect(router);
  return {
    cluster,
    pods,
    router,
    nodeType,
    concurrency,
    shape,
    assumptions,
    notes,
    metricsReader: () => new WindowedMetrics(pods, router, concurrency, shape.cpuMillis),
  };
}

function resolveConcurrency(
  context: PlatformContext,
  options: AssemblyOptions,
  assumptions: Assumption[],
): number {
  const given = context.settings.podConcurrency;
  const manifest = context.workload.serving.containerConcurrency;
  const [value, source] =
    given !== null
      ? [given, '--pod-concurrency']
      : manifest !== null && manifest > 0
        ? [manifest, 'containerConcurrency in the manifests']
        : [options.defaultConcurrency.value, options.defaultConcurrency.source];
  assumptions.push({
    name: 'pod.concurrency',
    value: Number.isFinite(value) ? `${value}` : 'unlimited',
    source,
  });
  return value;
}

function resolveNodeType(context: PlatformContext): NodeType {
  const { workload, settings } = context;
  const id =
    settings.nodeType ?? defaultNodeTypeId(workload.resources.gpu.count, workload.resources.gpu.model);
  const type = settings.nodeTypes.find((candidate) => candidate.id === id);
  if (!type)
    throw new MigrateError(`unknown --node-type ${JSON.stringify(id)}`, {
      hint: `known: ${settings.nodeTypes.map((candidate) => candidate.id).join(', ')}; add others in a calibration file (nodeTypes)`,
    });
  if (workload.resources.gpu.count > 0 && type.gpus === 0)
    throw new MigrateError(`${workload.id} needs GPUs but node type ${type.id} has none`, {
      hint: 'pick a GPU --node-type, e.g. g6.xlarge',
    });
  return type;
}

export function fillGauges(assembly: Assembly, gauges: Gauges): void {
  gauges.instances = assembly.pods.pods.length;
  gauges.ready = assembly.pods.readyCount;
  gauges.nodes = assembly.cluster.nodes.length;
  gauges.queued = assembly.router.queued();
}

export function assemblyOutcome(assembly: Assembly, endMs: number): PlatformOutcome {
  const usage = assembly.cluster.usage(endMs);
  const gpuUse = assembly.pods.gpuUsage(endMs);
  const gpu =
    assembly.nodeType.gpus > 0
      ? (() => {
          const idleFraction =
            usage.gpuSeconds > 0 ? Math.max(0, 1 - gpuUse.busySeconds / usage.gpuSeconds) : 0;
          return {
            allocatedSeconds: usage.gpuSeconds,
            podSeconds: gpuUse.podSeconds,
            busySeconds: gpuUse.busySeconds,
            idleFraction,
            idleCostUsd: usage.costUsd * idleFraction,
          };
        })()
      : null;
  return {
    gpu,
    cost: { totalUsd: usage.costUsd, lines: [usage.line] },
    assumptions: assembly.assumptions,
    notes: assembly.notes,
  };
}
