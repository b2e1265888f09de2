/**
 * "The spike" of a replay: the longest stretch of heavy traffic, found the way the traffic statistics
 * find bursts (core/traffic/stats.ts): 1-minute bins (the series' own step when it is coarser) from
 * the window's start; a bin is a burst bin when it holds at least `burstFactor` (2) × the mean bin; the
 * spike is the run of consecutive burst bins that contains the busiest bin. No bin reaching the
 * threshold (steady traffic) means no spike.
 */

import { LABEL_THRESHOLDS, type TrafficProfile } from '../../core/traffic/index.ts';
import type { ReplayWindow } from './window.ts';

export interface SpikeWindow {
  /** ms after the window start. */
  startMs: number;
  endMs: number;
  binSeconds: number;
  thresholdRequestsPerMinute: number;
  peakRequestsPerMinute: number;
}

export function findSpike(profile: TrafficProfile, window: ReplayWindow): SpikeWindow | null {
  const binSeconds = Math.max(60, profile.series.stepSeconds);
  const bins = binWindow(profile, window, binSeconds * 1000);
  if (bins.length === 0) return null;
  const mean = bins.reduce((sum, value) => sum + value, 0) / bins.length;
  const threshold = LABEL_THRESHOLDS.burstFactor * mean;
  let peak = 0;
  for (let i = 1; i < bins.length; i++) if (bins[i]! > bins[peak]!) peak = i;
  if (!(bins[peak]! > 0) || bins[peak]! < threshold) return null;
  let first = peak;
  while (first > 0 && bins[first - 1]! >= threshold) first -= 1;
  let last = peak;
  while (last + 1 < bins.length && bins[last + 1]! >= threshold) last += 1;
  const perMinute = 60 / binSeconds;
  const binMs = binSeconds * 1000;
  return {
    startMs: first * binMs,
    endMs: Math.min(window.endMs - window.startMs, (last + 1) * binMs),
    binSeconds,
    thresholdRequestsPerMinute: threshold * perMinute,
    peakRequestsPerMinute: bins[peak]! * perMinute,
  };
}

/** Requests per bin from the window start (the last bin may be partial). */
function binWindow(profile: TrafficProfile, window: ReplayWindow, binMs: number): number[] {
  const lengthMs = window.endMs - window.startMs;
  const bins = new Array<number>(Math.max(1, Math.ceil(lengthMs / binMs))).fill(0);
  const arrivals = profile.arrivalOffsetsMs;
  if (arrivals) {
    for (const offset of arrivals) {
      if (offset < window.startMs || offset >= window.endMs) continue;
      bins[Math.floor((offset - window.startMs) / binMs)]! += 1;
    }
    return bins;
  }
  const { stepSeconds, requests } = profile.series;
  const stepMs = stepSeconds * 1000;
  const missing = new Set(profile.series.missingSteps);
  requests.forEach((count, step) => {
    if (missing.has(step)) return;
    const from = Math.max(step * stepMs, window.startMs);
    const to = Math.min((step + 1) * stepMs, window.endMs);
    if (to <= from) return;
    // A step straddling a window or bin edge contributes in proportion to its overlap.
    for (let at = from; at < to; ) {
      const bin = Math.floor((at - window.startMs) / binMs);
      const binEnd = window.startMs + (bin + 1) * binMs;
      const until = Math.min(to, binEnd);
      bins[bin]! += (count * (until - at)) / stepMs;
      at = until;
    }
  });
  return bins;
}
