import type { SourceRef } from '../../core/model/index.ts';
import { at, inComponent, podShapes, prose, reporter, sourceOf, targetIds } from './format.ts';
import type { Rule } from './types.ts';

/**
 * Serverless platforms run code in sandboxes with no node to reach: a hostPath volume, the host's network
 * or PID namespace, or a privileged container has no equivalent on Lambda, Cloud Run or Azure Functions.
 */
export const hostAccess: Rule = {
  id: 'host-access',
  title: 'Host access',
  description: 'hostPath volumes, hostNetwork, hostPID and privileged containers block every target.',
  check(workload, context) {
    const uses: string[] = [];
    const sources: (SourceRef | null)[] = [];
    for (const shape of podShapes(workload)) {
      const where = inComponent(shape);
      const use = (what: string, source = sourceOf(workload)) => {
        uses.push(`${what}${where}${at(source)}`);
        sources.push(source);
      };
      if (shape.pod.hostNetwork) use('hostNetwork');
      if (shape.pod.hostPID) use('hostPID');
      for (const volume of shape.pod.volumes) {
        if (volume.source.type === 'hostPath')
          use(`hostPath volume ${volume.name} (${volume.source.path})`, volume.sourceRef);
      }
      for (const container of shape.pod.containers) {
        if (container.privileged)
          use(`privileged ${container.role} container ${container.name}`, container.source);
      }
    }
    if (uses.length === 0) return [];
    const message = `uses the host: ${prose(uses)}; serverless targets give no access to a host`;
    return [reporter(this.id).block(message, sources[0] ?? null, targetIds(context.limits))];
  },
};
