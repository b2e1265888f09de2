import { describe, expect, it } from 'vitest';
import type { OkRun } from '../engine/result.ts';
import { buildSweepReport } from './report.ts';
import { pickBest, pickClosest, type SweepRow, sweepRow } from './select.ts';

const criteria = { sloP99Ms: 200, errorBudget: 0.01 };

function row(value: number, p99: number | null, costUsd: number, errorRate = 0): SweepRow {
  const meetsSlo = p99 !== null && p99 <= criteria.sloP99Ms && errorRate <= criteria.errorBudget;
  return { value, latencyMs: { p99 }, spikeP99Ms: p99, coldStarts: 0, errorRate, costUsd, meetsSlo };
}

describe('sweepRow', () => {
  const run = (p99: number | null, failed: { timedOut?: number; throttled?: number; dropped?: number }) =>
    ({
      requests: { total: 1000, served: 1000, timedOut: 0, throttled: 0, dropped: 0, ...failed },
      coldStarts: 7,
      latencyMs: { p99 },
      spikeLatencyMs: { p99: 300 },
      cost: { totalUsd: 0.5, lines: [] },
    }) as unknown as OkRun;

  it('counts timed out, throttled and dropped requests against the error budget', () => {
    const result = sweepRow(4, run(150, { timedOut: 5, throttled: 3, dropped: 2 }), criteria);
    expect(result).toEqual({
      value: 4,
      latencyMs: { p99: 150 },
      spikeP99Ms: 300,
      coldStarts: 7,
      errorRate: 0.01,
      costUsd: 0.5,
      meetsSlo: true,
    });
    expect(sweepRow(4, run(150, { dropped: 11 }), criteria).meetsSlo).toBe(false);
  });

  it('judges the overall p99, and a run with no p99 as missing the SLO', () => {
    expect(sweepRow(4, run(201, {}), criteria).meetsSlo).toBe(false);
    expect(sweepRow(4, run(200, {}), criteria).meetsSlo).toBe(true);
    expect(sweepRow(4, run(null, {}), criteria).meetsSlo).toBe(false);
  });
});

describe('pickBest', () => {
  it('picks the cheapest setting meeting the SLO, not the cheapest overall', () => {
    const rows = [row(0, 9000, 0.01), row(2, 190, 0.03), row(4, 150, 0.02), row(8, 140, 0.05)];
    expect(pickBest(rows)?.value).toBe(4);
  });

  it('breaks a tie in cost in favour of the smaller setting, whatever the order', () => {
    expect(pickBest([row(8, 100, 0.02), row(2, 150, 0.02)])?.value).toBe(2);
  });

  it('returns null when no setting meets the SLO, and the report names the closest', () => {
    const rows = [row(0, 9000, 0.01), row(2, 400, 0.03, 0.2), row(4, 500, 0.02)];
    expect(pickBest(rows)).toBeNull();
    // Setting 2 has the lowest p99 but blows the error budget: 4 is nearer to acceptable.
    expect(pickClosest(rows, criteria)?.value).toBe(4);
    const report = buildSweepReport(
      { name: 'provisioned', target: 'aws-lambda', values: [0, 2, 4] },
      criteria,
      rows,
    );
    expect(report.best).toBeNull();
    expect(report.closest).toEqual({ value: 4, costUsd: 0.02 });
  });

  it('reports the best and no closest when a setting qualifies', () => {
    const rows = [row(0, 9000, 0.01), row(2, 190, 0.03)];
    const report = buildSweepReport(
      { name: 'provisioned', target: 'aws-lambda', values: [0, 2] },
      criteria,
      rows,
    );
    expect(report).toMatchObject({ schemaVersion: 1, best: { value: 2, costUsd: 0.03 }, closest: null });
    expect(report.sweep).toEqual({ name: 'provisioned', target: 'aws-lambda', values: [0, 2], ...criteria });
  });
});

describe('lower-bound costs', () => {
  it('never lets a setting win on a cost that leaves unpriced usage out', () => {
    const unpriced = { ...row(1, 100, 0.01), costLowerBound: true as const };
    const priced = row(0, 150, 0.03);
    expect(pickBest([unpriced, priced])?.value).toBe(0);
    expect(pickBest([unpriced])?.value).toBe(1);
    const report = buildSweepReport(
      { name: 'min-instances', target: 'cloud-run', values: [1] } as never,
      criteria,
      [unpriced],
    );
    expect(report.best).toEqual({ value: 1, costUsd: 0.01, costLowerBound: true });
  });
});
