import { clusterScopedIdentity } from './common/cluster-scoped.ts';
import { bool, list, record, text } from './common/fields.ts';
import { relatedIdentity } from './common/related.ts';
import type { KindReader } from './types.ts';

/**
 * A KServe (Cluster)ServingRuntime: the server image an InferenceService runs. It attaches to the
 * InferenceServices that name it, or whose model format it auto-selects: KServe only auto-selects a
 * runtime for formats marked `autoSelect: true`, so only those link by format.
 */
export const servingruntime: KindReader = {
  id: 'servingruntime',
  title: 'KServe ServingRuntime and ClusterServingRuntime (serving.kserve.io/v1alpha1)',
  matches: [
    { group: 'serving.kserve.io', versions: ['v1alpha1'], kind: 'ServingRuntime' },
    { group: 'serving.kserve.io', versions: ['v1alpha1'], kind: 'ClusterServingRuntime' },
  ],
  read(object, context) {
    const spec = record(object.obj.spec);
    const cluster = text(object.obj.kind) === 'ClusterServingRuntime';
    const formats = list(spec.supportedModelFormats)
      .map(record)
      .filter((format) => bool(format.autoSelect))
      .map((format) => text(format.name))
      .filter((name): name is string => name !== null);
    const image = text(record(list(spec.containers)[0]).image);
    const related = cluster
      ? clusterScopedIdentity(object, context, 'runtime')
      : relatedIdentity(object, context, 'runtime');
    return {
      type: 'related',
      related,
      link: { runtime: { formats: [...new Set(formats)], image, cluster } },
    };
  },
};
