/**
 * Mean softmax cross-entropy of logits [..., C] against integer labels [...], the loss of every
 * classifier and language model here. On the native backend the loss and its gradient
 * (softmax − onehot) / N come from one C pass over the logits; elsewhere from tfjs ops
 * (logSoftmax + gather), same numbers to float rounding.
 */
import * as tf from '@tensorflow/tfjs';
import { currentNativeBackend, nativeValues } from '../native/current';

type SparseCE = (logits: Float32Array, labels: Int32Array, grad: Float32Array | null, rows: number, cols: number) => number;

function checkLabels(labels: tf.Tensor, logits: tf.Tensor): void {
  if (labels.dtype !== 'int32') throw new Error(`sparseSoftmaxCrossEntropy: labels must be int32, got ${labels.dtype}`);
  const lead = logits.shape.slice(0, -1);
  if (labels.rank !== lead.length || labels.shape.some((d, i) => d !== lead[i])) {
    throw new Error(`sparseSoftmaxCrossEntropy: labels of shape [${labels.shape}] do not fit logits of shape [${logits.shape}] (expected [${lead}])`);
  }
}

export function sparseSoftmaxCrossEntropy(logits: tf.Tensor, labels: tf.Tensor): tf.Scalar {
  checkLabels(labels, logits);
  const C = logits.shape[logits.rank - 1]!;
  const N = labels.size;
  const f = tf.customGrad(((lg: tf.Tensor, save: tf.GradSaveFunc) => {
    const b = currentNativeBackend();
    const lv = b ? nativeValues(b, lg) : null;
    const yv = b ? b.data.get(labels.dataId).values : null;
    if (b && lv && yv instanceof Int32Array) {
      const g = b.alloc(lv.length);
      const loss = (b.addon.sparseSoftmaxCE as SparseCE)(lv, yv, g, N, C);
      const grad = tf.engine().makeTensorFromTensorInfo(b.makeTensorInfo(lg.shape, 'float32', g));
      save([grad]);
      // dy is the scalar 1 when the loss is differentiated directly: skip a [N, C] multiply
      const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) => [dy.size === 1 && dy.dataSync()[0] === 1 ? tf.clone(saved[0]!) : tf.mul(dy, saved[0]!)];
      return { value: tf.scalar(loss), gradFunc };
    }
    const lg2 = tf.reshape(lg, [N, C]);
    const lsm = tf.logSoftmax(lg2);
    const onehot = tf.oneHot(tf.reshape(labels, [N]), C);
    const value = tf.neg(tf.div(tf.sum(tf.mul(lsm, onehot)), Math.max(N, 1))) as tf.Scalar;
    const grad = tf.reshape(tf.div(tf.sub(tf.exp(lsm), onehot), Math.max(N, 1)), lg.shape);
    save([grad]);
    return { value, gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [tf.mul(dy, saved[0]!)] };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return f(logits) as tf.Scalar;
}
