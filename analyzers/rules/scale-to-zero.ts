import { at, reporter, servingSource, sourceOf } from './format.ts';
import type { Rule } from './types.ts';

const AUTOSCALER_NAMES: Record<string, string> = {
  hpa: 'HPA',
  keda: 'KEDA',
  'keda-http': 'KEDA HTTP add-on',
  knative: 'Knative',
  kserve: 'KServe',
  'ray-serve': 'Ray Serve',
  'ray-cluster': 'Ray autoscaler',
  operator: 'the operator',
};

/**
 * A workload that already scales to zero already lives with cold starts, which is what serverless
 * targets do by default (Cloud Run scales to zero by default, platform-facts.md f): that favours moving it.
 */
export const scaleToZero: Rule = {
  id: 'scale-to-zero',
  title: 'Already scales to zero',
  description: 'Workloads that scale to zero today tolerate cold starts; that favours serverless.',
  check(workload) {
    const say = reporter(this.id);
    const favours = 'it tolerates cold starts today, which favours serverless';
    const autoscaling = workload.autoscaling;
    if (autoscaling.minReplicas === 0) {
      const by = AUTOSCALER_NAMES[autoscaling.kind] ?? autoscaling.kind;
      const source = sourceOf(workload, autoscaling.source);
      const max = autoscaling.maxReplicas === null ? '' : `, max ${autoscaling.maxReplicas}`;
      const object = autoscaling.by ? ` set by ${autoscaling.by}` : '';
      return [
        say.info(
          `already scales to zero: ${by} min replicas 0${max}${object}${at(source)}; ${favours}`,
          source,
        ),
      ];
    }
    if (!workload.serving.scaleToZero) return [];
    const source = servingSource(workload, 'settings');
    return [say.info(`already scales to zero${at(source)}; ${favours}`, source)];
  },
};
