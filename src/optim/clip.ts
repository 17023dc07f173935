/** Gradient clipping by global norm (as torch.nn.utils.clip_grad_norm_). */
import type * as tf from '@tensorflow/tfjs';
import { scaleOwned, sumSquares } from '../engine/grad_norm';

/**
 * Scales all gradients by min(1, maxNorm / ||g||) in place of the map's tensors; returns the norm
 * before clipping. `extraSquaredNorm` adds gradients kept outside the map (e.g. embedding rows'
 * summed gradients) to the norm; the caller scales those by the same maxNorm / (norm + 1e-6).
 */
export function clipByGlobalNorm(grads: Map<tf.Variable, tf.Tensor>, maxNorm: number, extraSquaredNorm = 0): number {
  if (!(maxNorm > 0)) throw new Error(`gradient clipping: max norm must be > 0, got ${maxNorm}`);
  if (grads.size === 0 && extraSquaredNorm === 0) return 0;
  const norm = Math.sqrt(sumSquares([...grads.values()], extraSquaredNorm));
  const scale = maxNorm / (norm + 1e-6);
  if (scale < 1) for (const [v, g] of grads) grads.set(v, scaleOwned(g, scale));
  return norm;
}
