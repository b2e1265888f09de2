/**
 * AWS Lambda: requests, duration (tiered), ephemeral storage, provisioned concurrency and the duration
 * of the invocations that ran on it, with the monthly free tier. Every rule is the pricing page's
 * (https://aws.amazon.com/lambda/pricing/, platform-facts.md e.2); docs/price.md lists them.
 */

import {
  type LambdaPrices,
  notPriced,
  type PriceBook,
  priceLine,
  roundUpTo,
  sourceOf,
  subtractFree,
} from './calculate-common.ts';
import type { LambdaUsage, PriceLine } from './usage.ts';

const MB_PER_GB = 1024;

export function priceLambda(usage: LambdaUsage, book: PriceBook): { lines: PriceLine[]; notes: string[] } {
  const p = book['aws-lambda'];
  const src = (key: string, confidence = '') =>
    sourceOf(book, 'aws-lambda', key, `${p.source}${confidence} — ${p.asOf}`);
  const lines: PriceLine[] = [];
  const notes: string[] = [];
  const arm = usage.architecture === 'arm64';
  const arch = arm ? 'Arm' : 'x86';
  const memoryGb = usage.memoryMb / MB_PER_GB;

  if (usage.region !== p.region)
    notes.push(
      `prices are ${p.region}'s (the only region in the data); the usage says ${usage.region}: not adjusted`,
    );

  // Duration: each invocation rounded up to 1 ms. The usage gives a group's average, so the rounding is
  // applied to the average (exact when the durations are whole milliseconds, as in every AWS example).
  let onDemandSeconds = 0;
  let provisionedSeconds = 0;
  for (const group of usage.invocations) {
    const billedMs = roundUpTo(group.avgDurationMs, p.durationGranularityMs);
    const seconds = (group.count * billedMs) / 1000;
    if (group.provisioned) provisionedSeconds += seconds;
    else onDemandSeconds += seconds;
  }
  const requests = usage.invocations.reduce((sum, group) => sum + group.count, 0);

  // Requests: $0.20 per 1M, all invocations (on provisioned concurrency too), minus the free 1M.
  const requestSplit = subtractFree(requests, p.freeTier.requests, usage.freeTier);
  lines.push(
    priceLine(
      'requests',
      requestSplit.billable / 1e6,
      '1M requests',
      p.requestsUsdPerMillion,
      src('requestsUsdPerMillion'),
      requestSplit.freeQuantity === undefined ? undefined : requestSplit.freeQuantity / 1e6,
    ),
  );

  // On-demand duration: GB-s = memory GB (MB / 1024) × seconds, minus the free 400,000 GB-s, through the tiers.
  const onDemandGbSeconds = onDemandSeconds * memoryGb;
  if (onDemandGbSeconds > 0 || provisionedSeconds === 0) {
    const split = subtractFree(onDemandGbSeconds, p.freeTier.gbSeconds, usage.freeTier);
    lines.push(...durationTiers(split.billable, split.freeQuantity, p, arm, src, notes));
  }

  // Ephemeral storage above the free 512 MB, for the whole duration (no free tier).
  const extraStorageGb = Math.max(0, usage.ephemeralStorageMb - p.ephemeralStorageFreeMb) / MB_PER_GB;
  if (extraStorageGb > 0)
    lines.push(
      priceLine(
        `ephemeral storage above ${p.ephemeralStorageFreeMb} MB`,
        extraStorageGb * (onDemandSeconds + provisionedSeconds),
        'GB-s',
        p.ephemeralStorageUsdPerGbSecond,
        src('ephemeralStorageUsdPerGbSecond'),
      ),
    );

  // Provisioned concurrency: configured GB-s, each period rounded up to 5 minutes.
  const configuredGbSeconds = usage.provisionedConcurrency.reduce(
    (sum, entry) =>
      sum +
      entry.instances * memoryGb * roundUpTo(entry.hours * 3600, p.provisionedConcurrencyGranularitySeconds),
    0,
  );
  if (usage.provisionedConcurrency.length > 0) {
    const price = arm ? p.provisionedConcurrencyArmUsdPerGbSecond : p.provisionedConcurrencyX86UsdPerGbSecond;
    if (price === null)
      notes.push(
        notPriced(
          `provisioned concurrency (${arch})`,
          configuredGbSeconds,
          'GB-s',
          `the ${arch} price is [unconfirmed] in ${p.reference}`,
        ),
      );
    else
      lines.push(
        priceLine(
          `provisioned concurrency (${arch}), configured`,
          configuredGbSeconds,
          'GB-s',
          price,
          src(arm ? 'provisionedConcurrencyArmUsdPerGbSecond' : 'provisionedConcurrencyX86UsdPerGbSecond'),
        ),
      );
  }

  // Duration of the invocations that ran on provisioned concurrency: its own price, no free tier.
  if (provisionedSeconds > 0) {
    const gbSeconds = provisionedSeconds * memoryGb;
    const price = arm ? p.provisionedDurationArmUsdPerGbSecond : p.provisionedDurationX86UsdPerGbSecond;
    if (price === null)
      notes.push(
        notPriced(
          `duration on provisioned concurrency (${arch})`,
          gbSeconds,
          'GB-s',
          `the ${arch} price is [unconfirmed] in ${p.reference}`,
        ),
      );
    else
      lines.push(
        priceLine(
          `duration on provisioned concurrency (${arch})`,
          gbSeconds,
          'GB-s',
          price,
          src(arm ? 'provisionedDurationArmUsdPerGbSecond' : 'provisionedDurationX86UsdPerGbSecond'),
        ),
      );
    if (usage.provisionedConcurrency.length === 0)
      notes.push(
        'invocations are marked provisioned but provisionedConcurrency is empty: the configured concurrency is not priced',
      );
  }

  if (usage.freeTier && (usage.provisionedConcurrency.length > 0 || provisionedSeconds > 0))
    notes.push(
      'the pricing page says the free tier does not apply to functions with provisioned concurrency, yet its ' +
        'provisioned-concurrency example 1 subtracts it from the requests and from the duration outside provisioned ' +
        'concurrency; this follows the example — set freeTier: false to follow the sentence',
    );
  if (usage.freeTier)
    notes.push('the free tier is per account and month: subtracted here as if this usage were the only one');
  return { lines, notes };
}

/**
 * On-demand duration through the price tiers: the first tier at `duration…UsdPerGbSecond`, then each of
 * `…NextTiers` from its `fromGbSeconds`. The page applies tiers to the account's aggregate monthly
 * duration per architecture and region; here they apply to this usage alone. A tier without a price is
 * left out with a note.
 */
function durationTiers(
  billableGbSeconds: number,
  freeGbSeconds: number | undefined,
  p: LambdaPrices,
  arm: boolean,
  src: (key: string, confidence?: string) => string,
  notes: string[],
): PriceLine[] {
  const arch = arm ? 'Arm' : 'x86';
  const firstKey = arm ? 'durationArmUsdPerGbSecond' : 'durationX86UsdPerGbSecond';
  const nextKey = arm ? 'durationArmNextTiers' : 'durationX86NextTiers';
  const tiers = [
    { fromGbSeconds: 0, usdPerGbSecond: arm ? p.durationArmUsdPerGbSecond : p.durationX86UsdPerGbSecond },
    ...(arm ? p.durationArmNextTiers : p.durationX86NextTiers),
  ];
  const lines: PriceLine[] = [];
  tiers.forEach((tier, index) => {
    const upTo = tiers[index + 1]?.fromGbSeconds ?? Number.POSITIVE_INFINITY;
    const quantity = Math.max(0, Math.min(billableGbSeconds, upTo) - tier.fromGbSeconds);
    if (index > 0 && quantity === 0) return;
    const item =
      index === 0
        ? `duration (${arch})`
        : `duration (${arch}), tier ${index + 1}: above ${tier.fromGbSeconds.toLocaleString('en-US')} GB-s`;
    if (tier.usdPerGbSecond === null) {
      notes.push(notPriced(item, quantity, 'GB-s', `this tier's price was not read (${p.reference})`));
      return;
    }
    const source =
      index === 0 ? src(firstKey) : src(nextKey, ' (tier prices: secondary, cloudchipr.com 2025)');
    lines.push(
      priceLine(item, quantity, 'GB-s', tier.usdPerGbSecond, source, index === 0 ? freeGbSeconds : undefined),
    );
  });
  return lines;
}
