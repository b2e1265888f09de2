import type { SourceRef } from '../../core/model/index.ts';
import { integer, list, record, text } from './common/fields.ts';
import { KNATIVE_DEFAULTS, knativeAutoscaling } from './common/knative.ts';
import { readPodSpec } from './common/pod-template.ts';
import { buildWorkload } from './common/workload.ts';
import type { KindReader } from './types.ts';

const TEMPLATE = ['spec', 'template'] as const;
const POD = [...TEMPLATE, 'spec'] as const;

/**
 * A Knative Service runs its revision template as an autoscaled Deployment. Autoscaling lives in the
 * template's annotations; Knative defaults to scale to zero (min-scale 0).
 */
export const knativeService: KindReader = {
  id: 'knative-service',
  title: 'Knative Service (serving.knative.dev/v1)',
  matches: [{ group: 'serving.knative.dev', versions: ['v1', 'v1beta1'], kind: 'Service' }],
  read(object, context) {
    const pod = readPodSpec(object, POD, [...TEMPLATE, 'metadata', 'labels'], context);
    const name = text(record(object.obj.metadata).name) ?? '(unnamed)';
    // Knative labels every revision pod with its Service, so selectors written against it still match.
    pod.labels = { ...pod.labels, 'serving.knative.dev/service': name };
    const spec = record(record(record(object.obj.spec).template).spec);
    const workload = buildWorkload(object, context, { pod, replicas: null, podPath: POD });
    const concurrency = integer(spec.containerConcurrency);
    const ccSource = object.locate([...POD, 'containerConcurrency']);
    workload.autoscaling = knativeAutoscaling(object, context, {
      annotationPaths: [[...TEMPLATE, 'metadata', 'annotations']],
      by: workload.id,
      containerConcurrency: concurrency,
      defaultMin: { value: KNATIVE_DEFAULTS.minScale, why: 'Knative scales to zero by default' },
      source: object.locate([...TEMPLATE, 'metadata']),
    });
    const min = workload.autoscaling.minReplicas ?? 0;
    workload.replicas = min;
    workload.serving.scaleToZero = min === 0;
    workload.serving.containerConcurrency = concurrency !== null && concurrency > 0 ? concurrency : null;
    if (concurrency === 0) {
      workload.notes.push({
        message: 'containerConcurrency 0: no per-pod request limit (Knative default)',
        source: ccSource,
      });
    }
    const timeout = integer(spec.timeoutSeconds);
    workload.serving.timeoutSeconds = timeout ?? KNATIVE_DEFAULTS.revisionTimeoutSeconds;
    workload.serving.source ??= timeout === null ? ccSource : object.locate([...POD, 'timeoutSeconds']);
    if (timeout === null) {
      workload.notes.push({
        message: `timeoutSeconds not set: Knative's default revision-timeout-seconds ${KNATIVE_DEFAULTS.revisionTimeoutSeconds} s applies (platform-facts.md d)`,
        source: null,
      });
    }
    if (list(spec.containers).length === 0)
      workload.notes.push({
        message: 'revision template has no containers',
        source: object.locate([...POD]),
      });
    noteTraffic(object.obj, object.locate(['spec', 'traffic']), workload.notes);
    return { type: 'workload', workload };
  },
};

/** Traffic split across revisions means more than one revision may run at once. */
function noteTraffic(
  obj: Record<string, unknown>,
  source: SourceRef,
  notes: { message: string; source: SourceRef | null }[],
): void {
  const routes = list(record(obj.spec).traffic).map(record);
  const pinned = routes.filter((route) => text(route.revisionName) !== null);
  if (pinned.length > 0) {
    notes.push({
      message: `traffic is split across ${routes.length} routes (${pinned.length} pinned revisions): older revisions keep running`,
      source,
    });
  }
}
