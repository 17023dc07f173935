/**
 * The DfaScaledSoftmax kernel: softmax(scale · x) over the last axis, optionally causal (entry j
 * of query row i, i = the second-to-last index, masked when j > i). Its gradient (registered by
 * name) is the DfaSoftmaxGrad kernel, dx = scale · y · (dy − Σ dy·y), from the saved output.
 * Native: src/engine/native/kernels/transformer.ts; tfjs's backends: src/engine/cpu/scaled_softmax.ts.
 */
import * as tf from '@tensorflow/tfjs';
import type { GradConfig } from '@tensorflow/tfjs';

export const DFA_SCALED_SOFTMAX = 'DfaScaledSoftmax';
export const DFA_SOFTMAX_GRAD = 'DfaSoftmaxGrad';

export const scaledSoftmaxGrad: GradConfig = {
  kernelName: DFA_SCALED_SOFTMAX,
  outputsToSave: [true],
  gradFunc: (dy, saved, attrs) => {
    const { scale } = attrs as unknown as { scale: number };
    return { x: () => tf.engine().runKernel(DFA_SOFTMAX_GRAD, { y: saved[0]!, dy: dy as tf.Tensor }, { scale }) as tf.Tensor };
  },
};
