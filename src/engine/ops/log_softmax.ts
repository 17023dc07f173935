/**
 * logSoftmax over the last axis as one kernel, DfaLogSoftmax (log_softmax_kernel.ts), on every
 * backend: language models apply it to [tokens, vocab] logits, where tfjs's six-op composite
 * allocates six tensors that size. Gradient: dx = dy − Σ(dy) · exp(y).
 */
import * as tf from '@tensorflow/tfjs';
import '../register';
import { DFA_LOG_SOFTMAX } from './log_softmax_kernel';

export function logSoftmax(x: tf.Tensor): tf.Tensor {
  if (x.rank < 1) throw new Error('logSoftmax: needs at least one axis');
  if (x.dtype !== 'float32') return tf.logSoftmax(x);
  return tf.engine().runKernel(DFA_LOG_SOFTMAX, { logits: x }) as tf.Tensor;
}
