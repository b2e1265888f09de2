import { list, record, text } from './common/fields.ts';
import { relatedIdentity } from './common/related.ts';
import type { KindReader } from './types.ts';

/** An Ingress attaches to the workloads behind the Services its rules route to. */
export const ingress: KindReader = {
  id: 'ingress',
  title: 'Ingress (networking.k8s.io/v1)',
  matches: [
    { group: 'networking.k8s.io', versions: ['v1', 'v1beta1'], kind: 'Ingress' },
    { group: 'extensions', versions: ['v1beta1'], kind: 'Ingress' },
  ],
  read(object, context) {
    const spec = record(object.obj.spec);
    const backends = [spec.defaultBackend, spec.backend];
    for (const rule of list(spec.rules)) {
      for (const path of list(record(record(rule).http).paths)) backends.push(record(path).backend);
    }
    const names = backends
      .map((backend) => text(record(record(backend).service).name) ?? text(record(backend).serviceName))
      .filter((name): name is string => name !== null);
    return {
      type: 'related',
      related: relatedIdentity(object, context, 'ingress'),
      link: { serviceNames: [...new Set(names)] },
    };
  },
};
