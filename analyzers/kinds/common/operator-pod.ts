import type { Container, EnvVar, GpuDemand, PodTemplate, SourceRef } from '../../../core/model/index.ts';
import { parseBytes, parseCount, parseCpuMillis, QuantityError } from '../../../core/quantity.ts';
import type { ManifestObject } from '../../sources/index.ts';
import type { ReadContext } from '../types.ts';
import { text } from './fields.ts';
import { emptyPod } from './pod-template.ts';
import { getPath, noGpu } from './resources.ts';

type Path = readonly (string | number)[];

/**
 * Operators (VLLMRuntime, NIMService, KAITO) describe their server in their own fields and build the pod
 * themselves. These helpers turn those fields into the pod we would see after the operator ran, so rules
 * and converters read them like any other pod; every value keeps the line of the field it came from.
 */
function parsed<T>(
  object: ManifestObject,
  path: Path,
  context: ReadContext,
  parse: (raw: string) => T,
): T | null {
  const raw = text(getPath(object.obj, path));
  if (raw === null) return null;
  try {
    return parse(raw);
  } catch (error) {
    if (!(error instanceof QuantityError)) throw error;
    const source = object.locate(path);
    context.reportError(source, `${path.join('.')}: ${error.message}`);
    return null;
  }
}

export const cpuAt = (object: ManifestObject, path: Path, context: ReadContext) =>
  parsed(object, path, context, parseCpuMillis);
export const bytesAt = (object: ManifestObject, path: Path, context: ReadContext) =>
  parsed(object, path, context, parseBytes);
export const countAt = (object: ManifestObject, path: Path, context: ReadContext) =>
  parsed(object, path, context, parseCount);

/** GPUs an operator field asks for (not a pod resource the scheduler sees in the manifest). */
export function operatorGpu(
  count: number | null,
  resource: string | null,
  evidence: GpuDemand['evidence'][number],
  source: SourceRef,
  model: string | null = null,
): GpuDemand {
  if (count === null || count <= 0) return noGpu();
  return { count, resource, model, evidence: [evidence], source };
}

export function operatorContainer(parts: {
  name: string;
  image: string | null;
  cpuMillis: number | null;
  memoryBytes: number | null;
  gpu: GpuDemand;
  env?: EnvVar[];
  envFrom?: Container['envFrom'];
  args?: string[];
  source: SourceRef;
}): Container {
  const amounts = { cpuMillis: parts.cpuMillis, memoryBytes: parts.memoryBytes };
  return {
    name: parts.name,
    image: parts.image,
    role: 'main',
    command: [],
    args: parts.args ?? [],
    ports: [],
    env: parts.env ?? [],
    envFrom: parts.envFrom ?? [],
    requests: { ...amounts },
    limits: { ...amounts },
    gpu: parts.gpu,
    probes: { readiness: null, liveness: null, startup: null },
    volumeMounts: [],
    privileged: false,
    source: parts.source,
  };
}

export function operatorPod(container: Container, extra: Partial<PodTemplate> = {}): PodTemplate {
  return { ...emptyPod(), ...extra, containers: [container] };
}
