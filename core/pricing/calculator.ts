/**
 * The cost calculator: a usage (core/pricing/usage.ts) and a price book in, priced lines and notes out.
 * One function for every caller — `migrate price`, the replay's simulated cost, the worked-example tests —
 * so a published example reproduced here is reproduced everywhere.
 *
 * Money: lines and totals are computed in floating point and kept unrounded in the PriceResult; only
 * presentation (`presentPrice`) rounds, each line to the cent, and the total is the sum of the rounded
 * lines, the way the providers' worked examples add them up. A price that is `null` in the data is never
 * guessed: its line is left out and a note says how much usage went unpriced.
 */

import { priceLambda } from './calculate-aws-lambda.ts';
import { priceAzureFunctions } from './calculate-azure-functions.ts';
import { priceCloudRun } from './calculate-cloud-run.ts';
import { cleanNumber, DEFAULT_PRICE_BOOK, NOT_PRICED, type PriceBook, toCents } from './calculate-common.ts';
import { priceKubernetes } from './calculate-kubernetes.ts';
import type { PriceResult, PriceUsage, Usage } from './usage.ts';

export { DEFAULT_PRICE_BOOK, type PriceBook } from './calculate-common.ts';

export function priceUsage(usage: Usage, book: PriceBook = DEFAULT_PRICE_BOOK): PriceResult {
  const { lines, notes } = (() => {
    switch (usage.platform) {
      case 'aws-lambda':
        return priceLambda(usage, book);
      case 'cloud-run':
        return priceCloudRun(usage, book);
      case 'azure-functions':
        return priceAzureFunctions(usage, book);
      case 'kubernetes':
        return priceKubernetes(usage, book);
    }
  })();
  const unpriced = notes.filter((note) => note.includes(NOT_PRICED)).length;
  if (unpriced > 0)
    notes.unshift(
      `the total is a lower bound: ${unpriced} item${unpriced === 1 ? ' is' : 's are'} not priced (see below)`,
    );
  return {
    platform: usage.platform,
    region: usage.region,
    currency: 'USD',
    totalUsd: lines.reduce((sum, line) => sum + line.usd, 0),
    lowerBound: unpriced > 0,
    lines,
    notes,
  };
}

// Holds priceUsage to the shared contract.
const _contract: PriceUsage = priceUsage;
void _contract;

/**
 * The result as it is shown: each line's `usd` rounded to the cent (half up), the total the sum of the
 * rounded lines, quantities without float noise.
 */
export function presentPrice(result: PriceResult): PriceResult {
  const lines = result.lines.map((line) => ({
    ...line,
    quantity: cleanNumber(line.quantity),
    usd: toCents(line.usd) / 100,
    ...(line.freeQuantity !== undefined ? { freeQuantity: cleanNumber(line.freeQuantity) } : {}),
  }));
  const totalCents = result.lines.reduce((sum, line) => sum + toCents(line.usd), 0);
  return { ...result, lines, totalUsd: totalCents / 100 };
}
