/**
 * Google Cloud Run prices as data: Tier 1 regions, USD. Each value names where it was read; the facts
 * and their sources are in ../shared/reference/platform-facts.md f. `null` means the price was not
 * confirmed there: callers must say so rather than guess. Billing is rounded up to 100 ms.
 */
export const CLOUD_RUN_PRICING = {
  target: 'cloud-run',
  region: 'Tier 1',
  currency: 'USD',
  source: 'https://cloud.google.com/run/pricing',
  asOf: 'several page versions, tables partly truncated; read for platform-facts.md f',
  reference: 'platform-facts.md f',

  /** Instance-based billing (min instances, "CPU always allocated"): CPU per vCPU-second [primary]. */
  instanceCpuUsdPerVcpuSecond: 0.000018,
  /** Instance-based billing: memory per GiB-second [unconfirmed] in platform-facts.md f. */
  instanceMemoryUsdPerGibSecond: null,
  /** Request-based billing: CPU per vCPU-second [primary]. */
  requestCpuUsdPerVcpuSecond: 0.000024,
  /** Request-based billing: memory per GiB-second [secondary: cloudchipr.com, cloudwebschool.com]. */
  requestMemoryUsdPerGibSecond: 0.0000025,
  /** Request-based billing: $0.40 per million requests [secondary]. */
  requestsUsdPerMillion: 0.4,
} as const;
