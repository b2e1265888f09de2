import type {
  Container,
  EnvVar,
  PodTemplate,
  Probe,
  Volume,
  VolumeSource,
} from '../../../core/model/index.ts';
import { parseBytes, QuantityError } from '../../../core/quantity.ts';
import type { ManifestObject } from '../../sources/index.ts';
import type { ReadContext } from '../types.ts';
import { bool, integer, list, record, stringMap, strings, text } from './fields.ts';
import { getPath, readContainerResources } from './resources.ts';

type Path = readonly (string | number)[];

/**
 * Reads a PodSpec at `specPath` (for a Deployment: spec.template.spec), with `labelsPath` pointing at the
 * template's labels. Used by every kind that embeds pods, so they all agree on what a pod means.
 */
export function readPodSpec(
  object: ManifestObject,
  specPath: Path,
  labelsPath: Path | null,
  context: ReadContext,
): PodTemplate {
  const spec = record(getPath(object.obj, specPath));
  const containers: Container[] = [];
  list(spec.initContainers).forEach((_, index) => {
    const path = [...specPath, 'initContainers', index];
    const raw = record(getPath(object.obj, path));
    // Native sidecars are init containers that keep running (restartPolicy: Always, Kubernetes 1.28+).
    containers.push(
      readContainer(object, path, raw.restartPolicy === 'Always' ? 'sidecar' : 'init', context),
    );
  });
  list(spec.containers).forEach((_, index) => {
    containers.push(
      readContainer(object, [...specPath, 'containers', index], index === 0 ? 'main' : 'sidecar', context),
    );
  });
  return {
    containers,
    volumes: list(spec.volumes).map((_, index) =>
      readVolume(object, [...specPath, 'volumes', index], context),
    ),
    nodeSelector: stringMap(spec.nodeSelector),
    tolerations: list(spec.tolerations).map((raw) => {
      const toleration = record(raw);
      return {
        key: text(toleration.key),
        operator: text(toleration.operator),
        value: text(toleration.value),
        effect: text(toleration.effect),
      };
    }),
    hostNetwork: bool(spec.hostNetwork),
    hostPID: bool(spec.hostPID),
    labels: labelsPath ? stringMap(getPath(object.obj, labelsPath)) : {},
    serviceAccountName: text(spec.serviceAccountName),
    terminationGracePeriodSeconds: integer(spec.terminationGracePeriodSeconds),
  };
}

export function emptyPod(): PodTemplate {
  return {
    containers: [],
    volumes: [],
    nodeSelector: {},
    tolerations: [],
    hostNetwork: false,
    hostPID: false,
    labels: {},
    serviceAccountName: null,
    terminationGracePeriodSeconds: null,
  };
}

export function readContainer(
  object: ManifestObject,
  path: Path,
  role: Container['role'],
  context: ReadContext,
): Container {
  const raw = record(getPath(object.obj, path));
  const resources = readContainerResources(object, [...path, 'resources'], context);
  const probe = (name: string) => readProbe(object, [...path, name]);
  return {
    name: text(raw.name) ?? `container-${String(path[path.length - 1])}`,
    image: text(raw.image),
    role,
    command: strings(raw.command),
    args: strings(raw.args),
    ports: list(raw.ports).map((entry) => {
      const port = record(entry);
      return {
        name: text(port.name),
        containerPort: integer(port.containerPort) ?? 0,
        protocol: text(port.protocol) ?? 'TCP',
      };
    }),
    env: list(raw.env).map(readEnvVar),
    envFrom: list(raw.envFrom).map((entry) => {
      const from = record(entry);
      const secret = text(record(from.secretRef).name);
      const configMap = text(record(from.configMapRef).name);
      return { ...(secret ? { secretRef: secret } : {}), ...(configMap ? { configMapRef: configMap } : {}) };
    }),
    requests: resources.requests,
    limits: resources.limits,
    gpu: resources.gpu,
    probes: {
      readiness: probe('readinessProbe'),
      liveness: probe('livenessProbe'),
      startup: probe('startupProbe'),
    },
    volumeMounts: list(raw.volumeMounts).map((entry) => {
      const mount = record(entry);
      return {
        name: text(mount.name) ?? '',
        mountPath: text(mount.mountPath) ?? '',
        readOnly: bool(mount.readOnly),
      };
    }),
    privileged: bool(record(raw.securityContext).privileged),
    source: object.locate(path),
  };
}

/** Secret values never enter the model: a secretKeyRef keeps only the secret's name and key. */
function readEnvVar(entry: unknown): EnvVar {
  const env = record(entry);
  const name = text(env.name) ?? '';
  const valueFrom = record(env.valueFrom);
  const secret = record(valueFrom.secretKeyRef);
  const configMap = record(valueFrom.configMapKeyRef);
  if (text(secret.name)) return { name, secretRef: { name: text(secret.name)!, key: text(secret.key) } };
  if (text(configMap.name))
    return { name, configMapRef: { name: text(configMap.name)!, key: text(configMap.key) } };
  const field =
    text(record(valueFrom.fieldRef).fieldPath) ?? text(record(valueFrom.resourceFieldRef).resource);
  if (field) return { name, fieldRef: field };
  const value = text(env.value);
  return value === null ? { name } : { name, value };
}

function readProbe(object: ManifestObject, path: Path): Probe | null {
  const raw = getPath(object.obj, path);
  if (raw === undefined || raw === null) return null;
  const probe = record(raw);
  const http = record(probe.httpGet);
  const tcp = record(probe.tcpSocket);
  const grpc = record(probe.grpc);
  const kind: Probe['kind'] = probe.httpGet ? 'http' : probe.tcpSocket ? 'tcp' : probe.grpc ? 'grpc' : 'exec';
  const port = http.port ?? tcp.port ?? grpc.port ?? null;
  // Defaults from the Kubernetes API reference for Probe.
  return {
    kind,
    path: text(http.path),
    port: typeof port === 'number' || typeof port === 'string' ? port : null,
    initialDelaySeconds: integer(probe.initialDelaySeconds) ?? 0,
    periodSeconds: integer(probe.periodSeconds) ?? 10,
    timeoutSeconds: integer(probe.timeoutSeconds) ?? 1,
    failureThreshold: integer(probe.failureThreshold) ?? 3,
    source: object.locate(path),
  };
}

function readVolume(object: ManifestObject, path: Path, context: ReadContext): Volume {
  const raw = record(getPath(object.obj, path));
  const sourceRef = object.locate(path);
  const name = text(raw.name) ?? '';
  let source: VolumeSource;
  if (raw.persistentVolumeClaim) {
    const claim = record(raw.persistentVolumeClaim);
    source = { type: 'pvc', claimName: text(claim.claimName) ?? '', readOnly: bool(claim.readOnly) };
  } else if (raw.ephemeral) {
    const storage = record(
      record(record(record(record(raw.ephemeral).volumeClaimTemplate).spec).resources).requests,
    ).storage;
    source = {
      type: 'ephemeral-pvc',
      sizeBytes: quantityOrReport(storage, object, [...path, 'ephemeral'], context),
    };
  } else if (raw.configMap) source = { type: 'configMap', name: text(record(raw.configMap).name) ?? '' };
  else if (raw.secret) source = { type: 'secret', name: text(record(raw.secret).secretName) ?? '' };
  else if (raw.emptyDir !== undefined) {
    const emptyDir = record(raw.emptyDir);
    source = {
      type: 'emptyDir',
      medium: text(emptyDir.medium),
      sizeLimitBytes: quantityOrReport(
        emptyDir.sizeLimit,
        object,
        [...path, 'emptyDir', 'sizeLimit'],
        context,
      ),
    };
  } else if (raw.hostPath) source = { type: 'hostPath', path: text(record(raw.hostPath).path) ?? '' };
  else if (raw.csi) source = { type: 'csi', driver: text(record(raw.csi).driver) ?? '' };
  else if (raw.image) source = { type: 'image', reference: text(record(raw.image).reference) ?? '' };
  else source = { type: 'other', kind: Object.keys(raw).find((key) => key !== 'name') ?? 'unknown' };
  return { name, source, sourceRef };
}

export function quantityOrReport(
  raw: unknown,
  object: ManifestObject,
  path: Path,
  context: ReadContext,
): number | null {
  const value = text(raw);
  if (value === null) return null;
  try {
    return parseBytes(value);
  } catch (error) {
    if (!(error instanceof QuantityError)) throw error;
    const source = object.locate(path);
    context.reportError(source, `${path.join('.')}: ${error.message}`);
    return null;
  }
}
