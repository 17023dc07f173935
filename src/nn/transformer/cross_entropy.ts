/**
 * Next-token cross-entropy (mean negative log-likelihood in nats) with a fused gradient
 * (softmax(z) - onehot(t)) / N, and perplexity = exp(mean NLL).
 */
import type * as tf from '@tensorflow/tfjs';
import { sparseSoftmaxCrossEntropy } from '../../engine/ops/sparse_softmax_cross_entropy';

/** logits [N, V], targets int32 [N] -> scalar mean NLL (one fused kernel on the native backend). */
export function crossEntropy(logits: tf.Tensor2D, targets: tf.Tensor1D): tf.Scalar {
  const N = logits.shape[0];
  if (targets.shape[0] !== N) throw new Error(`crossEntropy: ${N} rows of logits but ${targets.shape[0]} targets`);
  return sparseSoftmaxCrossEntropy(logits, targets);
}

export function perplexity(meanNll: number): number {
  return Math.exp(meanNll);
}
