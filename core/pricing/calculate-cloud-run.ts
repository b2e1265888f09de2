/**
 * Google Cloud Run: request-based billing (vCPU-s, GiB-s and requests, with the free tier) or
 * instance-based billing (vCPU-s and GiB-s for the instance's life, no request fee), GPUs per GPU-hour,
 * billable time rounded up to 100 ms (https://cloud.google.com/run/pricing, platform-facts.md f).
 */

import {
  notPriced,
  type PriceBook,
  priceLine,
  roundUpTo,
  sourceOf,
  subtractFree,
} from './calculate-common.ts';
import type { CloudRunUsage, PriceLine } from './usage.ts';

export function priceCloudRun(
  usage: CloudRunUsage,
  book: PriceBook,
): { lines: PriceLine[]; notes: string[] } {
  const p = book['cloud-run'];
  const src = (key: string, confidence = '') =>
    sourceOf(book, 'cloud-run', key, `${p.source}${confidence} — ${p.asOf}`);
  const lines: PriceLine[] = [];
  const notes: string[] = [
    `prices are ${p.region} prices; the usage says ${usage.region}: check which tier it is in`,
  ];

  // "Rounded up to the nearest 100 millisecond": the usage gives one total, so the rounding is applied
  // to the total once; whoever sums the instance time (the replay) rounds each billable interval first.
  const seconds = roundUpTo(usage.instanceSeconds, p.billingGranularitySeconds);
  const vcpuSeconds = usage.vcpu * seconds;
  const gibSeconds = usage.memoryGiB * seconds;

  if (usage.billing === 'request') {
    const free = p.requestFreeTier;
    const cpu = subtractFree(vcpuSeconds, free.vcpuSeconds, usage.freeTier);
    lines.push(
      priceLine(
        'CPU (request-based)',
        cpu.billable,
        'vCPU-s',
        p.requestCpuUsdPerVcpuSecond,
        src('requestCpuUsdPerVcpuSecond'),
        cpu.freeQuantity,
      ),
    );
    const memory = subtractFree(gibSeconds, free.gibSeconds, usage.freeTier);
    lines.push(
      priceLine(
        'memory (request-based)',
        memory.billable,
        'GiB-s',
        p.requestMemoryUsdPerGibSecond,
        src(
          'requestMemoryUsdPerGibSecond',
          ' (memory price: secondary, cloudchipr.com / cloudwebschool.com)',
        ),
        memory.freeQuantity,
      ),
    );
    const requests = subtractFree(usage.requests, free.requests, usage.freeTier);
    lines.push(
      priceLine(
        'requests',
        requests.billable / 1e6,
        '1M requests',
        p.requestsUsdPerMillion,
        src('requestsUsdPerMillion', ' (request price: secondary, cloudchipr.com / cloudwebschool.com)'),
        requests.freeQuantity === undefined ? undefined : requests.freeQuantity / 1e6,
      ),
    );
    if (usage.freeTier)
      notes.push(
        'the free tier is per billing account and month: subtracted here as if this usage were the only one',
      );
  } else {
    const free = p.instanceFreeTier;
    const cpu = subtractFree(vcpuSeconds, free.vcpuSeconds, usage.freeTier);
    lines.push(
      priceLine(
        'CPU (instance-based)',
        cpu.billable,
        'vCPU-s',
        p.instanceCpuUsdPerVcpuSecond,
        src('instanceCpuUsdPerVcpuSecond'),
        cpu.freeQuantity,
      ),
    );
    if (p.instanceMemoryUsdPerGibSecond === null)
      notes.push(
        notPriced(
          'memory (instance-based)',
          gibSeconds,
          'GiB-s',
          `the instance-based memory price is [unconfirmed] in ${p.reference}`,
        ),
      );
    else {
      const memory = subtractFree(gibSeconds, free.gibSeconds, usage.freeTier);
      lines.push(
        priceLine(
          'memory (instance-based)',
          memory.billable,
          'GiB-s',
          p.instanceMemoryUsdPerGibSecond,
          src('instanceMemoryUsdPerGibSecond'),
          memory.freeQuantity,
        ),
      );
    }
    notes.push(
      `instance-based billing has no per-request fee (${usage.requests.toLocaleString('en-US')} requests)`,
    );
    if (usage.freeTier && (free.vcpuSeconds === null || free.gibSeconds === null))
      notes.push(
        `the instance-based free tier was only partly read (${p.reference}): not subtracted where it is unknown`,
      );
  }

  if (usage.gpu && usage.gpu.count > 0) {
    const gpuHours = (usage.gpu.count * seconds) / 3600;
    const prices = p.gpuUsdPerHour as Readonly<Record<string, number | null>>;
    const price = prices[usage.gpu.type] ?? null;
    const item = `GPU ${usage.gpu.type}`;
    if (price === null)
      notes.push(
        notPriced(
          item,
          gpuHours,
          'GPU-hours',
          usage.gpu.type in prices
            ? `no confirmed ${usage.gpu.type} price in ${p.reference}`
            : `no price for GPU type ${usage.gpu.type} (known: ${Object.keys(prices).join(', ')})`,
        ),
      );
    else lines.push(priceLine(item, gpuHours, 'GPU-hours', price, src(`gpuUsdPerHour.${usage.gpu.type}`)));
  }
  return { lines, notes };
}
