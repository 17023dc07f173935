/**
 * Mean softmax cross-entropy of logits [..., C] against integer labels [...], the loss of every
 * classifier and language model here. The DfaSparseSoftmaxCE kernel
 * (sparse_softmax_cross_entropy_kernel.ts) on every backend: natively the loss and its gradient
 * (softmax − onehot) / N come from one C pass over the logits; on tfjs's backends from tfjs ops
 * (logSoftmax + oneHot), same numbers to float rounding.
 */
import * as tf from '@tensorflow/tfjs';
import '../register';
import { DFA_SPARSE_SOFTMAX_CE } from './sparse_softmax_cross_entropy_kernel';

function checkLabels(labels: tf.Tensor, logits: tf.Tensor): void {
  if (labels.dtype !== 'int32') throw new Error(`sparseSoftmaxCrossEntropy: labels must be int32, got ${labels.dtype}`);
  const lead = logits.shape.slice(0, -1);
  if (labels.rank !== lead.length || labels.shape.some((d, i) => d !== lead[i])) {
    throw new Error(`sparseSoftmaxCrossEntropy: labels of shape [${labels.shape}] do not fit logits of shape [${logits.shape}] (expected [${lead}])`);
  }
}

export function sparseSoftmaxCrossEntropy(logits: tf.Tensor, labels: tf.Tensor): tf.Scalar {
  checkLabels(labels, logits);
  if (logits.dtype !== 'float32') logits = tf.cast(logits, 'float32');
  const [loss, grad] = tf.engine().runKernel(DFA_SPARSE_SOFTMAX_CE, { logits, labels }) as tf.Tensor[];
  grad!.dispose(); // the tape keeps its own copy for the backward
  return loss as tf.Scalar;
}
