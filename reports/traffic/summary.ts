import {
  formatDurationSeconds,
  sparkline,
  statisticsBins,
  type TrafficProfile,
  trafficStatsJson,
} from '../../core/traffic/index.ts';

/** What `migrate traffic --format json` prints: the statistics, where they came from, what the cluster did. */
export function trafficJson(profile: TrafficProfile) {
  const cluster = profile.cluster;
  return {
    schemaVersion: 1,
    ...trafficStatsJson(profile),
    origin: profile.origin,
    latency: profile.latency,
    observed: cluster ? { replicas: cluster.replicaStats, gpu: cluster.gpu } : null,
    warnings: profile.warnings,
  };
}

const number = (value: number, digits = 0) =>
  value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const percent = (fraction: number) => `${(fraction * 100).toFixed(1)} %`;

/** The terminal view: one figure a line, a sparkline of the rate when `sparkline` is on. */
export function trafficTable(profile: TrafficProfile, options: { sparkline: boolean }): string {
  const stats = trafficStatsJson(profile);
  const perMinute = stats.resolutionSeconds === 60 ? 'min' : `${stats.resolutionSeconds / 60} min`;
  const lines = [
    `traffic from ${stats.source}`,
    `  duration        ${formatDurationSeconds(Math.round(stats.durationSeconds))} (${number(stats.durationSeconds, 1)} s)`,
    `  requests        ${number(stats.requests)}`,
    `  mean rate       ${number(stats.meanRatePerSecond, 3)} req/s`,
    `  peak rate       ${number(stats.peakRatePerSecond1m, 3)} req/s over 1 ${perMinute} (${number(stats.peakRequestsPerMinute)} req/min)${stats.peakRequestsIn1s === null ? '' : `; busiest second ${stats.peakRequestsIn1s}`}`,
    `  peak / mean     ${number(stats.peakToMean1m, 2)}`,
    `  largest rise    +${number(stats.largestIncreasePerMinute)} req/min from one bin to the next`,
    `  idle            ${percent(stats.idleFraction)} of bins; below 10 % of peak ${percent(stats.belowTenPercentOfPeakFraction)}`,
    `  bursts          ${stats.bursts.count}${stats.bursts.count ? ` (lengths ${stats.bursts.lengthsSeconds.map((seconds) => formatDurationSeconds(seconds)).join(', ')})` : ''}`,
    `  label           ${stats.label}: ${stats.labelReason}`,
  ];
  const latency = profile.latency;
  if (latency) {
    const ms = (value: number | null) => (value === null ? '?' : `${number(value, 1)} ms`);
    lines.push(
      `  service time    p50 ${ms(latency.p50Ms)}, p99 ${ms(latency.p99Ms)}, mean ${ms(latency.meanMs)} (${latency.source})`,
    );
  }
  if (profile.cluster?.replicaStats) {
    const replicas = profile.cluster.replicaStats;
    lines.push(
      `  replicas        min ${replicas.min}, mean ${number(replicas.mean, 2)}, max ${replicas.max}`,
    );
  }
  if (profile.cluster?.gpu) {
    const gpu = profile.cluster.gpu;
    lines.push(
      `  GPU time        ${number(gpu.allocatedGpuSeconds / 3600, 1)} GPU-h allocated, ${number(gpu.busyGpuSeconds / 3600, 1)} busy; idle ${gpu.idleFraction === null ? '?' : percent(gpu.idleFraction)}`,
    );
  }
  if (options.sparkline) {
    const bins = statisticsBins(profile);
    lines.push(`  rate            ${sparkline(bins.requests, 60)}`);
  }
  for (const warning of profile.warnings) lines.push(`warning: ${warning}`);
  return `${lines.join('\n')}\n`;
}
