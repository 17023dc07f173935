/**
 * Mini-batches of one split, streamed from a RowSource in chunks (bounded memory at any size).
 * With `shuffle`, the chunk order and the rows inside each chunk are permuted per epoch from
 * the seed (the usual out-of-core shuffle; the whole split is one chunk when it fits).
 */
import { Rng } from '../../../engine/rng';
import { NUM_COLUMNS, NUM_FIELDS } from './format';
import type { RowSource } from './source';
import { splitOf, type SplitName } from './split';

export interface CriteoBatch {
  /** size × 39 field indices (per-field, not offset) */
  x: Int32Array;
  /** size labels 0/1 */
  y: Float32Array;
  size: number;
}

export interface BatchOptions {
  batchSize: number;
  split?: SplitName | 'all';
  splitSeed?: number;
  shuffle?: boolean;
  rng?: Rng;
  chunkRows?: number;
  /** Stop after this many rows of the split. */
  maxRows?: number;
}

export function* iterateBatches(src: RowSource, opts: BatchOptions): Generator<CriteoBatch> {
  const { batchSize } = opts;
  if (!(batchSize > 0)) throw new Error(`iterateBatches: batchSize must be positive, got ${batchSize}`);
  const split = opts.split ?? 'all';
  const splitSeed = opts.splitSeed ?? 0;
  const chunkRows = opts.chunkRows ?? 1 << 16;
  const maxRows = opts.maxRows ?? Infinity;
  const numChunks = Math.ceil(src.numRows / chunkRows);
  const order = opts.shuffle && opts.rng ? opts.rng.permutation(numChunks) : Int32Array.from({ length: numChunks }, (_, i) => i);
  const x = new Int32Array(batchSize * NUM_FIELDS);
  const y = new Float32Array(batchSize);
  let fill = 0;
  let emitted = 0;
  for (const c of order) {
    const start = c * chunkRows;
    const count = Math.min(chunkRows, src.numRows - start);
    const rows = src.read(start, count);
    const picked: number[] = [];
    for (let i = 0; i < count; i++) if (split === 'all' || splitOf(splitSeed, start + i) === split) picked.push(i);
    if (opts.shuffle && opts.rng) {
      const p = opts.rng.permutation(picked.length);
      const orig = picked.slice();
      for (let i = 0; i < p.length; i++) picked[i] = orig[p[i]!]!;
    }
    for (const i of picked) {
      if (emitted >= maxRows) break;
      const o = i * NUM_COLUMNS;
      y[fill] = rows[o]!;
      x.set(rows.subarray(o + 1, o + NUM_COLUMNS), fill * NUM_FIELDS);
      emitted++;
      if (++fill === batchSize) {
        yield { x: x.slice(), y: y.slice(), size: batchSize };
        fill = 0;
      }
    }
    if (emitted >= maxRows) break;
  }
  if (fill > 0) yield { x: x.slice(0, fill * NUM_FIELDS), y: y.slice(0, fill), size: fill };
}

/** Number of rows of a split (one pass over the row indices; no data read). */
export function splitSize(numRows: number, split: SplitName, splitSeed = 0): number {
  let n = 0;
  for (let i = 0; i < numRows; i++) if (splitOf(splitSeed, i) === split) n++;
  return n;
}
