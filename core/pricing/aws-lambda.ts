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
} as const;
