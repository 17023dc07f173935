/** segmentSoftmax: softmax over the edges that share a target, the DfaSegmentSoftmax kernel (segment_softmax_kernel.ts). */
import * as tf from '@tensorflow/tfjs';
import '../register';
import { asAttrs } from './gather_rows_kernel';
import { checkIndex } from './gather_rows';
import { SEGMENT_SOFTMAX, type SegmentAttrs } from './segment_softmax_kernel';

/** s [E] or [E, H] → α with Σ_{e: dst[e]=i} α[e, h] = 1. Gradient: dα → α ⊙ (dα − Σ_seg α dα). */
export function segmentSoftmax(s: tf.Tensor, dst: Int32Array, n: number): tf.Tensor {
  const E = dst.length;
  const H = E ? s.size / E : 1;
  if (s.size !== E * H || !Number.isInteger(H)) throw new Error(`segmentSoftmax: ${s.size} scores for ${E} edges`);
  checkIndex(dst, n, 'segmentSoftmax');
  const attrs: SegmentAttrs = { dst, n };
  return tf.engine().runKernel(SEGMENT_SOFTMAX, { s }, asAttrs(attrs)) as tf.Tensor;
}
