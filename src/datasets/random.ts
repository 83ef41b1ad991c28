/**
 * Seeded, counter-based randomness: the value of row N of a column depends only on the
 * dataset seed, the table, the column and N. Adding a column, or more rows, leaves every
 * value already generated as it was, and rows can be generated in any order.
 */

/** A 32-bit key for one stream of values (`seed`, `orders`, `user_id`…). */
export function streamKey(seed: number, ...parts: readonly string[]): number {
  let hash = mix32((seed >>> 0) ^ 0x9e3779b9) ^ Math.floor(seed / 0x1_0000_0000);
  for (const part of parts) {
    // FNV-1a over the UTF-16 code units, then mixed: cheap, and stable across versions.
    let h = 0x811c9dc5;
    for (let i = 0; i < part.length; i += 1) h = Math.imul(h ^ part.charCodeAt(i), 0x01000193);
    hash = mix32(hash ^ mix32(h));
  }
  return hash >>> 0;
}

/** A uniform number in [0, 1) with 53 random bits, for row `index` of stream `key`. */
export function uniform(key: number, index: number, salt = 0): number {
  const low = index >>> 0;
  const high = Math.floor(index / 0x1_0000_0000);
  const h1 = mix32(key ^ mix32(low ^ Math.imul(salt + 1, 0x85ebca6b)) ^ Math.imul(high, 0xc2b2ae35));
  const h2 = mix32(h1 ^ 0x68e31da4);
  return ((h1 >>> 5) * 67_108_864 + (h2 >>> 6)) / 9_007_199_254_740_992;
}

/** An integer in [min, max], both inclusive. */
export function uniformInt(key: number, index: number, min: number, max: number, salt = 0): number {
  return min + Math.floor(uniform(key, index, salt) * (max - min + 1));
}

/** A 32-bit seed for a library generator (faker) of one stream. */
export function librarySeed(key: number): number {
  return mix32(key ^ 0x5bd1e995) >>> 0;
}

/** lowbias32 (Chris Wellons): a fast integer hash with good avalanche. */
function mix32(value: number): number {
  let x = value >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}
