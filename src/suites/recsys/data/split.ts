/**
 * A reproducible 80/10/10 train/validation/test split that needs no memory per row: row i goes
 * to a split by a hash of (seed, i), so any row's split is known while streaming. The counts
 * are 80/10/10 up to sampling noise (±0.3 % of rows at 100k rows).
 */
export type SplitName = 'train' | 'val' | 'test';
export const SPLIT_FRACTIONS: Record<SplitName, number> = { train: 0.8, val: 0.1, test: 0.1 };

function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d);
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b);
  return (x ^ (x >>> 16)) >>> 0;
}

/** Uniform in [0, 1) per (seed, row). */
export function rowHash(seed: number, row: number): number {
  const hi = Math.floor(row / 4294967296);
  return mix32(mix32((row >>> 0) ^ mix32(seed + 0x9e3779b9)) ^ mix32(hi + 0x632be5ab)) / 4294967296;
}

export function splitOf(seed: number, row: number): SplitName {
  const u = rowHash(seed, row);
  return u < SPLIT_FRACTIONS.train ? 'train' : u < SPLIT_FRACTIONS.train + SPLIT_FRACTIONS.val ? 'val' : 'test';
}
