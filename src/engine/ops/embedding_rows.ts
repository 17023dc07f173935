/**
 * The sparse embedding's ops (see embedding_rows_kernel.ts): row gather with the batch's unique
 * rows, and lazy Adam on those rows, each run by the current backend's kernel.
 */
import * as tf from '@tensorflow/tfjs';
import '../register';
import { embeddingRowKernels, type SparseAdamStep } from './embedding_rows_kernel';

export type { SparseAdamStep };

export interface GatheredRows {
  /** the rows used, each once, in order of first use */
  unique: Int32Array;
  /** for each index, its slot in `unique` */
  slots: Int32Array;
  /** the indices' rows, [n, dim] */
  values: Float32Array;
}

/**
 * Rows `indices` of `table` ([rows, dim]). `stamp` and `slotOf` are the caller's scratch (one
 * entry per table row, kept between calls) and `gen` a number new to them on every call.
 */
export function gatherRows(table: Float32Array, dim: number, indices: Int32Array, stamp: Int32Array, slotOf: Int32Array, gen: number): GatheredRows {
  const slots = new Int32Array(indices.length);
  const unique = new Int32Array(indices.length);
  const values = new Float32Array(indices.length * dim);
  const U = embeddingRowKernels(tf.getBackend()).gather(table, dim, indices, stamp, slotOf, gen, slots, unique, values);
  if (U < 0) throw new Error(`embedding lookup: index ${indices[-U - 1]} outside [0, ${stamp.length})`);
  return { unique: unique.slice(0, U), slots, values };
}

/** Lazy Adam on the rows `unique` of w (moments m, v) from the gathered rows' gradient [n, dim]; throws on a non-finite gradient. */
export function sparseAdamRows(w: Float32Array, m: Float32Array, v: Float32Array, dim: number, unique: Int32Array, slots: Int32Array, grad: Float32Array, step: SparseAdamStep): void {
  if (grad.length !== slots.length * dim) throw new Error(`sparse Adam: gradient has ${grad.length} values, expected ${slots.length}×${dim}`);
  const bad = embeddingRowKernels(tf.getBackend()).sparseAdam(w, m, v, dim, unique, slots, grad, step);
  if (bad >= 0) throw new Error(`sparse Adam: non-finite gradient for row ${bad}`);
}

/** The squared norm of the gathered rows' gradient [n, dim] summed per unique row (U of them; `slots` as gatherRows gave them). */
export function rowsSquaredNorm(dim: number, U: number, slots: Int32Array, grad: Float32Array): number {
  if (grad.length !== slots.length * dim) throw new Error(`embedding rows: gradient has ${grad.length} values, expected ${slots.length}×${dim}`);
  return embeddingRowKernels(tf.getBackend()).sumSquares(dim, U, slots, grad);
}
