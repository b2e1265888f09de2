import { describe, expect, it } from 'vitest';
import { spikeProfile } from '../../core/traffic/index.ts';
import { context, workload } from './test-helpers.ts';
import { trafficShape } from './traffic-shape.ts';

const id = 'ml/Deployment/app';

describe('traffic-shape', () => {
  it('keeps a flat, busy workload on the cluster with the figures', () => {
    const flat = spikeProfile('constant:rate=50,duration=30m', 1);
    const [finding] = trafficShape.check(workload({ id }), context({ traffic: { [id]: flat } }));
    expect(finding).toMatchObject({ rule: 'traffic-shape', severity: 'block', targets: [] });
    expect(finding!.message).toMatch(
      /consistently high \(peak\/mean 1\.\d\d, idle 0\.0 % of the time, below 10 % of peak 0\.0 %/,
    );
  });

  it('says spiky traffic favours serverless', () => {
    const spiky = spikeProfile('trending', 1);
    const [finding] = trafficShape.check(workload({ id }), context({ traffic: { [id]: spiky } }));
    expect(finding).toMatchObject({ severity: 'info', targets: [] });
    expect(finding!.message).toMatch(/^traffic is spiky \(peak\/mean 3\.\d\d.*favours serverless/);
  });

  it('is silent without traffic for the workload', () => {
    const other = spikeProfile('constant:rate=50,duration=30m', 1);
    expect(
      trafficShape.check(workload({ id }), context({ traffic: { 'ml/Deployment/other': other } })),
    ).toEqual([]);
  });
});
