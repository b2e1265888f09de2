import { list, record, text } from './common/fields.ts';
import { relatedIdentity } from './common/related.ts';
import type { KindReader } from './types.ts';

/**
 * A KServe InferenceGraph routes requests through InferenceServices (sequence, switch, ensemble, splitter).
 * It attaches to the InferenceServices its steps name; steps given only as a URL cannot be followed.
 */
export const inferencegraph: KindReader = {
  id: 'inferencegraph',
  title: 'KServe InferenceGraph (serving.kserve.io/v1alpha1)',
  matches: [{ group: 'serving.kserve.io', versions: ['v1alpha1'], kind: 'InferenceGraph' }],
  read(object, context) {
    const nodes = Object.values(record(record(object.obj.spec).nodes)).map(record);
    const names = nodes.flatMap((node) => list(node.steps).map((step) => text(record(step).serviceName)));
    const workloadRefs = [...new Set(names.filter((name): name is string => name !== null))].map((name) => ({
      kind: 'InferenceService',
      name,
    }));
    return { type: 'related', related: relatedIdentity(object, context, 'routing'), link: { workloadRefs } };
  },
};
