/** Test helpers for the recommender suite: small model sizes and a synthetic data set in a temporary folder. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RowSource } from '../data';
import { openData } from '../data/ref';

/** Model sizes that train in a second (every model's options; each takes the ones it has). */
export const TINY_MODEL = { embedDim: 4, mlpDims: [16, 16], lnnDim: 8, crossLayers: 2 };

/** `rows` rows of the synthetic generator (seed `seed`), cached in a temporary folder that `fn` may also write to; both are gone afterwards. */
export async function withSyntheticRows(rows: number, seed: number, fn: (src: RowSource, dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'recsys-'));
  try {
    const data = await openData({ kind: 'synthetic', rows, seed }, { cacheDir: dir });
    const src = data.open();
    try {
      await fn(src, dir);
    } finally {
      src.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
