/**
 * softmax(scale · x) over the last axis, optionally causal (entry j of query row i, i = the
 * second-to-last index, masked when j > i): the attention probabilities. On the native backend one
 * kernel forward and one backward (dx = scale · y · (dy − Σ dy·y)) replace tfjs's scale, mask-add,
 * softmax and its four-op gradient; elsewhere the tfjs composite with an additive −1e9 mask.
 */
import * as tf from '@tensorflow/tfjs';
import { currentNativeBackend } from '../native/current';

export function scaledSoftmaxComposite(x: tf.Tensor, scale: number, causal: boolean): tf.Tensor {
  let s = tf.mul(x, scale);
  if (causal) {
    const T = x.rank >= 2 ? x.shape[x.rank - 2]! : 1, C = x.shape[x.rank - 1]!;
    const m = new Float32Array(T * C);
    for (let i = 0; i < T; i++) for (let j = i + 1; j < C; j++) m[i * C + j] = -1e9;
    s = tf.add(s, tf.tensor(m, [T, C]));
  }
  return tf.softmax(s, -1);
}

export function scaledSoftmax(x: tf.Tensor, scale: number, causal = false): tf.Tensor {
  if (x.rank < 1) throw new Error('scaledSoftmax: needs at least one axis');
  if (!(scale > 0)) throw new Error(`scaledSoftmax: scale must be positive, got ${scale}`);
  if (!currentNativeBackend() || x.dtype !== 'float32') return scaledSoftmaxComposite(x, scale, causal);
  const f = tf.customGrad(((xx: tf.Tensor, save: tf.GradSaveFunc) => {
    const y = tf.engine().runKernel('DfaScaledSoftmax', { x: xx }, { scale, causal }) as tf.Tensor;
    save([y]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.engine().runKernel('DfaSoftmaxGrad', { y: saved[0]!, dy }, { scale }) as tf.Tensor,
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return f(x) as tf.Tensor;
}
