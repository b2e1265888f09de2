/**
 * Azure Functions: Flex Consumption on demand (execution GB-s and executions, minus the free grant),
 * Flex always ready (baseline GB-s of the always-ready instances all the time, execution GB-s on them,
 * executions; no free grant) and Elastic Premium (per instance-hour). Sources: functions-consumption-costs
 * and flex-consumption-plan (learn.microsoft.com / MicrosoftDocs/azure-docs), platform-facts.md g.
 */

import {
  type AzureFunctionsPrices,
  notPriced,
  type PriceBook,
  priceLine,
  roundUpTo,
  sourceOf,
  subtractFree,
} from './calculate-common.ts';
import type { AzureFunctionsUsage, PriceLine } from './usage.ts';

const MB_PER_GB = 1024;

export function priceAzureFunctions(
  usage: AzureFunctionsUsage,
  book: PriceBook,
): { lines: PriceLine[]; notes: string[] } {
  const p = book['azure-functions'];
  const src = (key: string, confidence = '') =>
    sourceOf(book, 'azure-functions', key, `${p.source}${confidence} — ${p.asOf}`);
  const lines: PriceLine[] = [];
  const notes: string[] = [
    `the data holds one set of USD prices (the rates Microsoft's examples assume, region not stated); the usage says ${usage.region}`,
  ];
  const memoryGb = usage.instanceMemoryMb / MB_PER_GB;

  if (usage.plan === 'premium') {
    const premium = usage.premium;
    if (!premium) {
      notes.push('plan premium without premium {sku, instanceHours}: nothing to price');
      return { lines, notes };
    }
    const price = p.premiumUsdPerInstanceHour[premium.sku];
    if (price === null)
      notes.push(
        notPriced(
          `Premium ${premium.sku}`,
          premium.instanceHours,
          'instance-hours',
          `the ${premium.sku} price is [unconfirmed] in ${p.reference}`,
        ),
      );
    else
      lines.push(
        priceLine(
          `Premium ${premium.sku}`,
          premium.instanceHours,
          'instance-hours',
          price,
          src(`premiumUsdPerInstanceHour.${premium.sku}`),
        ),
      );
    if (usage.freeTier) notes.push('the Premium plan has no free grant: nothing subtracted');
    return { lines, notes };
  }

  const alwaysReady = usage.alwaysReady && usage.alwaysReady.instances > 0 ? usage.alwaysReady : null;
  const alwaysReadyExecutions = alwaysReady?.executions ?? 0;
  const onDemandExecutions = Math.max(0, usage.executions - alwaysReadyExecutions);

  // On demand: memory × active time of each on-demand instance, every activity period billed at least
  // 1,000 ms and then rounded up to 100 ms; minus the free grant. Executions per million, minus the grant.
  if (usage.executionSeconds === undefined) {
    if (onDemandExecutions > 0)
      notes.push(
        notPriced(
          'on-demand execution time',
          onDemandExecutions,
          'executions',
          'their execution time is not given',
          'add executionSeconds to the usage',
        ),
      );
  } else {
    const periods = usage.activityPeriods ?? onDemandExecutions;
    const seconds = flexBillableSeconds(usage.executionSeconds, periods, p);
    const split = subtractFree(seconds * memoryGb, p.onDemandFreeGrant.gbSeconds, usage.freeTier);
    lines.push(
      priceLine(
        'on-demand execution time',
        split.billable,
        'GB-s',
        p.onDemandUsdPerGbSecond,
        src('onDemandUsdPerGbSecond'),
        split.freeQuantity,
      ),
    );
    if (periods === 0 && usage.executionSeconds > 0)
      notes.push(
        'executionSeconds without executions or activityPeriods: the 1,000 ms minimum and 100 ms rounding were not applied',
      );
  }
  const executions = subtractFree(onDemandExecutions, p.onDemandFreeGrant.executions, usage.freeTier);
  lines.push(
    priceLine(
      'on-demand executions',
      executions.billable / 1e6,
      '1M executions',
      p.onDemandExecutionsUsdPerMillion,
      src('onDemandExecutionsUsdPerMillion'),
      executions.freeQuantity === undefined ? undefined : executions.freeQuantity / 1e6,
    ),
  );
  if (usage.freeTier)
    notes.push(
      'the on-demand free grant (100,000 GB-s, 250,000 executions) is a secondary figure, per subscription and month: subtracted here as if this usage were the only one',
    );

  if (alwaysReady) {
    // Baseline: the memory of every always-ready instance, all the time they are kept.
    const baselineGbSeconds = alwaysReady.instances * memoryGb * alwaysReady.hours * 3600;
    addOrNote(
      'always-ready baseline',
      baselineGbSeconds,
      'GB-s',
      p.alwaysReadyBaselineUsdPerGbSecond,
      'alwaysReadyBaselineUsdPerGbSecond',
    );
    const periods = alwaysReady.activityPeriods ?? alwaysReadyExecutions;
    const busyGbSeconds = flexBillableSeconds(usage.instanceSeconds, periods, p) * memoryGb;
    addOrNote(
      'always-ready execution time',
      busyGbSeconds,
      'GB-s',
      p.alwaysReadyExecutionUsdPerGbSecond,
      'alwaysReadyExecutionUsdPerGbSecond',
    );
    addOrNote(
      'always-ready executions',
      alwaysReadyExecutions / 1e6,
      '1M executions',
      p.alwaysReadyExecutionsUsdPerMillion,
      'alwaysReadyExecutionsUsdPerMillion',
    );
    notes.push('always-ready billing has no free grant');
  } else if (usage.instanceSeconds > 0) {
    notes.push(
      'instanceSeconds is busy time on always-ready instances, but no alwaysReady instances are given: not priced',
    );
  }
  return { lines, notes };

  function addOrNote(item: string, quantity: number, unit: string, price: number | null, key: string) {
    if (price === null)
      notes.push(notPriced(item, quantity, unit, `the USD price is [unconfirmed] in ${p.reference}`));
    else lines.push(priceLine(item, quantity, unit, price, src(key)));
  }
}

/**
 * Billable seconds of `activeSeconds` made of `periods` activity periods: each at least 1,000 ms, then
 * rounded up to 100 ms (flex-consumption-plan.md, Billing). Only the total and the count are known, so
 * every period is taken to be the average length — exact when they are equal, an estimate otherwise.
 * With no periods the time is billed as given.
 */
export function flexBillableSeconds(activeSeconds: number, periods: number, p: AzureFunctionsPrices): number {
  if (activeSeconds <= 0) return 0;
  if (periods <= 0) return activeSeconds;
  const averageMs = (activeSeconds * 1000) / periods;
  const billedMs = Math.max(p.minimumBillableMs, roundUpTo(averageMs, p.billingGranularityMs));
  return (periods * billedMs) / 1000;
}
