/**
 * propagate: weighted, multi-head message passing over an edge list without an N×N matrix, the
 * DfaPropagate kernel (propagate_kernel.ts). Messages are summed at dst (PyG's
 * "source_to_target" flow).
 */
import * as tf from '@tensorflow/tfjs';
import '../register';
import { asAttrs } from './gather_rows_kernel';
import { PROPAGATE, type EdgeList, type PropagateAttrs } from './propagate_kernel';

export type { EdgeList } from './propagate_kernel';

/**
 * out[dst[e]] += w[e, h] · x[src[e], h, :] for every edge e and head h.
 * x: [N, F] (one head) or [N, H·C] viewed as H heads of C columns; w: per-edge weights, either a
 * constant Float32Array of length E·H, a tensor [E] / [E, H] (differentiable), or omitted (1).
 * Gradients: dx = the transposed propagation; dw[e, h] = <dy[dst[e], h, :], x[src[e], h, :]>.
 */
export function propagate(x: tf.Tensor, g: EdgeList, w?: tf.Tensor | Float32Array, heads = 1): tf.Tensor {
  const n = x.shape[0]!;
  if (n !== g.numNodes) throw new Error(`propagate: x has ${n} rows for a graph of ${g.numNodes} nodes`);
  const F = x.size / n;
  if (F % heads !== 0) throw new Error(`propagate: ${F} columns do not split into ${heads} heads`);
  const E = g.src.length;
  const wLen = w === undefined ? E * heads : w instanceof Float32Array ? w.length : w.size;
  if (wLen !== E * heads) throw new Error(`propagate: ${wLen} edge weights for ${E} edges × ${heads} heads`);
  const attrs: PropagateAttrs = { graph: g, heads, transpose: false };
  if (w instanceof tf.Tensor) return tf.engine().runKernel(PROPAGATE, { x, w }, asAttrs(attrs)) as tf.Tensor;
  // constant weights (1 when omitted: the same numbers as no weights)
  return tf.tidy(() => tf.engine().runKernel(PROPAGATE, { x, w: tf.tensor1d(w ?? new Float32Array(E * heads).fill(1)) }, asAttrs(attrs)) as tf.Tensor);
}
