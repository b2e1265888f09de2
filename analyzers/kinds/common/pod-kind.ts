import type { Workload } from '../../../core/model/index.ts';
import type { KindReader } from '../types.ts';
import { integer } from './fields.ts';
import { readPodSpec } from './pod-template.ts';
import { getPath } from './resources.ts';
import { buildWorkload } from './workload.ts';

type Path = readonly (string | number)[];

/**
 * The built-in controllers differ only in where the pod template and replica count sit, so one factory
 * serves them all; each kind's file states those paths and any extra meaning (StatefulSet state, say).
 */
export function podControllerReader(spec: {
  id: string;
  title: string;
  kind: string;
  group: string;
  versions: readonly string[];
  /** Path of the PodTemplateSpec (holding metadata and spec). */
  templatePath: Path;
  replicasPath: Path | null;
  /** Replicas when the field is absent: 1 for Deployments, null when the kind has no replica count. */
  defaultReplicas: number | null;
  refine?: (workload: Workload, obj: Record<string, unknown>) => void;
}): KindReader {
  return {
    id: spec.id,
    title: spec.title,
    matches: [{ group: spec.group, versions: spec.versions, kind: spec.kind }],
    read(object, context) {
      const podPath = [...spec.templatePath, 'spec'];
      const pod = readPodSpec(object, podPath, [...spec.templatePath, 'metadata', 'labels'], context);
      const replicas = spec.replicasPath
        ? (integer(getPath(object.obj, spec.replicasPath)) ?? spec.defaultReplicas)
        : spec.defaultReplicas;
      const workload = buildWorkload(object, context, { pod, replicas, podPath });
      spec.refine?.(workload, object.obj);
      return { type: 'workload', workload };
    },
  };
}
