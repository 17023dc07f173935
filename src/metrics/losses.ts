/** Losses (each a scalar mean over samples) and perplexity. */
import * as tf from '@tensorflow/tfjs';
import { sparseSoftmaxCrossEntropy } from '../engine/ops/sparse_softmax_cross_entropy';

/** Mean softmax cross-entropy of logits [N, C] against integer labels [N]. dL/dlogits = (softmax − onehot)/N. */
export function softmaxCrossEntropy(logits: tf.Tensor, labels: tf.Tensor): tf.Scalar {
  if (logits.rank !== 2) throw new Error(`softmaxCrossEntropy: logits must be [N, C], got [${logits.shape}]`);
  if (labels.rank !== 1 || labels.shape[0] !== logits.shape[0]) {
    throw new Error(`softmaxCrossEntropy: labels must be [${logits.shape[0]}], got [${labels.shape}]`);
  }
  // One fused kernel on the native backend (loss and gradient in one pass over the logits).
  return tf.tidy(() => sparseSoftmaxCrossEntropy(logits, labels.dtype === 'int32' ? labels : tf.cast(labels, 'int32')));
}

/** Perplexity of a mean negative log-likelihood in nats (a language model's cross-entropy): exp(NLL). */
export function perplexity(meanNll: number): number {
  return Math.exp(meanNll);
}

/** Mean squared error over all elements. */
export function meanSquaredError(pred: tf.Tensor, target: tf.Tensor): tf.Scalar {
  if (pred.shape.join(',') !== target.shape.join(',')) throw new Error(`meanSquaredError: shapes differ, [${pred.shape}] vs [${target.shape}]`);
  return tf.tidy(() => tf.mean(tf.square(tf.sub(pred, target))) as tf.Scalar);
}
