/**
 * The direct methods' signal path as low-precision or analog hardware would run it: the global
 * signal quantized before the projection, and noise added to the projected signal.
 *
 * Quantization (errorBits b), per row (one position's signal: a sample, a token, a node): the
 * row's scale m = max |v| is kept in full precision (one number per row, as a block-floating-point
 * exponent), the values in b bits:
 *   b = 1: q = m · sign(v) (the sign of e; 0 stays 0);
 *   b ≥ 2: q = m · round(v/m · L) / L with L = 2^(b−1) − 1 levels each side of 0 (b = 2: {−m, 0, m};
 *          b = 8: 255 levels), round to nearest (ties to even); |q − v| ≤ m / (2L).
 * Noise (std σ): q·B·s + σ · rms(q·B·s) · N(0, 1) per entry, rms over the whole projected tensor,
 * so σ is relative (σ = 0.1: a signal-to-noise ratio of 20 dB) and means the same on every task.
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../engine/rng';

export type ErrorBits = 1 | 2 | 4 | 8;

export const ERROR_BITS: readonly ErrorBits[] = [1, 2, 4, 8];

export function checkErrorBits(b: unknown): ErrorBits {
  if (!(ERROR_BITS as readonly unknown[]).includes(b)) throw new Error(`Feedback: errorBits must be one of ${ERROR_BITS.join(', ')}, got ${String(b)}`);
  return b as ErrorBits;
}

/** Rows of v quantized to `bits` bits with a per-row scale (a new tensor). */
export function quantizeRows(v: tf.Tensor2D, bits: ErrorBits): tf.Tensor2D {
  return tf.tidy(() => {
    const m = tf.max(tf.abs(v), 1, true);
    if (bits === 1) return tf.mul(tf.sign(v), m) as tf.Tensor2D;
    const L = 2 ** (bits - 1) - 1;
    const safe = tf.where(tf.greater(m, 0), m, tf.onesLike(m));
    return tf.mul(tf.div(tf.round(tf.mul(tf.div(v, safe), L)), L), safe) as tf.Tensor2D;
  });
}

/** rows + σ · rms(rows) · N(0, 1), the normals from `rng` (a new tensor). */
export function addNoise(rows: tf.Tensor2D, std: number, rng: Rng): tf.Tensor2D {
  return tf.tidy(() => {
    const rms = tf.sqrt(tf.mean(tf.square(rows)));
    const z = tf.tensor2d(rng.normalArray(rows.size), rows.shape);
    return tf.add(rows, tf.mul(z, tf.mul(rms, std))) as tf.Tensor2D;
  });
}
