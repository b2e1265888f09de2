/**
 * Kubernetes resource quantities (`500m`, `1.5Gi`, `7000000m`, `1e3`, `2`), parsed exactly.
 *
 * The grammar is apimachinery's `resource.Quantity`: a signed decimal number followed by a binary-SI
 * suffix (Ki…Ei), a decimal-SI suffix (n, u, m, "", k, M…E) or a decimal exponent (e3, E-2). We keep the
 * digits as a BigInt and scale by powers of ten and two, so `0.1` CPU is exactly 100 millicores rather
 * than 100.00000000000001. Like Kubernetes, fractions below the requested unit round up.
 */

const QUANTITY = /^([+-]?)(\d+\.?\d*|\.\d+)(?:(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)|[eE]([+-]?\d+))?$/;

const BINARY_POWER: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DECIMAL_POWER: Record<string, number> = { n: -9, u: -6, m: -3, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

/** An exact rational value: numerator / denominator, both BigInt. */
interface Exact {
  numerator: bigint;
  denominator: bigint;
}

export class QuantityError extends Error {
  constructor(
    readonly input: string,
    reason: string,
  ) {
    super(`invalid quantity ${JSON.stringify(input)}: ${reason}`);
    this.name = 'QuantityError';
  }
}

function parseExact(raw: string | number): Exact {
  const text = typeof raw === 'number' ? numberToText(raw) : raw.trim();
  const match = QUANTITY.exec(text);
  if (!match) {
    throw new QuantityError(
      String(raw),
      'expected a number with an optional suffix (m, k, M, G, Ki, Mi, Gi, …) or exponent (e3)',
    );
  }
  const [, sign, digits = '', suffix, exponent] = match;
  const [whole = '', fraction = ''] = digits.split('.');
  let numerator = BigInt(`${whole || '0'}${fraction}`);
  if (sign === '-') numerator = -numerator;
  let power10 = -fraction.length;
  let power2 = 0;
  if (suffix && suffix in BINARY_POWER) power2 = BINARY_POWER[suffix]!;
  else if (suffix) power10 += DECIMAL_POWER[suffix]!;
  if (exponent !== undefined) power10 += Number(exponent);
  if (Math.abs(power10) > 400) throw new QuantityError(String(raw), 'exponent out of range');
  let denominator = 1n;
  if (power10 >= 0) numerator *= 10n ** BigInt(power10);
  else denominator = 10n ** BigInt(-power10);
  numerator *= 2n ** BigInt(power2);
  return { numerator, denominator };
}

function numberToText(value: number): string {
  if (!Number.isFinite(value)) throw new QuantityError(String(value), 'not a finite number');
  return String(value);
}

function ceilDiv(numerator: bigint, denominator: bigint): bigint {
  const quotient = numerator / denominator;
  return numerator % denominator > 0n ? quotient + 1n : quotient;
}

function toSafeNumber(value: bigint, raw: string | number): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < -BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new QuantityError(String(raw), 'too large');
  }
  return Number(value);
}

/** `500m` → 500, `2` → 2000, `0.1` → 100. */
export function parseCpuMillis(raw: string | number): number {
  const { numerator, denominator } = parseExact(raw);
  return toSafeNumber(ceilDiv(numerator * 1000n, denominator), raw);
}

/** `1.5Gi` → 1610612736, `100M` → 100000000, `7000000m` → 7000. */
export function parseBytes(raw: string | number): number {
  const { numerator, denominator } = parseExact(raw);
  return toSafeNumber(ceilDiv(numerator, denominator), raw);
}

/** A dimensionless quantity (HPA metric targets): `7000000m` → 7000, `1.5` → 1.5. */
export function parseQuantityValue(raw: string | number): number {
  const { numerator, denominator } = parseExact(raw);
  const milli = ceilDiv(numerator * 1000n, denominator);
  return toSafeNumber(milli, raw) / 1000;
}

/** A count such as `nvidia.com/gpu: "2"`: must be a whole, non-negative number. */
export function parseCount(raw: string | number): number {
  const { numerator, denominator } = parseExact(raw);
  if (numerator % denominator !== 0n || numerator < 0n) {
    throw new QuantityError(String(raw), 'expected a whole, non-negative count');
  }
  return toSafeNumber(numerator / denominator, raw);
}

/** Human form for messages: 1610612736 → "1.5 GiB". */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${Number.isInteger(value) ? value : value.toFixed(1)} ${units[unit]}`;
}

export function formatCpu(cpuMillis: number): string {
  return cpuMillis % 1000 === 0 ? `${cpuMillis / 1000} vCPU` : `${cpuMillis}m`;
}
