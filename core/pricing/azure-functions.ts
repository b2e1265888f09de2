/**
 * Azure Functions (Flex Consumption) prices as data, USD. Each value names where it was read; the facts
 * and their sources are in ../shared/reference/platform-facts.md g. `null` means the price was not
 * confirmed there: callers must say so rather than guess.
 */
export const AZURE_FUNCTIONS_PRICING = {
  target: 'azure-functions',
  plan: 'Flex Consumption',
  currency: 'USD',
  source: 'https://learn.microsoft.com/azure/azure-functions/functions-consumption-costs',
  asOf: 'current learn.microsoft.com versions; read for platform-facts.md g',
  reference: 'platform-facts.md g',

  /** On-demand execution per GB-s: the rate assumed in Microsoft's own worked examples [primary]. */
  onDemandUsdPerGbSecond: 0.000026,
  /** On-demand executions: $0.40 per million, as in the same examples [primary]. */
  onDemandExecutionsUsdPerMillion: 0.4,
  /**
   * Always-ready baseline per GB-s (memory of every always-ready instance, all the time):
   * [unconfirmed] in USD; a secondary EUR table gives €0.0000038.
   */
  alwaysReadyBaselineUsdPerGbSecond: null,
  /** Always-ready execution per GB-s: [unconfirmed] in USD (secondary EUR table: €0.0000149). */
  alwaysReadyExecutionUsdPerGbSecond: null,

  // Added for the cost calculator (core/pricing/calculator.ts); the fields above keep their meaning.

  /**
   * On-demand free grant a month, per subscription: 100,000 GB-s and 250,000 executions [secondary:
   * an EUR table in a repo README and modal.com]. Always-ready billing has no free grant [primary].
   */
  onDemandFreeGrant: { gbSeconds: 100_000, executions: 250_000 },
  /** Always-ready executions per million: [unconfirmed] in USD (secondary EUR table: €0.370439). */
  alwaysReadyExecutionsUsdPerMillion: null,
  /**
   * "The minimum billable execution period for both execution modes is 1,000 ms. Past that, the
   * billable activity period is rounded up to the nearest 100 ms." (flex-consumption-plan.md, Billing)
   */
  minimumBillableMs: 1000,
  billingGranularityMs: 100,
  /** Flex Consumption instance memory sizes, MB (flex-consumption-plan.md, current version). */
  flexInstanceMemoryMb: [512, 2048, 4096],
  /** Elastic Premium per instance-hour by SKU: [unconfirmed] (vCPU-hour / GB-hour prices not read). */
  premiumUsdPerInstanceHour: { EP1: null, EP2: null, EP3: null },
} as const;
