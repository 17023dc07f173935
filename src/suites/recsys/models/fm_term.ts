/** FM's pairwise interaction term: ½ Σ_d ((Σ_f e)² − Σ_f e²), [B, F, D] → [B, 1]. */
import * as tf from '@tensorflow/tfjs';

export function factorizationMachine(e: tf.Tensor3D): tf.Tensor2D {
  const s = tf.sum(e, 1);
  const ix = tf.sub(tf.square(s), tf.sum(tf.square(e), 1));
  return tf.mul(tf.sum(ix, 1, true), 0.5) as tf.Tensor2D;
}
