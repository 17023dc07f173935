/**
 * logSoftmax over the last axis as one kernel ('DfaLogSoftmax'): native on the native backend,
 * tfjs ops elsewhere. tfjs's own tf.logSoftmax is a composite of six ops (max, sub, exp, sum,
 * log, sub), each allocating a tensor the size of the logits; language models apply it to
 * [tokens, vocab] logits. Gradient: dx = dy − Σ(dy) · exp(y).
 */
import * as tf from '@tensorflow/tfjs';
import { currentNativeBackend, nativeValues } from '../native/current';

type Softmax = (x: Float32Array, out: Float32Array, rows: number, cols: number, log: boolean) => void;

export function logSoftmax(x: tf.Tensor): tf.Tensor {
  if (x.rank < 1) throw new Error('logSoftmax: needs at least one axis');
  const f = tf.customGrad(((t: tf.Tensor, save: tf.GradSaveFunc) => {
    const y = forward(t);
    save([y]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [tf.sub(dy, tf.mul(tf.sum(dy, -1, true), tf.exp(saved[0]!)))],
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return f(x) as tf.Tensor;
}

function forward(t: tf.Tensor): tf.Tensor {
  const b = currentNativeBackend();
  const v = b ? nativeValues(b, t) : null;
  if (b && v) {
    const cols = t.shape[t.rank - 1]!;
    const out = b.alloc(v.length);
    (b.addon.softmax as Softmax)(v, out, cols ? v.length / cols : 0, cols, true);
    return tf.engine().makeTensorFromTensorInfo(b.makeTensorInfo(t.shape, 'float32', out));
  }
  return tf.tidy(() => tf.sub(t, tf.logSumExp(t, -1, true)));
}
