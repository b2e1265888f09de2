import { presentPrice } from '../../core/pricing/calculator.ts';
import type { PriceResult } from '../../core/pricing/usage.ts';

export const PRICE_ROUNDING =
  'each line rounded to the cent (half up); totalUsd is the sum of the rounded lines, as the providers add up their worked examples';

/**
 * What `migrate price --format json` prints: `{platform, currency, totalUsd, lines: [{item, quantity, unit,
 * unitPriceUsd, usd}]}` plus where each price came from, what was not priced (`notes`) and the inputs.
 */
export function priceJson(result: PriceResult, inputs: { usageFile: string; pricesFile: string | null }) {
  const shown = presentPrice(result);
  return {
    schemaVersion: 1,
    platform: shown.platform,
    region: shown.region ?? null,
    currency: shown.currency,
    totalUsd: shown.totalUsd,
    lines: shown.lines.map((line) => ({
      item: line.item,
      quantity: line.quantity,
      unit: line.unit,
      unitPriceUsd: line.unitPriceUsd,
      usd: line.usd,
      ...(line.freeQuantity !== undefined ? { freeQuantity: line.freeQuantity } : {}),
      source: line.source,
    })),
    notes: shown.notes,
    rounding: PRICE_ROUNDING,
    inputs,
  };
}
