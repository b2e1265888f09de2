/**
 * What every platform's price function shares: the price book (the data modules, possibly with a
 * `--prices` file merged over them), rounding helpers, and how a line and a "not priced" note are made.
 */

import { AWS_LAMBDA_PRICING } from './aws-lambda.ts';
import { AZURE_FUNCTIONS_PRICING } from './azure-functions.ts';
import { CLOUD_RUN_PRICING } from './cloud-run.ts';
import { type Confidence, NODE_TYPES } from './nodes.ts';
import type { PricedPlatform, PriceLine } from './usage.ts';

/** The type of a data module once its literal values may be replaced: a `null` price may become a number. */
export type Widen<T> = T extends null
  ? number | null
  : T extends number
    ? number
    : T extends string
      ? string
      : T extends readonly (infer U)[]
        ? readonly Widen<U>[]
        : { readonly [K in keyof T]: Widen<T[K]> };

export type LambdaPrices = Widen<typeof AWS_LAMBDA_PRICING>;
export type CloudRunPrices = Widen<typeof CLOUD_RUN_PRICING>;
export type AzureFunctionsPrices = Widen<typeof AZURE_FUNCTIONS_PRICING>;

/** What the calculator needs of a node type (core/pricing/nodes.ts NodeType has all of it). */
export interface NodePrice {
  id: string;
  hourlyUsd: number;
  minimumBilledSeconds: number;
  priceSource: string;
  priceConfidence: Confidence;
}

export interface PriceBook {
  'aws-lambda': LambdaPrices;
  'cloud-run': CloudRunPrices;
  'azure-functions': AzureFunctionsPrices;
  nodeTypes: readonly NodePrice[];
  /** Fields a `--prices` file set, as `platform.key` → `file:line`, so each line can say where its price came from. */
  overrides: Readonly<Record<string, string>>;
}

/** The data modules as they are. */
export const DEFAULT_PRICE_BOOK: PriceBook = {
  'aws-lambda': AWS_LAMBDA_PRICING,
  'cloud-run': CLOUD_RUN_PRICING,
  'azure-functions': AZURE_FUNCTIONS_PRICING,
  nodeTypes: NODE_TYPES,
  overrides: {},
};

/**
 * Rounds `value` up to a whole number of `step`s. A value within a billionth of a step of a multiple is
 * that multiple (120 ms computed as 120.00000000000001 is not billed as 121). Steps below 1 must divide 1
 * (0.1 s), so the result is an integer divided by an integer and exact to the last bit.
 */
export function roundUpTo(value: number, step: number): number {
  if (value <= 0) return 0;
  const perUnit = step < 1 ? Math.round(1 / step) : null;
  const units = perUnit === null ? value / step : value * perUnit;
  const nearest = Math.round(units);
  const whole = Math.abs(units - nearest) <= 1e-9 * Math.max(1, nearest) ? nearest : Math.ceil(units);
  return perUnit === null ? whole * step : whole / perUnit;
}

/** Integer cents, half up on the decimal value (0.245 → 25 although 0.245 × 100 is 24.499… in binary). */
export function toCents(usd: number): number {
  return Math.round(Number((usd * 100).toPrecision(12)));
}

/** Strips float noise from a quantity for display (0.14400000000000002 → 0.144). */
export function cleanNumber(value: number): number {
  return Number(value.toPrecision(12));
}

export function priceLine(
  item: string,
  quantity: number,
  unit: string,
  unitPriceUsd: number,
  source: string,
  freeQuantity?: number,
): PriceLine {
  return {
    item,
    quantity,
    unit,
    unitPriceUsd,
    usd: quantity * unitPriceUsd,
    source,
    ...(freeQuantity !== undefined ? { freeQuantity } : {}),
  };
}

/** Where a price field came from: the data module's source, or the `--prices` file line that replaced it. */
export function sourceOf(book: PriceBook, platform: PricedPlatform, key: string, dataSource: string): string {
  const override = book.overrides[`${platform}.${key}`];
  return override ? `--prices ${override}` : dataSource;
}

export const formatQuantity = (value: number): string =>
  cleanNumber(value).toLocaleString('en-US', { maximumFractionDigits: 6 });

/** Every "left out" note contains this, so the calculator can say the total is a lower bound. */
export const NOT_PRICED = ' not priced — ';

/** The note for usage that has no confirmed price: says how much was left out, why, and how to fix it. */
export function notPriced(
  what: string,
  quantity: number,
  unit: string,
  why: string,
  fix = 'give the price with --prices to include it',
): string {
  return `${what}: ${formatQuantity(quantity)} ${unit}${NOT_PRICED}${why}; ${fix}`;
}

/** Splits `free` off `quantity` when the free tier applies. */
export function subtractFree(quantity: number, free: number | null, applies: boolean) {
  const freeQuantity = applies && free !== null ? Math.min(quantity, free) : 0;
  return {
    billable: quantity - freeQuantity,
    freeQuantity: applies && free !== null ? freeQuantity : undefined,
  };
}
