/**
 * A small seeded pseudo-random generator: xoshiro128** seeded through splitmix32.
 *
 * We do not use Math.random because every synthetic profile and simulation must be reproducible
 * byte for byte from `--seed` (CI diffs the outputs). xoshiro128** is fast, has a 2^128 − 1 period
 * and passes BigCrush; splitmix32 spreads a small integer seed over the 128-bit state so that seeds
 * 1 and 2 do not produce correlated streams. Only 32-bit integer arithmetic is used, so the output
 * is the same on every platform.
 */

export interface Random {
  /** A uniform 32-bit unsigned integer. */
  nextUint32(): number;
  /** A uniform float in [0, 1) with 53 bits of precision. */
  nextFloat(): number;
  /** An integer in [0, bound) without modulo bias. */
  nextInt(bound: number): number;
  /** An exponential variate with the given rate (mean 1 / ratePerUnit). */
  nextExponential(ratePerUnit: number): number;
}

function splitmix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

function rotl(value: number, bits: number): number {
  return ((value << bits) | (value >>> (32 - bits))) >>> 0;
}

/** Seeds may be any finite number; they are reduced to 32 bits (document seeds as integers). */
export function createRandom(seed: number): Random {
  if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${seed}`);
  const mix = splitmix32(Math.trunc(seed) >>> 0);
  const s = new Uint32Array([mix(), mix(), mix(), mix()]);
  if ((s[0]! | s[1]! | s[2]! | s[3]!) === 0) s[0] = 1; // the all-zero state is a fixed point

  const nextUint32 = (): number => {
    const result = Math.imul(rotl(Math.imul(s[1]!, 5) >>> 0, 7), 9) >>> 0;
    const t = (s[1]! << 9) >>> 0;
    s[2]! ^= s[0]!;
    s[3]! ^= s[1]!;
    s[1]! ^= s[2]!;
    s[0]! ^= s[3]!;
    s[2]! ^= t;
    s[3] = rotl(s[3]!, 11);
    return result;
  };

  const nextFloat = (): number => {
    const high = nextUint32() >>> 5; // 27 bits
    const low = nextUint32() >>> 6; // 26 bits
    return (high * 67108864 + low) / 9007199254740992;
  };

  const nextInt = (bound: number): number => {
    if (!Number.isInteger(bound) || bound <= 0 || bound > 0x1_0000_0000) {
      throw new RangeError(`bound must be an integer in [1, 2^32], got ${bound}`);
    }
    // Rejection sampling: draws above the largest multiple of `bound` would favour small results.
    const limit = 0x1_0000_0000 - (0x1_0000_0000 % bound);
    for (;;) {
      const draw = nextUint32();
      if (draw < limit) return draw % bound;
    }
  };

  const nextExponential = (ratePerUnit: number): number => {
    if (!(ratePerUnit > 0)) throw new RangeError(`rate must be positive, got ${ratePerUnit}`);
    return -Math.log(1 - nextFloat()) / ratePerUnit;
  };

  return { nextUint32, nextFloat, nextInt, nextExponential };
}
