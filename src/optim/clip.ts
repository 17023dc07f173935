/** Gradient clipping by global norm (as torch.nn.utils.clip_grad_norm_). */
import * as tf from '@tensorflow/tfjs';
import { currentNativeBackend, nativeValues } from '../engine/native/current';

type SumSquares = (x: Float32Array) => number;
type ScaleInPlace = (x: Float32Array, s: number) => void;

/**
 * Scales all gradients by min(1, maxNorm / ||g||) in place of the map's tensors; returns the norm
 * before clipping. `extraSquaredNorm` adds gradients kept outside the map (e.g. embedding rows'
 * summed gradients) to the norm; the caller scales those by the same maxNorm / (norm + 1e-6).
 */
export function clipByGlobalNorm(grads: Map<tf.Variable, tf.Tensor>, maxNorm: number, extraSquaredNorm = 0): number {
  if (!(maxNorm > 0)) throw new Error(`gradient clipping: max norm must be > 0, got ${maxNorm}`);
  if (grads.size === 0 && extraSquaredNorm === 0) return 0;
  const b = currentNativeBackend();
  const vals = b ? [...grads.values()].map((g) => nativeValues(b, g)) : [];
  // native: one read per gradient, no square/sum temporaries; else tfjs ops
  let sq = extraSquaredNorm;
  if (b && vals.every((v) => v)) {
    for (const v of vals) sq += (b.addon.sumSquares as SumSquares)(v!);
  } else if (grads.size > 0) {
    const t = tf.tidy(() => tf.addN([...grads.values()].map((g) => tf.sum(tf.square(g)))));
    sq += t.dataSync()[0]!;
    t.dispose();
  }
  const norm = Math.sqrt(sq);
  const scale = maxNorm / (norm + 1e-6);
  if (scale < 1) {
    for (const [v, g] of grads) {
      const gv = b ? nativeValues(b, g) : null;
      if (b && gv && b.canWriteInPlace(g.dataId)) {
        (b.addon.scaleInPlace as ScaleInPlace)(gv, scale); // sole owner of a fresh gradient
        continue;
      }
      grads.set(v, tf.mul(g, scale));
      g.dispose();
    }
  }
  return norm;
}
