/**
 * Row gather and scatter-add, the two halves of message passing, each the other's gradient:
 * DfaGatherRows out[i] = x[idx[i]], DfaScatterAdd out[idx[i]] += v[i] (numRows rows). The
 * indices are constant data and ride in the attributes. Kernels per backend: cpu = JS loops
 * (src/engine/cpu/gather_rows.ts: tfjs's own cpu UnsortedSegmentSum is O(N·E·F)), native = its
 * GatherV2 / UnsortedSegmentSum kernels (src/engine/native/kernels/graph.ts).
 */
import * as tf from '@tensorflow/tfjs';
import type { GradConfig, NamedAttrMap } from '@tensorflow/tfjs';

export const GATHER_ROWS = 'DfaGatherRows';
export const SCATTER_ADD = 'DfaScatterAdd';

/** idx: the rows; numRows: rows of the gathered tensor = rows of the scatter's output. */
export interface RowIndexAttrs {
  idx: Int32Array;
  numRows: number;
}

export const asAttrs = (a: object): NamedAttrMap => a as unknown as NamedAttrMap;

export const gatherRowsGrad: GradConfig = {
  kernelName: GATHER_ROWS,
  gradFunc: (dy, _saved, attrs) => ({ x: () => tf.engine().runKernel(SCATTER_ADD, { v: dy as tf.Tensor }, attrs) as tf.Tensor }),
};

export const scatterAddGrad: GradConfig = {
  kernelName: SCATTER_ADD,
  gradFunc: (dy, _saved, attrs) => ({ v: () => tf.engine().runKernel(GATHER_ROWS, { x: dy as tf.Tensor }, attrs) as tf.Tensor }),
};
