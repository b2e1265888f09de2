import { STAY_THRESHOLDS } from '../../core/limits/targets.ts';
import type { SourceRef } from '../../core/model/index.ts';
import { type TrafficProfile, trafficStatsJson } from '../../core/traffic/index.ts';
import { reporter } from './format.ts';
import type { Rule } from './types.ts';

const percent = (fraction: number) => `${(fraction * 100).toFixed(1)} %`;

/** Where the traffic came from, as a source a reviewer can open: the trace file's first line. */
export function trafficSource(profile: TrafficProfile): SourceRef | null {
  return profile.origin.kind === 'file' ? { file: profile.origin.path, line: 1 } : null;
}

/**
 * Measured traffic decides what decision-rules.md only states: consistently high throughput stays on
 * the cluster (nothing to scale away), spiky or mostly idle traffic favours serverless.
 */
export const trafficShape: Rule = {
  id: 'traffic-shape',
  title: 'Traffic shape',
  description:
    'With traffic given (--traffic, --prometheus): a steady, busy trace (under 5 % idle and under 5 % of the time below a tenth of the peak) keeps the workload on the cluster; spiky or mostly idle traffic favours serverless.',
  check(workload, context) {
    const profile = context.traffic.get(workload.id);
    if (!profile) return [];
    const say = reporter(this.id);
    const stats = trafficStatsJson(profile);
    const source = trafficSource(profile);
    const figures = `peak/mean ${stats.peakToMean1m.toFixed(2)}, idle ${percent(stats.idleFraction)} of the time, below 10 % of peak ${percent(stats.belowTenPercentOfPeakFraction)}, over ${Math.round(stats.durationSeconds)} s of ${stats.source}`;
    const flatAndBusy =
      stats.label === 'steady' &&
      stats.idleFraction < STAY_THRESHOLDS.flatBusyMaxIdleFraction &&
      stats.belowTenPercentOfPeakFraction < STAY_THRESHOLDS.flatBusyMaxBelowTenPercentOfPeak;
    if (flatAndBusy) {
      return [
        say.block(
          `traffic is consistently high (${figures}): serverless would pay per request for capacity that never scales away; keep it on the cluster (decision-rules.md)`,
          source,
        ),
      ];
    }
    if (stats.label === 'spiky' || stats.label === 'mostly-idle') {
      return [
        say.info(
          `traffic is ${stats.label} (${figures}): that favours serverless, which scales with it and to zero`,
          source,
        ),
      ];
    }
    return [say.info(`traffic is steady but not busy all the time (${figures})`, source)];
  },
};
