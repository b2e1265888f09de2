import type { WorkloadReport } from '../../analyzers/report.ts';
import type { RelatedObject } from '../../core/model/index.ts';
import type { NotCarried } from '../types.ts';
import { mainContainers } from './environment.ts';

/**
 * What a pod has that a serverless target does not take over, listed the same way for every target so
 * nothing is dropped silently. The structure is shared; each target says what to do about each item.
 */
export interface NotCarriedWords {
  /** Runs one container per instance: what to do with a sidecar. */
  sidecar: string;
  init: string;
  extraMain: string;
  component: string;
  /** What to do with a volume the converter did not map (`mapped` lists the mount paths it did). */
  volume: string;
  probes: string;
  ports: string;
  command: string;
  autoscaler: string;
  scheduling: string;
  identity: string;
  /** A Service, Ingress or route in front of the pods. */
  entry: string;
}

export function commonNotCarried(
  workload: WorkloadReport,
  related: readonly RelatedObject[],
  words: NotCarriedWords,
  options: { mappedMounts?: ReadonlySet<string> } = {},
): NotCarried[] {
  const items: NotCarried[] = [];
  const [main, ...extraMains] = mainContainers(workload);
  for (const container of workload.containers) {
    const image = container.image ? ` (${container.image})` : '';
    if (container.role === 'sidecar')
      items.push({
        what: `sidecar container ${container.name}${image}`,
        source: container.source,
        action: words.sidecar,
      });
    if (container.role === 'init')
      items.push({
        what: `init container ${container.name}${image}`,
        source: container.source,
        action: words.init,
      });
  }
  for (const container of extraMains)
    items.push({
      what: `second main container ${container.name}${container.image ? ` (${container.image})` : ''}`,
      source: container.source,
      action: words.extraMain,
    });
  for (const component of workload.components) {
    const scale =
      component.maxReplicas !== null
        ? `${component.minReplicas ?? 0}–${component.maxReplicas} replicas`
        : `${component.replicas ?? 1} replica(s)`;
    items.push({
      what: `component ${component.name} (${component.role}, ${scale})`,
      source: workload.sources[0] ?? null,
      action: words.component,
    });
  }
  if (main) {
    for (const mount of main.volumeMounts) {
      if (options.mappedMounts?.has(mount.mountPath)) continue;
      items.push({
        what: `volume ${mount.name} mounted at ${mount.mountPath}${mount.readOnly ? ' (read-only)' : ''}`,
        source: main.source,
        action: words.volume,
      });
    }
    const probes = (['startup', 'readiness', 'liveness'] as const).filter(
      (kind) => main.probes[kind] !== null,
    );
    if (probes.length) {
      items.push({
        what: `${probes.join(', ')} probe${probes.length > 1 ? 's' : ''}`,
        source: main.probes[probes[0]!]!.source,
        action: words.probes,
      });
    }
    if (main.ports.length) {
      items.push({
        what: `container port${main.ports.length > 1 ? 's' : ''} ${main.ports.map((port) => `${port.containerPort}${port.name ? ` (${port.name})` : ''}`).join(', ')}`,
        source: main.source,
        action: words.ports,
      });
    }
    const commandLine = [...main.command, ...main.args].join(' ');
    if (commandLine)
      items.push({ what: `command: ${truncate(commandLine)}`, source: main.source, action: words.command });
  }
  if (workload.autoscaling.kind !== 'none') {
    const { minReplicas, maxReplicas } = workload.autoscaling;
    const range = `${minReplicas ?? 'default'}–${maxReplicas ?? 'no maximum'} replicas`;
    const metrics = workload.autoscaling.metrics
      .map((metric) => (metric.name === metric.type ? metric.type : `${metric.type} ${metric.name}`))
      .join(', ');
    items.push({
      what: `autoscaler ${workload.autoscaling.kind}${workload.autoscaling.by ? ` ${workload.autoscaling.by}` : ''} (${range}${metrics ? `; ${metrics}` : ''})`,
      source: workload.autoscaling.source,
      action: words.autoscaler,
    });
  }
  for (const object of related.filter((entry) =>
    ['service', 'ingress', 'routing', 'auth'].includes(entry.role),
  ))
    items.push({
      what: `${object.kind} ${object.namespace}/${object.name}`,
      source: object.source,
      action: words.entry,
    });
  items.push({
    what: 'scheduling: node selectors, affinity, tolerations, topology spread, priority',
    source: null,
    action: words.scheduling,
  });
  items.push({ what: 'pod service account and its permissions', source: null, action: words.identity });
  return items;
}

function truncate(text: string, max = 100): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
