/**
 * DfaPropagate: out[to[e]] += w[e, h] · x[from[e], h, :] over the edges of a graph (from = src,
 * to = dst; swapped when `transpose`), x [N, H·C] viewed as H heads of C columns, w the E·H edge
 * weights (a tensor, differentiable or constant). Its gradient: for x the transposed propagation
 * (the same kernel), for w DfaPropagateEdgeGrad dw[e, h] = <dy[to[e], h, :], x[from[e], h, :]>.
 * The graph is constant data and rides in the attributes (the cpu kernel caches its CSR order
 * per graph). Kernels: cpu = JS loops (src/engine/cpu/propagate.ts), native = GatherV2 → Multiply
 * → UnsortedSegmentSum (src/engine/native/kernels/graph.ts).
 */
import * as tf from '@tensorflow/tfjs';
import type { GradConfig } from '@tensorflow/tfjs';
import { asAttrs } from './gather_rows_kernel';

export const PROPAGATE = 'DfaPropagate';
export const PROPAGATE_EDGE_GRAD = 'DfaPropagateEdgeGrad';

/** The edge list a propagation runs over: edge e goes src[e] → dst[e]. */
export interface EdgeList {
  numNodes: number;
  src: Int32Array;
  dst: Int32Array;
}

export interface PropagateAttrs {
  graph: EdgeList;
  heads: number;
  /** messages go dst → src (the backward of a propagation) */
  transpose: boolean;
}

/** The edges in the propagation's direction. */
export function direction(a: PropagateAttrs): { from: Int32Array; to: Int32Array } {
  return a.transpose ? { from: a.graph.dst, to: a.graph.src } : { from: a.graph.src, to: a.graph.dst };
}

export const propagateGrad: GradConfig = {
  kernelName: PROPAGATE,
  inputsToSave: ['x', 'w'],
  gradFunc: (dy, saved, attrs) => {
    const [x, w] = saved as [tf.Tensor, tf.Tensor];
    const a = attrs as unknown as PropagateAttrs;
    const g = dy as tf.Tensor;
    return {
      // the transposed propagation is not itself differentiated (no second-order use here)
      x: () => tf.engine().runKernel(PROPAGATE, { x: g, w }, asAttrs({ ...a, transpose: !a.transpose })) as tf.Tensor,
      w: () => tf.reshape(tf.engine().runKernel(PROPAGATE_EDGE_GRAD, { dy: g, x }, attrs) as tf.Tensor, w.shape),
    };
  },
};
