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

  // Added for the cost calculator (core/pricing/calculator.ts); the fields above keep their meaning.

  /** Billable time is "rounded up to the nearest 100 millisecond" (pricing page) [primary]. */
  billingGranularitySeconds: 0.1,
  /**
   * Request-based free tier a month, per billing account: first 180,000 vCPU-s, 360,000 GiB-s and
   * 2 million requests [primary].
   */
  requestFreeTier: { vcpuSeconds: 180_000, gibSeconds: 360_000, requests: 2_000_000 },
  /** Instance-based free tier: the copy was truncated ("First 24…") — [partially read], so not used. */
  instanceFreeTier: { vcpuSeconds: null, gibSeconds: null },
  /**
   * GPU per GPU-hour, by the accelerator name the YAML uses. The official per-second GPU price was not
   * read; secondary sources say "roughly $0.67 per hour" for the L4 — too loose to bill with, so null.
   */
  gpuUsdPerHour: { 'nvidia-l4': null, 'nvidia-rtx-pro-6000': null },
} as const;
