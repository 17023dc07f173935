/**
 * The DfaLogSoftmax kernel: logSoftmax over the last axis in one pass natively
 * (src/engine/native/kernels/softmax.ts); tfjs's own tf.logSoftmax composes six ops (max, sub, exp,
 * sum, log, sub), each allocating a tensor the size of the logits. tfjs's backends:
 * x − logSumExp(x) (src/engine/cpu/log_softmax.ts). Gradient (registered by name, tfjs ops on every
 * backend): dx = dy − Σ(dy) · exp(y).
 */
import * as tf from '@tensorflow/tfjs';
import type { GradConfig } from '@tensorflow/tfjs';

export const DFA_LOG_SOFTMAX = 'DfaLogSoftmax';

export const logSoftmaxGrad: GradConfig = {
  kernelName: DFA_LOG_SOFTMAX,
  outputsToSave: [true],
  gradFunc: (dy, saved) => ({ logits: () => tf.sub(dy as tf.Tensor, tf.mul(tf.sum(dy as tf.Tensor, -1, true), tf.exp(saved[0]!))) }),
};
