import type { Autoscaling, MlProfile, Workload } from '../../core/model/index.ts';
import type { ManifestObject } from '../sources/index.ts';
import { integer } from './common/fields.ts';
import { modelFromContainers } from './common/model-server.ts';
import {
  fixedGroupsNote,
  type RayCluster,
  rayClusterAutoscaling,
  rayWorkload,
  readRayCluster,
} from './common/ray.ts';
import { readServeConfig, type ServeConfig, type ServeDeployment } from './common/ray-serve.ts';
import { noAutoscaling } from './common/workload.ts';
import type { KindReader } from './types.ts';

const CLUSTER = ['spec', 'rayClusterConfig'] as const;

/** Ray Serve AutoscalingConfig defaults: min_replicas 1, max_replicas 1 (ray python/ray/serve/config.py). */
const SERVE_DEFAULTS = { minReplicas: 1, maxReplicas: 1 } as const;

/**
 * A KubeRay RayService: a Ray cluster (head pod + worker groups) running the Ray Serve applications of its
 * `serveConfigV2`. Serve autoscales replicas (actors); KubeRay's in-tree autoscaler, when enabled, adds
 * the worker pods those replicas need.
 */
export const rayservice: KindReader = {
  id: 'rayservice',
  title: 'KubeRay RayService (ray.io/v1, v1alpha1)',
  matches: [{ group: 'ray.io', versions: ['v1', 'v1alpha1'], kind: 'RayService' }],
  read(object, context) {
    const cluster = readRayCluster(object, CLUSTER, context);
    const workload = rayWorkload(object, context, CLUSTER, cluster);
    const serve = readServeConfig(object, ['spec', 'serveConfigV2']);
    if (serve) workload.notes.push(...serve.notes);
    else
      workload.notes.push({
        message: 'no serveConfigV2: the Serve applications are deployed some other way and cannot be read',
        source: object.locate(['spec']),
      });
    workload.ml = serveMl(cluster, serve, workload.ml);
    const scaled = scaledDeployment(serve);
    workload.autoscaling = serveAutoscaling(object, cluster, scaled, workload);
    workload.serving.scaleToZero =
      workload.autoscaling.kind === 'ray-serve' && workload.autoscaling.minReplicas === 0;
    const concurrency =
      scaled?.maxOngoingRequests ??
      serve?.deployments.find((entry) => entry.maxOngoingRequests !== null)?.maxOngoingRequests ??
      null;
    if (concurrency !== null) {
      workload.serving.containerConcurrency = concurrency;
      workload.serving.source ??= scaled?.source ?? null;
    }
    return { type: 'workload', workload };
  },
};

function serveMl(cluster: RayCluster, serve: ServeConfig | null, fromPod: MlProfile): MlProfile {
  const apps = serve?.applications ?? [];
  const evidence =
    apps.length > 0
      ? `RayService serveConfigV2 applications ${apps.map((app) => `${app.name}${app.importPath ? ` (${app.importPath})` : ''}`).join(', ')}`
      : 'RayService (Ray Serve)';
  const containers = [
    ...cluster.head.containers,
    ...cluster.workers.flatMap((group) => group.pod.containers),
  ];
  const fromContainers = modelFromContainers(containers);
  const model = serve?.model
    ? {
        uri: serve.model.uri,
        format: null,
        sizeBytes: null,
        sizeSource: null,
        sizeEvidence: null,
        source: serve.model.source,
      }
    : fromContainers;
  const tensorParallel =
    serve?.deployments.find((entry) => entry.tensorParallel !== null)?.tensorParallel ??
    fromPod.tensorParallel;
  return {
    ...fromPod,
    isModelServer: true,
    server: 'ray-serve',
    serverEvidence: evidence,
    model,
    tensorParallel,
  };
}

/** The deployment whose autoscaling we report: a GPU deployment if any autoscales, else the first that does. */
function scaledDeployment(serve: ServeConfig | null): ServeDeployment | null {
  const autoscaled = (serve?.deployments ?? []).filter((entry) => entry.autoscaling !== null);
  return autoscaled.find((entry) => (entry.numGpus ?? 0) > 0) ?? autoscaled[0] ?? null;
}

function serveAutoscaling(
  object: ManifestObject,
  cluster: RayCluster,
  scaled: ServeDeployment | null,
  workload: Workload,
): Autoscaling {
  const source = object.locate([...CLUSTER, 'enableInTreeAutoscaling']);
  if (cluster.inTreeAutoscaling) {
    workload.notes.push({
      message:
        "enableInTreeAutoscaling: KubeRay adds and removes worker pods (within each group's min/max) as Serve replicas need them",
      source,
    });
  } else {
    const note = fixedGroupsNote(cluster, object.locate([...CLUSTER, 'workerGroupSpecs']));
    if (note) workload.notes.push(note);
  }
  if (!scaled?.autoscaling) {
    return cluster.inTreeAutoscaling
      ? rayClusterAutoscaling(object, CLUSTER, cluster, workload.id)
      : noAutoscaling();
  }
  const config = scaled.autoscaling;
  const defaulted: string[] = [];
  const pick = (key: string, fallback: number) => {
    const value = integer(config[key]);
    if (value === null) defaulted.push(`${key} ${fallback}`);
    return value ?? fallback;
  };
  const target =
    integer(config.target_ongoing_requests) ?? integer(config.target_num_ongoing_requests_per_replica);
  const settings: Autoscaling['settings'] = {
    replicaUnit: 'Ray Serve replica (actor), not a pod',
    deployment: `${scaled.app}/${scaled.name}`,
    enableInTreeAutoscaling: cluster.inTreeAutoscaling,
  };
  const optional: [string, string][] = [
    ['upscale_delay_s', 'upscaleDelaySeconds'],
    ['downscale_delay_s', 'downscaleDelaySeconds'],
    ['metrics_interval_s', 'metricsIntervalSeconds'],
    ['look_back_period_s', 'lookBackPeriodSeconds'],
    ['initial_replicas', 'initialReplicas'],
  ];
  for (const [key, name] of optional) {
    const value = integer(config[key]);
    if (value !== null) settings[name] = value;
  }
  if (scaled.numGpus !== null) settings.gpusPerReplica = scaled.numGpus;
  const minReplicas = pick('min_replicas', SERVE_DEFAULTS.minReplicas);
  const maxReplicas = pick('max_replicas', SERVE_DEFAULTS.maxReplicas);
  if (target === null) defaulted.push("target_ongoing_requests (the Ray version's default)");
  if (defaulted.length > 0)
    settings.defaulted = `${defaulted.join('; ')} — Ray Serve AutoscalingConfig defaults`;
  return {
    kind: 'ray-serve',
    by: workload.id,
    minReplicas,
    maxReplicas,
    metrics: [
      {
        type: 'ongoing-requests',
        name: `${scaled.app}/${scaled.name}`,
        target: target === null ? null : { type: 'AverageValue', value: target },
        source: scaled.source,
      },
    ],
    behavior: null,
    settings,
    source: scaled.source,
  };
}
