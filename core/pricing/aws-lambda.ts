/**
 * AWS Lambda prices as data: us-east-1, USD, first usage tier. Each value names where it was read;
 * the facts and their sources are in ../shared/reference/platform-facts.md e.2. `null` means the price
 * was not confirmed there: callers must say so rather than guess.
 *
 * Kept free of logic so a full cost calculator can be built on it later.
 */
export const AWS_LAMBDA_PRICING = {
  target: 'aws-lambda',
  region: 'us-east-1',
  currency: 'USD',
  /** The public page the values come from and when that copy was read. */
  source: 'https://aws.amazon.com/lambda/pricing/',
  asOf: 'page copy of late 2025 or later (it lists Lambda Managed Instances); read for platform-facts.md e.2',
  reference: 'platform-facts.md e.2',

  /** $0.20 per 1M requests. */
  requestsUsdPerMillion: 0.2,
  /** Duration, first tier (up to 6 billion GB-s a month), from the page's worked examples. */
  durationX86UsdPerGbSecond: 0.0000166667,
  /** Duration on Arm, first tier (the Durable Functions ARM example). */
  durationArmUsdPerGbSecond: 0.0000133334,
  /** Provisioned concurrency, x86: charged per GB-s configured, from enabling it, rounded up to 5 min. */
  provisionedConcurrencyX86UsdPerGbSecond: 0.0000041667,
  /** Duration of requests served by provisioned concurrency, x86. */
  provisionedDurationX86UsdPerGbSecond: 0.0000097222,
  /** Provisioned concurrency on Arm: [unconfirmed] in platform-facts.md e.2. */
  provisionedConcurrencyArmUsdPerGbSecond: null,
  /** Ephemeral storage above the free 512 MB. */
  ephemeralStorageUsdPerGbSecond: 0.0000000309,
  /** Monthly free tier: 1M requests and 400,000 GB-s; it does not apply to functions with provisioned concurrency. */
  freeTier: { requests: 1_000_000, gbSeconds: 400_000 },

  // Added for the cost calculator (core/pricing/calculator.ts); the fields above keep their meaning.

  /**
   * x86 on-demand duration tiers above the first: from `fromGbSeconds` of aggregate monthly duration
   * the price is `usdPerGbSecond` (the first tier, from 0, is `durationX86UsdPerGbSecond`). The live
   * page renders this table with JavaScript, so it was read in a secondary source (cloudchipr.com 2025,
   * platform-facts.md e.2): next 9 B GB-s $0.000015, over 15 B $0.000013334.
   */
  durationX86NextTiers: [
    { fromGbSeconds: 6_000_000_000, usdPerGbSecond: 0.000015 },
    { fromGbSeconds: 15_000_000_000, usdPerGbSecond: 0.000013334 },
  ],
  /** Arm tiers above the first 7.5 B GB-s (secondary, cloudchipr.com); above 18.75 B: not read. */
  durationArmNextTiers: [
    { fromGbSeconds: 7_500_000_000, usdPerGbSecond: 0.0000120001 },
    { fromGbSeconds: 18_750_000_000, usdPerGbSecond: null },
  ],
  /** Duration of requests served by provisioned concurrency on Arm: [unconfirmed] in platform-facts.md e.2. */
  provisionedDurationArmUsdPerGbSecond: null,
  /** Ephemeral storage included at no charge ("512 MB … at no additional cost"). */
  ephemeralStorageFreeMb: 512,
  /** Duration is "rounded up to the nearest 1 ms" (pricing page). */
  durationGranularityMs: 1,
  /** Provisioned concurrency is "rounded up to the nearest five minutes" (pricing page). */
  provisionedConcurrencyGranularitySeconds: 300,
} as const;
