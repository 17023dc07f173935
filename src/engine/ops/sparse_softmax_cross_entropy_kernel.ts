/**
 * The DfaSparseSoftmaxCE kernel: logits [..., C] and int32 labels [...] -> the mean softmax
 * cross-entropy (a scalar) and its gradient with respect to the logits, (softmax − onehot) / N,
 * from one pass natively (src/engine/native/kernels/softmax.ts); tfjs's backends: logSoftmax +
 * oneHot (src/engine/cpu/sparse_softmax_cross_entropy.ts). The gradient registered by name scales
 * that saved second output by the incoming dy.
 */
import * as tf from '@tensorflow/tfjs';
import type { GradConfig } from '@tensorflow/tfjs';

export const DFA_SPARSE_SOFTMAX_CE = 'DfaSparseSoftmaxCE';

export const sparseSoftmaxCEGrad: GradConfig = {
  kernelName: DFA_SPARSE_SOFTMAX_CE,
  outputsToSave: [false, true],
  gradFunc: (dys, saved) => {
    const dy = (dys as tf.Tensor[])[0]!, grad = saved[0]!;
    // dy is the scalar 1 when the loss is differentiated directly: skip a [N, C] multiply (1 · g = g exactly)
    return { logits: () => (dy.size === 1 && dy.dataSync()[0] === 1 ? tf.clone(grad) : tf.mul(dy, grad)) };
  },
};
