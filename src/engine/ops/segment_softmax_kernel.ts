/**
 * DfaSegmentSoftmax: softmax of per-edge scores s [E] or [E, H] over the edges that share a
 * target (dst, n segments): Σ_{e: dst[e]=i} α[e, h] = 1. Its gradient DfaSegmentSoftmaxGrad:
 * dα → α ⊙ (dα − Σ_seg α dα), from the saved output. The targets ride in the attributes.
 * Kernels: cpu = JS loops (src/engine/cpu/segment_softmax.ts), native = GatherV2 / Exp /
 * UnsortedSegmentSum / RealDiv (src/engine/native/kernels/graph.ts).
 */
import * as tf from '@tensorflow/tfjs';
import type { GradConfig } from '@tensorflow/tfjs';

export const SEGMENT_SOFTMAX = 'DfaSegmentSoftmax';
export const SEGMENT_SOFTMAX_GRAD = 'DfaSegmentSoftmaxGrad';

export interface SegmentAttrs {
  dst: Int32Array;
  n: number;
}

export const segmentSoftmaxGrad: GradConfig = {
  kernelName: SEGMENT_SOFTMAX,
  outputsToSave: [true],
  gradFunc: (dy, saved, attrs) => ({ s: () => tf.engine().runKernel(SEGMENT_SOFTMAX_GRAD, { alpha: saved[0]!, dy: dy as tf.Tensor }, attrs) as tf.Tensor }),
};
