import type { ReplayReport } from '../../loadtests/engine/result.ts';

/**
 * The report as JSON (docs/replay.md). Arrays of plain numbers — the timeline rows — stay on one line
 * each, so a run's timeline reads as a table and the file stays diffable.
 */
export function renderReplayJson(report: ReplayReport): string {
  const text = JSON.stringify(report, null, 2);
  return `${text.replace(/\[\n\s+(-?[\d.e+-]+(?:,\n\s+-?[\d.e+-]+)*)\n\s+\]/g, (_, inner: string) => `[${inner.split(/,\n\s+/).join(', ')}]`)}\n`;
}
