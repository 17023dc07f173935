/** Classification metrics computed on the host from logits. */
import * as tf from '@tensorflow/tfjs';

/** Fraction of rows whose argmax equals the label. */
export function accuracy(logits: tf.Tensor, labels: tf.Tensor | Int32Array): number {
  const pred = tf.tidy(() => tf.argMax(logits, -1));
  const p = pred.dataSync();
  pred.dispose();
  const y = labels instanceof tf.Tensor ? labels.dataSync() : labels;
  if (p.length !== y.length) throw new Error(`accuracy: ${p.length} predictions for ${y.length} labels`);
  let ok = 0;
  for (let i = 0; i < p.length; i++) if (p[i] === y[i]) ok++;
  return p.length ? ok / p.length : NaN;
}

/** The argmax class of each row of logits [N, C] (the first of ties), on the host. */
export function predictClasses(logits: tf.Tensor): Int32Array {
  const pred = tf.tidy(() => tf.argMax(logits, -1));
  const p = Int32Array.from(pred.dataSync());
  pred.dispose();
  return p;
}

/** Fraction of the samples `idx` whose predicted class equals their label (NaN for none): a split's accuracy. */
export function accuracyAt(pred: ArrayLike<number>, labels: ArrayLike<number>, idx: ArrayLike<number>): number {
  let ok = 0;
  for (let k = 0; k < idx.length; k++) if (pred[idx[k]!] === labels[idx[k]!]) ok++;
  return idx.length ? ok / idx.length : NaN;
}
