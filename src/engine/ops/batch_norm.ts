/**
 * Batch normalisation in training mode over x [N, C] (torch's BatchNorm1d forward): statistics per
 * column over the batch, biased variance for normalising; returns y and the batch's mean and
 * variance (the caller updates its running statistics from them, outside the tape).
 * On the native backend one kernel each way; tfjs composes the forward from ~10 ops and the
 * backward from ~25, its Mean / Sum gradients each building an activation-sized tensor of ones in
 * JS. Elsewhere: the composite and its autodiff, same numbers to float rounding.
 */
import * as tf from '@tensorflow/tfjs';
import { currentNativeBackend } from '../native/current';

export interface BatchNormResult { y: tf.Tensor2D; mean: tf.Tensor1D; variance: tf.Tensor1D }

export function batchNormTrainComposite(x: tf.Tensor2D, gamma: tf.Tensor, beta: tf.Tensor, eps = 1e-5): BatchNormResult {
  const { mean, variance } = tf.moments(x, 0);
  const y = tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, eps))), gamma), beta) as tf.Tensor2D;
  return { y, mean: mean as tf.Tensor1D, variance: variance as tf.Tensor1D };
}

export function batchNormTrain(x: tf.Tensor2D, gamma: tf.Tensor, beta: tf.Tensor, eps = 1e-5): BatchNormResult {
  const C = x.shape[1];
  if (x.rank !== 2 || gamma.size !== C || beta.size !== C) {
    throw new Error(`batchNorm: x must be [batch, ${gamma.size}] to fit gamma [${gamma.shape}] and beta [${beta.shape}], got [${x.shape}]`);
  }
  if (!currentNativeBackend() || x.dtype !== 'float32' || gamma.rank !== 1 || beta.rank !== 1) return batchNormTrainComposite(x, gamma, beta, eps);
  let stats: tf.Tensor[] = [];
  const f = tf.customGrad(((xx: tf.Tensor, g: tf.Tensor, b: tf.Tensor, save: tf.GradSaveFunc) => {
    const [y, mean, variance] = tf.engine().runKernel('DfaBatchNorm', { x: xx, gamma: g, beta: b }, { eps }) as tf.Tensor[];
    save([xx, g, mean!, variance!]);
    stats = [tf.keep(tf.clone(mean!)), tf.keep(tf.clone(variance!))]; // the forward's own scope disposes mean and variance
    return {
      value: y!,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xs, gs, m, v] = saved;
        return tf.engine().runKernel('DfaBatchNormGrad', { dy, x: xs!, gamma: gs!, mean: m!, variance: v! }, { eps }) as tf.Tensor[];
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  const y = f(x, gamma, beta) as tf.Tensor2D;
  // copies tracked by the caller's scope (tidy or explicit dispose), the kept ones released
  const out = { y, mean: tf.clone(stats[0]!) as tf.Tensor1D, variance: tf.clone(stats[1]!) as tf.Tensor1D };
  tf.dispose(stats);
  return out;
}
