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
} as const;
