/**
 * gatherRows / scatterAdd: the DfaGatherRows and DfaScatterAdd kernels (gather_rows_kernel.ts),
 * O(E·F) on every backend, differentiable (each is the other's gradient).
 */
import * as tf from '@tensorflow/tfjs';
import '../register';
import { asAttrs, GATHER_ROWS, SCATTER_ADD, type RowIndexAttrs } from './gather_rows_kernel';

export function checkIndex(idx: Int32Array, n: number, what: string): void {
  for (let i = 0; i < idx.length; i++) {
    const v = idx[i]!;
    if (v < 0 || v >= n) throw new Error(`${what}: index ${v} at position ${i} is outside [0, ${n})`);
  }
}

/** out[i] = x[idx[i]] (rows). Gradient: scatter-add of dy into the rows idx. */
export function gatherRows(x: tf.Tensor, idx: Int32Array): tf.Tensor {
  const numRows = x.shape[0]!;
  checkIndex(idx, numRows, 'gatherRows');
  const attrs: RowIndexAttrs = { idx, numRows };
  return tf.engine().runKernel(GATHER_ROWS, { x }, asAttrs(attrs)) as tf.Tensor;
}

/** out[idx[i]] += v[i] (rows), out has n rows. Gradient: gather of dy at idx. */
export function scatterAdd(v: tf.Tensor, idx: Int32Array, n: number): tf.Tensor {
  if (idx.length !== v.shape[0]) throw new Error(`scatterAdd: ${idx.length} indices for ${v.shape[0]} rows`);
  checkIndex(idx, n, 'scatterAdd');
  const attrs: RowIndexAttrs = { idx, numRows: n };
  return tf.engine().runKernel(SCATTER_ADD, { v }, asAttrs(attrs)) as tf.Tensor;
}
