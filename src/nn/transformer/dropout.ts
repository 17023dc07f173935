/**
 * Inverted dropout, its mask keyed by two words drawn from our Rng (no unseeded randomness; one
 * fused kernel each way on the native backend); identity when p = 0 or rng is null.
 */
import type * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../engine/rng';
import { seededDropout } from '../../engine/ops/dropout';

export function dropout<T extends tf.Tensor>(x: T, p: number, rng: Rng | null): T {
  if (!rng || p <= 0) return x;
  if (p >= 1) throw new Error(`dropout: rate must be < 1, got ${p}`);
  return seededDropout(x, p, { k0: rng.nextUint32(), k1: rng.nextUint32() });
}
