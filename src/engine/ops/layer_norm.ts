/**
 * Layer normalisation over the last axis (Ba et al. 2016): gamma · (x − mean) / sqrt(var + eps)
 * + beta, biased variance as PyTorch. On the native backend one kernel gives y (keeping the
 * row means and 1/std) and one kernel the whole backward (dx, dgamma, dbeta); tfjs composes the
 * forward from ~9 ops and its gradient from ~25, each allocating an activation-sized tensor.
 * Elsewhere: the tfjs composite and its autodiff, same numbers to float rounding.
 */
import * as tf from '@tensorflow/tfjs';
import { currentNativeBackend } from '../native/current';

export function layerNormComposite(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, eps = 1e-5): tf.Tensor {
  const { mean, variance } = tf.moments(x, -1, true);
  return tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, eps))), gamma), beta);
}

export function layerNorm(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, eps = 1e-5): tf.Tensor {
  const C = x.shape[x.rank - 1];
  if (x.rank < 1 || gamma.size !== C || beta.size !== C) {
    throw new Error(`layerNorm: gamma [${gamma.shape}] and beta [${beta.shape}] must have the ${C} features of x [${x.shape}]`);
  }
  if (!currentNativeBackend() || x.dtype !== 'float32' || gamma.rank !== 1 || beta.rank !== 1) return layerNormComposite(x, gamma, beta, eps);
  const f = tf.customGrad(((xx: tf.Tensor, g: tf.Tensor, b: tf.Tensor, save: tf.GradSaveFunc) => {
    const [y, mean, rstd] = tf.engine().runKernel('DfaLayerNorm', { x: xx, gamma: g, beta: b }, { eps }) as tf.Tensor[];
    save([xx, g, mean!, rstd!]);
    return {
      value: y!,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xs, gs, m, r] = saved;
        return tf.engine().runKernel('DfaLayerNormGrad', { dy, x: xs!, gamma: gs!, mean: m!, rstd: r! }) as tf.Tensor[];
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return f(x, gamma, beta) as tf.Tensor;
}
