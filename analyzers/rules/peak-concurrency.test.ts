import { describe, expect, it } from 'vitest';
import { spikeProfile } from '../../core/traffic/index.ts';
import { peakConcurrency } from './peak-concurrency.ts';
import { context, workload } from './test-helpers.ts';

const id = 'ml/Deployment/app';

describe('peak-concurrency', () => {
  it("sizes peak concurrency by Little's law and warns where a target's limits fall short", () => {
    const burst = spikeProfile('trending:baseline=20,peak=10', 3);
    const findings = peakConcurrency.check(
      workload({ id }),
      context({ traffic: { [id]: burst }, serviceMs: 6000 }),
    );
    const peak = burst.stats.peakRequestsIn1s!;
    expect(findings[0]).toMatchObject({ severity: 'info' });
    expect(findings[0]!.message).toBe(
      `peak concurrency ≈ ${((peak * 6000) / 1000).toFixed(1)} requests in flight (${peak.toFixed(1)} req/s in the busiest second × --service-ms 6000)`,
    );
    const lambdaQuota = findings.find((finding) => finding.targets.includes('aws-lambda'));
    expect(lambdaQuota?.message).toMatch(/AWS Lambda allows 1,000 by default/);
    const azureRate = findings.find(
      (finding) => finding.targets.includes('azure-functions') && /steepest rise/.test(finding.message),
    );
    expect(azureRate?.message).toMatch(/Azure Functions adds at most 60 per minute/);
  });

  it("uses the workload's own concurrency on Cloud Run", () => {
    const burst = spikeProfile('trending:baseline=20,peak=10', 3);
    const busy = workload({ id, serving: { ...workload().serving, containerConcurrency: 1 } });
    const calm = workload({ id, serving: { ...workload().serving, containerConcurrency: 100 } });
    const cloudRun = (w: typeof busy) =>
      peakConcurrency
        .check(w, context({ traffic: { [id]: burst }, serviceMs: 6000 }))
        .filter((finding) => finding.targets.includes('cloud-run'));
    expect(
      cloudRun(busy)
        .map((finding) => finding.message)
        .join('\n'),
    ).toMatch(/Google Cloud Run allows 100 by default/);
    expect(cloudRun(calm)).toEqual([]);
  });

  it('asks for a service time when the traffic has none', () => {
    const findings = peakConcurrency.check(
      workload({ id }),
      context({ traffic: { [id]: spikeProfile('trending', 1) } }),
    );
    expect(findings).toEqual([
      expect.objectContaining({ severity: 'info', message: expect.stringMatching(/pass --service-ms/) }),
    ]);
  });
});
