/**
 * service.yaml (a `serving.knative.dev/v1` Service in Cloud Run's v1 dialect, as `migrate convert` and
 * `gcloud run services replace` write it) → the Cloud Run Admin API v2 Service apply sends. Pure.
 *
 * v2 has typed fields where v1 had annotations (minScale → template.scaling.minInstanceCount,
 * cpu-throttling → resources.cpuIdle, …): each mapping is one line below. A field with no mapping is
 * not dropped: it is recorded as not applied, with why.
 */

import { QuantityError } from '../../core/quantity.ts';
import type { SettingName } from '../types.ts';
import { memoryMib } from './settings.ts';
import type {
  ExecutionEnvironment,
  IngressTraffic,
  V2Container,
  V2EnvVar,
  V2Probe,
  V2Service,
  V2Template,
  V2TrafficTarget,
} from './v2.ts';
import type { FieldPath, YamlReader } from './yaml-reader.ts';

export interface KnativeService {
  /** metadata.name: the service id. */
  name: string;
  /** The v2 body (without `name`: create composes it from parent and serviceId). */
  service: V2Service;
  /** Where each compared setting was written, for `file:line (field)` sources. */
  paths: Partial<Record<SettingName, FieldPath>>;
}

const NO_MAPPING =
  'migrate apply has no Cloud Run Admin API v2 mapping for this field: deploy the file with `gcloud run services replace`, or set it after apply';

const TEMPLATE = ['spec', 'template'] as const;
const TEMPLATE_ANNOTATIONS: FieldPath = [...TEMPLATE, 'metadata', 'annotations'];
const TEMPLATE_SPEC: FieldPath = [...TEMPLATE, 'spec'];

const MIN_SCALE = ['autoscaling.knative.dev/minScale', 'autoscaling.knative.dev/min-scale'];
const MAX_SCALE = ['autoscaling.knative.dev/maxScale', 'autoscaling.knative.dev/max-scale'];
const CPU_THROTTLING = 'run.googleapis.com/cpu-throttling';
const STARTUP_BOOST = 'run.googleapis.com/startup-cpu-boost';
const EXECUTION_ENVIRONMENT = 'run.googleapis.com/execution-environment';
const GPU_ZONAL_REDUNDANCY_DISABLED = 'run.googleapis.com/gpu-zonal-redundancy-disabled';
const SESSION_AFFINITY = 'run.googleapis.com/sessionAffinity';
const DESCRIPTION = 'run.googleapis.com/description';
const INGRESS = 'run.googleapis.com/ingress';
const LAUNCH_STAGE = 'run.googleapis.com/launch-stage';
const ACCELERATOR = 'run.googleapis.com/accelerator';
export const GPU_LIMIT = 'nvidia.com/gpu';

const ENVIRONMENTS: Record<string, ExecutionEnvironment> = {
  gen1: 'EXECUTION_ENVIRONMENT_GEN1',
  gen2: 'EXECUTION_ENVIRONMENT_GEN2',
};
const INGRESSES: Record<string, IngressTraffic> = {
  all: 'INGRESS_TRAFFIC_ALL',
  internal: 'INGRESS_TRAFFIC_INTERNAL_ONLY',
  'internal-and-cloud-load-balancing': 'INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER',
};

/** Cloud Run service names: lowercase letters, digits and hyphens, a letter first, at most 49 characters. */
const SERVICE_NAME = /^[a-z]([-a-z0-9]{0,47}[a-z0-9])?$/;

export function readKnativeService(yaml: YamlReader): KnativeService {
  if (yaml.get([]) === null || typeof yaml.get([]) !== 'object' || Array.isArray(yaml.get([])))
    throw yaml.fail([], 'expected a Cloud Run Service (apiVersion serving.knative.dev/v1, kind Service)');
  const apiVersion = yaml.string(['apiVersion']);
  if (apiVersion !== 'serving.knative.dev/v1')
    throw yaml.fail(
      ['apiVersion'],
      `expected serving.knative.dev/v1, got ${JSON.stringify(apiVersion ?? null)}`,
    );
  const kind = yaml.string(['kind']);
  if (kind !== 'Service') throw yaml.fail(['kind'], `expected Service, got ${JSON.stringify(kind ?? null)}`);
  yaml.skipUnknown([], ['apiVersion', 'kind', 'metadata', 'spec', 'status'], NO_MAPPING);

  const name = yaml.string(['metadata', 'name']);
  if (!name) throw yaml.fail(['metadata'], 'metadata.name is missing: the service needs a name');
  if (!SERVICE_NAME.test(name))
    throw yaml.fail(
      ['metadata', 'name'],
      `${JSON.stringify(name)} is not a valid Cloud Run service name (lowercase letters, digits and hyphens, starting with a letter, at most 49 characters)`,
    );
  yaml.skipUnknown(['metadata'], ['name', 'namespace', 'labels', 'annotations'], NO_MAPPING);
  if (yaml.get(['metadata', 'namespace']) !== undefined)
    yaml.skip(
      ['metadata', 'namespace'],
      'in Cloud Run v1 the namespace is the project; apply deploys to --project (or the project of the credentials)',
    );

  const service: V2Service = { template: readTemplate(yaml) };
  const labels = stringMap(yaml, ['metadata', 'labels']);
  if (labels) service.labels = labels;
  const annotations: FieldPath = ['metadata', 'annotations'];
  for (const key of Object.keys(yaml.map(annotations))) {
    const path = [...annotations, key];
    if (key === DESCRIPTION) service.description = yaml.string(path) ?? '';
    else if (key === INGRESS) service.ingress = oneOf(yaml, path, INGRESSES);
    else if (key === LAUNCH_STAGE) service.launchStage = (yaml.string(path) ?? '').toUpperCase();
    else yaml.skip(path, NO_MAPPING);
  }
  const traffic = readTraffic(yaml);
  if (traffic) service.traffic = traffic;
  yaml.skipUnknown(['spec'], ['template', 'traffic'], NO_MAPPING);
  return { name, service, paths: settingPaths(yaml) };
}

function readTemplate(yaml: YamlReader): V2Template {
  yaml.skipUnknown([...TEMPLATE], ['metadata', 'spec'], NO_MAPPING);
  yaml.skipUnknown([...TEMPLATE, 'metadata'], ['labels', 'annotations'], NO_MAPPING);
  const spec = TEMPLATE_SPEC;
  yaml.skipUnknown(
    spec,
    ['containerConcurrency', 'timeoutSeconds', 'serviceAccountName', 'containers', 'nodeSelector'],
    NO_MAPPING,
  );
  const containerPaths = yaml.list([...spec, 'containers']).map((_, index) => [...spec, 'containers', index]);
  if (containerPaths.length === 0) throw yaml.fail(spec, 'spec.template.spec.containers is missing or empty');
  const template: V2Template = { containers: containerPaths.map((path) => readContainer(yaml, path)) };

  const labels = stringMap(yaml, [...TEMPLATE, 'metadata', 'labels']);
  if (labels) template.labels = labels;
  const concurrency = yaml.integer([...spec, 'containerConcurrency'], { min: 0, max: 1000 });
  if (concurrency !== undefined) template.maxInstanceRequestConcurrency = concurrency;
  const timeout = yaml.integer([...spec, 'timeoutSeconds'], { min: 1, max: 3600 });
  if (timeout !== undefined) template.timeout = { seconds: timeout };
  const account = yaml.string([...spec, 'serviceAccountName']);
  if (account) template.serviceAccount = account;
  for (const key of Object.keys(yaml.map([...spec, 'nodeSelector']))) {
    const path = [...spec, 'nodeSelector', key];
    if (key === ACCELERATOR) template.nodeSelector = { accelerator: yaml.string(path) ?? '' };
    else yaml.skip(path, NO_MAPPING);
  }

  const scaling: NonNullable<V2Template['scaling']> = {};
  for (const key of Object.keys(yaml.map(TEMPLATE_ANNOTATIONS))) {
    const path = [...TEMPLATE_ANNOTATIONS, key];
    if (MIN_SCALE.includes(key)) scaling.minInstanceCount = yaml.integer(path, { min: 0, max: 1000 });
    else if (MAX_SCALE.includes(key)) scaling.maxInstanceCount = yaml.integer(path, { min: 1 });
    else if (key === CPU_THROTTLING) {
      // v1's "CPU is throttled between requests" is v2's cpuIdle, per container.
      const cpuIdle = yaml.boolean(path);
      for (const container of template.containers) container.resources = { ...container.resources, cpuIdle };
    } else if (key === STARTUP_BOOST) {
      const startupCpuBoost = yaml.boolean(path);
      for (const container of template.containers)
        container.resources = { ...container.resources, startupCpuBoost };
    } else if (key === EXECUTION_ENVIRONMENT) template.executionEnvironment = oneOf(yaml, path, ENVIRONMENTS);
    else if (key === GPU_ZONAL_REDUNDANCY_DISABLED) template.gpuZonalRedundancyDisabled = yaml.boolean(path);
    else if (key === SESSION_AFFINITY) template.sessionAffinity = yaml.boolean(path);
    else yaml.skip(path, NO_MAPPING);
  }
  const { minInstanceCount: min, maxInstanceCount: max } = scaling;
  if (min !== undefined && max !== undefined && min > max)
    throw yaml.fail(
      [...TEMPLATE_ANNOTATIONS, annotationKey(yaml, MIN_SCALE)!],
      `minScale ${min} is above maxScale ${max}`,
    );
  if (min !== undefined || max !== undefined) template.scaling = scaling;
  return template;
}

function readContainer(yaml: YamlReader, path: FieldPath): V2Container {
  yaml.skipUnknown(
    path,
    [
      'name',
      'image',
      'command',
      'args',
      'env',
      'ports',
      'resources',
      'workingDir',
      'startupProbe',
      'livenessProbe',
    ],
    NO_MAPPING,
  );
  const image = yaml.string([...path, 'image']);
  if (!image) throw yaml.fail(path, 'the container has no image');
  const container: V2Container = { image };
  const name = yaml.string([...path, 'name']);
  if (name) container.name = name;
  const command = yaml.strings([...path, 'command']);
  if (command) container.command = command;
  const args = yaml.strings([...path, 'args']);
  if (args) container.args = args;
  const workingDir = yaml.string([...path, 'workingDir']);
  if (workingDir) container.workingDir = workingDir;
  const env = yaml
    .list([...path, 'env'])
    .map((_, index) => readEnv(yaml, [...path, 'env', index]))
    .filter((entry): entry is V2EnvVar => entry !== null);
  if (env.length) container.env = env;
  const ports = yaml.list([...path, 'ports']).map((_, index) => {
    const port: FieldPath = [...path, 'ports', index];
    yaml.skipUnknown(port, ['name', 'containerPort'], NO_MAPPING);
    const portName = yaml.string([...port, 'name']);
    const number = yaml.integer([...port, 'containerPort'], { min: 1, max: 65535 });
    return {
      ...(portName ? { name: portName } : {}),
      ...(number !== undefined ? { containerPort: number } : {}),
    };
  });
  if (ports.length) container.ports = ports;
  const limits = readLimits(yaml, [...path, 'resources']);
  if (limits) container.resources = { limits };
  for (const kind of ['startupProbe', 'livenessProbe'] as const) {
    if (yaml.get([...path, kind]) !== undefined) container[kind] = readProbe(yaml, [...path, kind]);
  }
  return container;
}

function readLimits(yaml: YamlReader, path: FieldPath): Record<string, string> | null {
  yaml.skipUnknown(path, ['limits'], 'Cloud Run allocates the limits; v2 has no requests field');
  const limitsPath = [...path, 'limits'];
  const limits: Record<string, string> = {};
  for (const key of Object.keys(yaml.map(limitsPath))) {
    const value = yaml.string([...limitsPath, key]) ?? '';
    try {
      if (key === 'memory') memoryMib(value);
      else if (key === 'cpu' || key === GPU_LIMIT) quantityOk(value);
      else {
        yaml.skip([...limitsPath, key], NO_MAPPING);
        continue;
      }
    } catch (error) {
      if (error instanceof QuantityError) throw yaml.fail([...limitsPath, key], error.message);
      throw error;
    }
    limits[key] = value;
  }
  return Object.keys(limits).length ? limits : null;
}

function quantityOk(value: string): void {
  if (!/^\d+(\.\d+)?m?$/.test(value.trim()))
    throw new QuantityError(value, 'expected a number of vCPUs or GPUs, or millicores (500m)');
}

function readEnv(yaml: YamlReader, path: FieldPath): V2EnvVar | null {
  const name = yaml.string([...path, 'name']);
  if (!name) throw yaml.fail(path, 'an env entry has no name');
  yaml.skipUnknown(path, ['name', 'value', 'valueFrom'], NO_MAPPING);
  const from = [...path, 'valueFrom'];
  if (yaml.get(from) === undefined) return { name, value: yaml.string([...path, 'value']) ?? '' };
  const ref = [...from, 'secretKeyRef'];
  if (yaml.get(ref) === undefined) {
    yaml.skip(
      from,
      `environment variable ${name}: Cloud Run takes literal values and Secret Manager references (secretKeyRef) only; add it as one of those`,
    );
    return null;
  }
  yaml.skipUnknown(from, ['secretKeyRef'], NO_MAPPING);
  const secret = yaml.string([...ref, 'name']);
  if (!secret) throw yaml.fail(ref, 'secretKeyRef.name (the Secret Manager secret) is missing');
  // In Cloud Run's v1 dialect, secretKeyRef.key is the secret's version.
  const version = yaml.string([...ref, 'key']);
  return { name, valueSource: { secretKeyRef: { secret, ...(version ? { version } : {}) } } };
}

function readProbe(yaml: YamlReader, path: FieldPath): V2Probe {
  yaml.skipUnknown(
    path,
    [
      'initialDelaySeconds',
      'timeoutSeconds',
      'periodSeconds',
      'failureThreshold',
      'httpGet',
      'tcpSocket',
      'grpc',
    ],
    NO_MAPPING,
  );
  const probe: V2Probe = {};
  for (const key of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'failureThreshold'] as const) {
    const value = yaml.integer([...path, key], { min: 0 });
    if (value !== undefined) probe[key] = value;
  }
  const port = (at: FieldPath) => yaml.integer([...at, 'port'], { min: 1, max: 65535 });
  if (yaml.get([...path, 'httpGet']) !== undefined) {
    const at = [...path, 'httpGet'];
    yaml.skipUnknown(at, ['path', 'port', 'httpHeaders'], NO_MAPPING);
    const headers = yaml.list([...at, 'httpHeaders']).map((_, index) => ({
      name: yaml.string([...at, 'httpHeaders', index, 'name']) ?? '',
      value: yaml.string([...at, 'httpHeaders', index, 'value']) ?? '',
    }));
    const httpPath = yaml.string([...at, 'path']);
    const httpPort = port(at);
    probe.httpGet = {
      ...(httpPath !== undefined ? { path: httpPath } : {}),
      ...(httpPort !== undefined ? { port: httpPort } : {}),
      ...(headers.length ? { httpHeaders: headers } : {}),
    };
  }
  if (yaml.get([...path, 'tcpSocket']) !== undefined) {
    const at = [...path, 'tcpSocket'];
    yaml.skipUnknown(at, ['port'], NO_MAPPING);
    const tcpPort = port(at);
    probe.tcpSocket = tcpPort !== undefined ? { port: tcpPort } : {};
  }
  if (yaml.get([...path, 'grpc']) !== undefined) {
    const at = [...path, 'grpc'];
    yaml.skipUnknown(at, ['port', 'service'], NO_MAPPING);
    const grpcPort = port(at);
    const service = yaml.string([...at, 'service']);
    probe.grpc = { ...(grpcPort !== undefined ? { port: grpcPort } : {}), ...(service ? { service } : {}) };
  }
  const checks = ['httpGet', 'tcpSocket', 'grpc'].filter((key) => key in probe);
  if (checks.length > 1) throw yaml.fail(path, `a probe has one check; this one has ${checks.join(' and ')}`);
  return probe;
}

function readTraffic(yaml: YamlReader): V2TrafficTarget[] | null {
  if (yaml.get(['spec', 'traffic']) === undefined) return null;
  return yaml.list(['spec', 'traffic']).map((_, index) => {
    const path: FieldPath = ['spec', 'traffic', index];
    yaml.skipUnknown(path, ['percent', 'latestRevision', 'revisionName', 'tag'], NO_MAPPING);
    const percent = yaml.integer([...path, 'percent'], { min: 0, max: 100 });
    const tag = yaml.string([...path, 'tag']);
    const revision = yaml.string([...path, 'revisionName']);
    const latest = yaml.boolean([...path, 'latestRevision']) ?? revision === undefined;
    const target: V2TrafficTarget = latest
      ? { type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST' }
      : { type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION', revision: revision ?? '' };
    if (percent !== undefined) target.percent = percent;
    if (tag) target.tag = tag;
    return target;
  });
}

function settingPaths(yaml: YamlReader): Partial<Record<SettingName, FieldPath>> {
  const container: FieldPath = [...TEMPLATE_SPEC, 'containers', 0];
  const limits: FieldPath = [...container, 'resources', 'limits'];
  const paths: Partial<Record<SettingName, FieldPath>> = {};
  const present = (path: FieldPath) => yaml.get(path) !== undefined && yaml.get(path) !== null;
  if (present([...limits, 'memory'])) paths.memoryMb = [...limits, 'memory'];
  if (present([...limits, 'cpu'])) paths.cpuMillis = [...limits, 'cpu'];
  if (present([...TEMPLATE_SPEC, 'containerConcurrency']))
    paths.concurrency = [...TEMPLATE_SPEC, 'containerConcurrency'];
  const min = annotationKey(yaml, MIN_SCALE);
  if (min) paths.warmInstances = [...TEMPLATE_ANNOTATIONS, min];
  const max = annotationKey(yaml, MAX_SCALE);
  if (max) paths.maxInstances = [...TEMPLATE_ANNOTATIONS, max];
  if (present([...TEMPLATE_SPEC, 'timeoutSeconds']))
    paths.timeoutSeconds = [...TEMPLATE_SPEC, 'timeoutSeconds'];
  paths.image = [...container, 'image'];
  if (present([...limits, GPU_LIMIT])) paths.gpu = [...limits, GPU_LIMIT];
  else if (present([...TEMPLATE_SPEC, 'nodeSelector', ACCELERATOR]))
    paths.gpu = [...TEMPLATE_SPEC, 'nodeSelector', ACCELERATOR];
  return paths;
}

function annotationKey(yaml: YamlReader, names: readonly string[]): string | undefined {
  const annotations = yaml.map(TEMPLATE_ANNOTATIONS);
  return names.find((name) => annotations[name] !== undefined && annotations[name] !== null);
}

function stringMap(yaml: YamlReader, path: FieldPath): Record<string, string> | null {
  const keys = Object.keys(yaml.map(path));
  if (keys.length === 0) return null;
  return Object.fromEntries(keys.map((key) => [key, yaml.string([...path, key]) ?? '']));
}

function oneOf<T>(yaml: YamlReader, path: FieldPath, values: Record<string, T>): T {
  const text = yaml.string(path) ?? '';
  const value = values[text];
  if (value === undefined)
    throw yaml.fail(path, `expected one of ${Object.keys(values).join(', ')}, got ${JSON.stringify(text)}`);
  return value;
}
