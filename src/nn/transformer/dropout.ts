/** Inverted dropout with a seed drawn from our Rng (no unseeded randomness); identity when p = 0 or rng is null. */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../engine/rng';

export function dropout<T extends tf.Tensor>(x: T, p: number, rng: Rng | null): T {
  if (!rng || p <= 0) return x;
  if (p >= 1) throw new Error(`dropout: rate must be < 1, got ${p}`);
  return tf.dropout(x, p, undefined, rng.nextUint32()) as T;
}
