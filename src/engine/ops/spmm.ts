/** spmm: CSR features times a dense weight, the DfaSpmm kernel (spmm_kernel.ts); gradient for W only (X is data). */
import * as tf from '@tensorflow/tfjs';
import '../register';
import { asAttrs } from './gather_rows_kernel';
import { SPMM, type Csr, type SpmmAttrs } from './spmm_kernel';

export type { Csr } from './spmm_kernel';

/** X · W for CSR X [N, F] and W [F, H] → [N, H]; `values` replaces X's stored values. */
export function spmm(x: Csr, W: tf.Tensor, values?: Float32Array): tf.Tensor {
  if (W.shape[0] !== x.numCols) throw new Error(`spmm: X has ${x.numCols} columns, W has ${W.shape[0]} rows`);
  const vals = values ?? x.data;
  if (vals.length !== x.indices.length) throw new Error(`spmm: ${vals.length} values for ${x.indices.length} non-zeros`);
  const attrs: SpmmAttrs = { csr: x, values: vals, transpose: false };
  return tf.engine().runKernel(SPMM, { W }, asAttrs(attrs)) as tf.Tensor;
}

/** A dense [N, F] tensor of a CSR matrix (tests and small graphs). */
export function csrToDense(x: Csr): tf.Tensor2D {
  const out = new Float32Array(x.numRows * x.numCols);
  for (let i = 0; i < x.numRows; i++) for (let p = x.indptr[i]!; p < x.indptr[i + 1]!; p++) out[i * x.numCols + x.indices[p]!] = x.data[p]!;
  return tf.tensor2d(out, [x.numRows, x.numCols]);
}
