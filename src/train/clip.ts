/** Gradient clipping by global norm (as torch.nn.utils.clip_grad_norm_). */
import * as tf from '@tensorflow/tfjs';

/** Scales all gradients by min(1, maxNorm / ||g||) in place of the map's tensors; returns the norm before clipping. */
export function clipByGlobalNorm(grads: Map<tf.Variable, tf.Tensor>, maxNorm: number): number {
  if (!(maxNorm > 0)) throw new Error(`gradient clipping: max norm must be > 0, got ${maxNorm}`);
  if (grads.size === 0) return 0;
  const sq = tf.tidy(() => tf.addN([...grads.values()].map((g) => tf.sum(tf.square(g)))));
  const norm = Math.sqrt(sq.dataSync()[0]!);
  sq.dispose();
  const scale = maxNorm / (norm + 1e-6);
  if (scale < 1) {
    for (const [v, g] of grads) {
      grads.set(v, tf.mul(g, scale));
      g.dispose();
    }
  }
  return norm;
}
