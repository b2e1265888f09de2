import { describe, expect, it } from 'vitest';
import type { ReportBundle } from '../pipeline/build.ts';
import type { ReportJson, ResultRow } from '../pipeline/model.ts';
import { COMMENT_RESERVE, GITHUB_COMMENT_LIMIT, REPORT_MARKER, renderMarkdown } from './render.ts';

const TARGETS = ['kubernetes', 'knative', 'aws-lambda', 'cloud-run', 'azure-functions'] as const;

function row(workload: string, target: (typeof TARGETS)[number], index: number): ResultRow {
  return {
    workload,
    target,
    status: 'ok',
    verdict: target === 'kubernetes' ? 'baseline' : index % 3 ? 'warn' : 'ok',
    reasons: index % 3 ? [`[replay] p99 latency inside the spike ${index} ms exceeds the 100 ms SLO`] : [],
    workloadVerdict: 'serverless-function',
    fit: null,
    conversion: null,
    requests: 1000,
    served: 990,
    timeouts: 10,
    throttles: 0,
    drops: 0,
    coldStarts: index,
    p50Ms: 20,
    p90Ms: 80,
    p99Ms: 400 + index,
    maxMs: 900,
    spikeP99Ms: 500,
    waitP99Ms: 12,
    recoverySeconds: 30,
    sloMs: 100,
    instancesMax: 4,
    nodesMax: 2,
    gpuAllocatedHours: null,
    gpuBusyHours: null,
    gpuIdlePct: null,
    costUsd: 1.25,
    monthlyCostUsd: 912.5 + index,
    costLowerBound: false,
    costDeltaUsd: target === 'kubernetes' ? 0 : -100,
    costDeltaPct: target === 'kubernetes' ? 0 : -10,
  };
}

/** A fleet of `count` workloads on five targets, every row failing one threshold. */
function fleet(count: number): ReportBundle {
  const ids = [...Array(count).keys()].map(
    (index) => `team-${index % 17}/Deployment/model-server-number-${index}`,
  );
  const results = ids.flatMap((id, index) => TARGETS.map((target) => row(id, target, index)));
  const report: ReportJson = {
    schemaVersion: 1,
    tool: { name: 'migrate', version: 'test' },
    settings: {
      inputs: ['fleet/'],
      targets: [...TARGETS],
      workloads: null,
      seed: 1,
      traffic: '--spike trending',
      window: null,
      serviceMs: { default: 'fixed:20', byWorkload: {} },
      replayFlags: {},
      convertTargets: [],
    },
    summary: {
      workloads: count,
      rows: results.length,
      verdicts: { ok: 0, warn: 0, blocked: 0, 'not-implemented': 0, baseline: count },
      monthlyCostUsdByTarget: { kubernetes: 1 },
      thresholds: { checked: 1, violated: 1 },
      passed: false,
    },
    workloads: ids.map((id) => ({
      id,
      kind: 'Deployment',
      verdict: 'serverless-function',
      replayFile: `replay/${id.replace(/\//g, '-')}.json`,
      traffic: {
        origin: 'synthetic',
        requests: 1000,
        window: { startSeconds: 0, endSeconds: 600 },
        spike: null,
      },
    })),
    results,
    findings: ids.map((id) => ({
      severity: 'warn',
      workload: id,
      target: null,
      rule: 'stateful',
      message: 'a finding '.repeat(20),
    })),
    thresholds: [
      {
        expression: 'timeouts > 0',
        violations: results.map((entry) => ({
          workload: entry.workload,
          target: entry.target,
          values: { timeouts: 10 },
        })),
      },
    ],
    baseline: null,
  };
  return { report, replays: [] };
}

describe('the Markdown report', () => {
  it('starts with the hidden marker CI looks for', () => {
    expect(renderMarkdown(fleet(2)).startsWith(`${REPORT_MARKER}\n`)).toBe(true);
  });

  it('keeps every section for a small run', () => {
    const text = renderMarkdown(fleet(3));
    expect(text).toContain('<details><summary><b>team-2/Deployment/model-server-number-2</b>');
    expect(text).not.toContain('left out to stay under');
  });

  it.each([40, 400, 2000])(
    'stays under GitHub’s comment limit for %i workloads, saying what it left out',
    (count) => {
      const text = renderMarkdown(fleet(count));
      expect(text.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT - COMMENT_RESERVE);
      expect(text).toContain('❌ 1 threshold(s) violated');
      expect(text).toContain('`timeouts > 0`');
      if (count >= 400) {
        expect(text).toMatch(/Details of \d+ workload\(s\) are left out/);
        expect(text).toContain('… and');
      }
    },
  );
});
