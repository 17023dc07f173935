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
