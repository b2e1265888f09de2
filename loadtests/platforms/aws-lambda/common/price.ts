/**
 * The one place a serverless run is priced: the run's usage through the cost calculator, so a
 * simulated cost is by construction `priceUsage(usage)` — the same number `migrate price --usage`
 * gives for the same usage.
 */

import { priceUsage } from '../../../../core/pricing/calculator.ts';
import type { Usage } from '../../../../core/pricing/usage.ts';
import type { PlatformOutcome } from '../../types.ts';

export function priceRun(usage: Usage): { cost: PlatformOutcome['cost']; notes: string[] } {
  const result = priceUsage(usage);
  return {
    cost: {
      totalUsd: result.totalUsd,
      ...(result.lowerBound ? { lowerBound: true } : {}),
      lines: result.lines.map((line) => ({
        item: line.item,
        quantity: line.quantity,
        unit: line.unit,
        unitPriceUsd: line.unitPriceUsd,
        usd: line.usd,
        source: line.source,
      })),
    },
    notes: result.notes.map((note) => `cost: ${note}`),
  };
}
