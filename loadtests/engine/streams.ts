import { createRandom, type Random } from '../../core/random.ts';

/**
 * Independent random streams per purpose, all from one `--seed`. Each purpose ("arrivals",
 * "service", "kubernetes/lb") hashes to its own seed, so adding a draw for one purpose never shifts
 * another's sequence: every target sees the same arrivals and the same service times (common random
 * numbers), and a model change does not move the traffic.
 */
export function randomStream(seed: number, purpose: string): Random {
  // FNV-1a over the purpose, mixed with the seed by a multiply-xorshift.
  let hash = 0x811c9dc5;
  for (let i = 0; i < purpose.length; i++) {
    hash ^= purpose.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  let mixed = (Math.imul(Math.trunc(seed) >>> 0, 0x9e3779b1) ^ hash) >>> 0;
  mixed = Math.imul(mixed ^ (mixed >>> 15), 0x85ebca6b) >>> 0;
  return createRandom(mixed);
}

/** A standard normal variate (Box–Muller), from two uniforms of the given stream. */
export function nextStandardNormal(random: Random): number {
  const u = 1 - random.nextFloat(); // (0, 1]: log(0) would be -Infinity
  const v = random.nextFloat();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
