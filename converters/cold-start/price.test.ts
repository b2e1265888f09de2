import { describe, expect, it } from 'vitest';
import { AWS_LAMBDA_PRICING } from '../../core/pricing/aws-lambda.ts';
import { HOURS_PER_MONTH, warmCapacityPrice } from './price.ts';

describe('warmCapacityPrice', () => {
  it('prices Lambda provisioned concurrency per GB-s configured, for a 730-hour month', () => {
    const price = warmCapacityPrice('aws-lambda', { instances: 2, memoryMb: 1536, vcpu: null });

    const expected =
      2 * 1.5 * HOURS_PER_MONTH * 3600 * AWS_LAMBDA_PRICING.provisionedConcurrencyX86UsdPerGbSecond;
    expect(price.usdPerMonth).toBeCloseTo(expected, 6);
    expect(price.usdPerMonth).toBeCloseTo(32.85, 2);
    expect(price.formula).toBe('2 × 1.5 GB × 2,628,000 s (730 h) × $0.0000041667/GB-s = $32.85');
    expect(price.source).toContain('platform-facts.md e.2');
  });

  it('says so instead of guessing when a price is unconfirmed', () => {
    expect(
      warmCapacityPrice('aws-lambda', { instances: 1, memoryMb: 1024, vcpu: null, architecture: 'arm64' })
        .usdPerMonth,
    ).toBeNull();
    expect(
      warmCapacityPrice('azure-functions', { instances: 1, memoryMb: 2048, vcpu: 1 }).usdPerMonth,
    ).toBeNull();
  });

  it('marks the Cloud Run figure as a lower bound: the instance-based memory price is unconfirmed', () => {
    const price = warmCapacityPrice('cloud-run', { instances: 1, memoryMb: 4096, vcpu: 2 });

    expect(price.lowerBound).toBe(true);
    expect(price.usdPerMonth).toBeCloseTo(2 * 2_628_000 * 0.000018, 6);
    expect(price.source).toMatch(/unconfirmed/);
  });
});
