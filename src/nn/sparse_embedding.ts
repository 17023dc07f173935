/**
 * An embedding table trained with sparse row updates (as torch's `Embedding(sparse=True)`): a
 * step touches only the rows its batch uses, never a dense gradient of the table.
 *
 * The table lives in a Float32Array. A step:
 *   1. `lookup(indices)` copies each index's row into a small [n, dim] tensor (a Variable when
 *      trainable: the gathered rows) and finds the batch's unique rows and each index's slot;
 *   2. the model uses the gathered rows; autodiff gives their gradient, [n, dim];
 *   3. an optimizer of rows (src/optim/sparse_adam.ts) sums it per unique row and updates those
 *      rows only (registered with the Trainer through `ctx.sparse`).
 * (tfjs's own gather gradient, UnsortedSegmentSum, is O(U·n) on the cpu backend: unusable.)
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../engine/rng';
import { gatherRows } from '../engine/ops/embedding_rows';

export interface EmbeddingLookup {
  /** table rows used by the batch, each once */
  unique: Int32Array;
  /** for each input index, its slot in `unique` */
  slots: Int32Array;
  /** the input indices' rows, [n, dim], copied from the table; a Variable when trainable */
  gathered: tf.Tensor2D;
  dispose(): void;
}

/** A table's learned values, for checkpoints. */
export interface SparseEmbeddingState {
  rows: number;
  dim: number;
  table: Float32Array;
}

export class SparseEmbedding {
  readonly table: Float32Array;
  private readonly stamp: Int32Array;
  private readonly slotOf: Int32Array;
  private gen = 0;

  constructor(readonly numRows: number, readonly dim: number, init: 'xavier' | 'normal' | 'zeros', rng: Rng, std = 0.01) {
    if (!(numRows > 0 && dim > 0)) throw new Error(`SparseEmbedding: bad shape [${numRows}, ${dim}]`);
    if (init === 'xavier') {
      const a = Math.sqrt(6 / (numRows + dim)); // torch xavier_uniform_ on the [numRows, dim] weight
      this.table = rng.uniformArray(numRows * dim, -a, a);
    } else if (init === 'normal') {
      this.table = rng.normalArray(numRows * dim, 0, std);
    } else {
      this.table = new Float32Array(numRows * dim);
    }
    this.stamp = new Int32Array(numRows);
    this.slotOf = new Int32Array(numRows);
  }

  lookup(indices: Int32Array, trainable: boolean): EmbeddingLookup {
    const r = gatherRows(this.table, this.dim, indices, this.stamp, this.slotOf, ++this.gen);
    const t = tf.tensor2d(r.values, [indices.length, this.dim]);
    const gathered = trainable ? tf.variable(t, true) : t;
    if (trainable) t.dispose();
    return { unique: r.unique, slots: r.slots, gathered, dispose: () => gathered.dispose() };
  }

  /** Gradient of the gathered rows [n, dim] → one summed gradient per unique row [U, dim]. */
  segmentSum(l: EmbeddingLookup, grad: Float32Array): Float32Array {
    const d = this.dim;
    if (grad.length !== l.slots.length * d) throw new Error(`SparseEmbedding: gradient has ${grad.length} values, expected ${l.slots.length}×${d}`);
    const out = new Float32Array(l.unique.length * d);
    for (let i = 0; i < l.slots.length; i++) {
      const o = l.slots[i]! * d;
      for (let j = 0; j < d; j++) out[o + j] += grad[i * d + j]!;
    }
    return out;
  }

  /** The table (a view, not a copy: pack it before training on). */
  getState(): SparseEmbeddingState {
    return { rows: this.numRows, dim: this.dim, table: this.table };
  }

  setState(s: SparseEmbeddingState): void {
    if (s.rows !== this.numRows || s.dim !== this.dim) throw new Error(`SparseEmbedding: saved table is [${s.rows}, ${s.dim}], this one [${this.numRows}, ${this.dim}]`);
    if (s.table.length !== this.numRows * this.dim) throw new Error(`SparseEmbedding: saved table has ${s.table.length} values, expected ${this.numRows * this.dim}`);
    this.table.set(s.table);
  }
}
