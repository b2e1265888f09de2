/**
 * The compared settings of a Cloud Run v2 Service, read the same way from the desired request body
 * (v2.ts) and from what `services.get` returns, so verify and apply cannot disagree on a unit. Pure.
 *
 * Units: Cloud Run memory is binary (`2Gi` = 2,048 MiB); `memoryMb` carries MiB, the way Lambda's
 * "MB" are MiB (docs/cloud/cloud-run.md). The API returns proto3 defaults for unset fields (0, "",
 * null), so 0 concurrency or 0 maximum instances mean "not set" (the platform default applies).
 */

import { parseBytes, parseCount, parseCpuMillis } from '../../core/quantity.ts';
import type { SettingName, SettingValue } from '../types.ts';

export type Settings = Partial<Record<SettingName, SettingValue>>;

/** A template as either side holds it: the desired body or the SDK's decoded response. */
export interface TemplateLike {
  scaling?: { minInstanceCount?: number | null; maxInstanceCount?: number | null } | null;
  timeout?: { seconds?: number | string | null } | null;
  maxInstanceRequestConcurrency?: number | null;
  nodeSelector?: { accelerator?: string | null } | null;
  containers?:
    | { image?: string | null; resources?: { limits?: Record<string, string> | null } | null }[]
    | null;
}

const MIB = 2 ** 20;

/** `2Gi` → 2048; `512M` → 489 (rounded up to a whole MiB). Throws QuantityError on bad input. */
export function memoryMib(quantity: string): number {
  return Math.ceil(parseBytes(quantity) / MIB);
}

/** `nvidia-l4`, 1 → `nvidia-l4 x1`: one string, so the shared diff compares model and count together. */
export function gpuLabel(accelerator: string | null, count: number): string {
  return `${accelerator ?? 'no accelerator'} x${count}`;
}

const positive = (value: number | null | undefined): number | null =>
  typeof value === 'number' && value > 0 ? value : null;

export function templateSettings(template: TemplateLike | null | undefined): Settings {
  const settings: Settings = {};
  if (!template) return settings;
  const container = template.containers?.[0];
  const limits = container?.resources?.limits ?? {};
  if (limits.memory) settings.memoryMb = memoryMib(limits.memory);
  if (limits.cpu) settings.cpuMillis = parseCpuMillis(limits.cpu);
  settings.concurrency = positive(template.maxInstanceRequestConcurrency);
  settings.warmInstances = template.scaling?.minInstanceCount ?? 0;
  settings.maxInstances = positive(template.scaling?.maxInstanceCount);
  const seconds = template.timeout?.seconds;
  settings.timeoutSeconds = seconds === undefined || seconds === null ? null : Number(seconds);
  settings.image = container?.image || null;
  const gpus = limits['nvidia.com/gpu'] ? parseCount(limits['nvidia.com/gpu']) : 0;
  const accelerator = template.nodeSelector?.accelerator || null;
  settings.gpu = gpus > 0 || accelerator ? gpuLabel(accelerator, gpus) : null;
  return settings;
}
