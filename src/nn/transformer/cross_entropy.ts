/**
 * Next-token cross-entropy (mean negative log-likelihood in nats) with a fused gradient
 * (softmax(z) - onehot(t)) / N, and perplexity = exp(mean NLL).
 */
import * as tf from '@tensorflow/tfjs';

/** logits [N, V], targets int32 [N] -> scalar mean NLL. */
export function crossEntropy(logits: tf.Tensor2D, targets: tf.Tensor1D): tf.Scalar {
  const [N, V] = logits.shape;
  if (targets.shape[0] !== N) throw new Error(`crossEntropy: ${N} rows of logits but ${targets.shape[0]} targets`);
  const f = tf.customGrad(((z: tf.Tensor, save: tf.GradSaveFunc) => {
    const logp = tf.logSoftmax(z as tf.Tensor2D);
    const onehot = tf.oneHot(targets, V);
    save([logp, onehot]);
    const value = tf.neg(tf.div(tf.sum(tf.mul(logp, onehot)), N)) as tf.Scalar;
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [lp, oh] = saved as [tf.Tensor, tf.Tensor];
        return tf.mul(tf.sub(tf.exp(lp), oh), tf.div(dy, N));
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return f(logits) as tf.Scalar;
}

export function perplexity(meanNll: number): number {
  return Math.exp(meanNll);
}
