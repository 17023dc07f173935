/**
 * DfaSpmm: sparse features times a dense weight, X (CSR, constant data in the attributes) · W
 * [F, H] → [N, H], or Xᵀ · W [N, H] → [F, H] when `transpose` (its gradient: dW = Xᵀ · dy, the
 * same kernel transposed). `values` replaces X's stored values (e.g. a dropout-masked copy).
 * JS loops on every backend (src/engine/cpu/spmm.ts, registered for the native backend too): a
 * gather → scale → UnsortedSegmentSum formulation on the native kernels measured no faster
 * (Cora/CiteSeer, H = 16 and 64) and needs nnz × H floats of scratch.
 */
import * as tf from '@tensorflow/tfjs';
import type { GradConfig } from '@tensorflow/tfjs';
import { asAttrs } from './gather_rows_kernel';

export const SPMM = 'DfaSpmm';

/** A sparse matrix in CSR form (row i's entries at indptr[i] .. indptr[i+1]). */
export interface Csr {
  numRows: number;
  numCols: number;
  indptr: Int32Array;
  indices: Int32Array;
  data: Float32Array;
}

export interface SpmmAttrs {
  csr: Csr;
  values: Float32Array;
  transpose: boolean;
}

export const spmmGrad: GradConfig = {
  kernelName: SPMM,
  gradFunc: (dy, _saved, attrs) => {
    const a = attrs as unknown as SpmmAttrs;
    return { W: () => tf.engine().runKernel(SPMM, { W: dy as tf.Tensor }, asAttrs({ ...a, transpose: !a.transpose })) as tf.Tensor };
  },
};
