/**
 * Inverted dropout, the one in the library: each element kept with probability 1 − rate and
 * scaled by 1 / (1 − rate). The mask is counter-based, keyed by two words drawn from the caller's
 * seeded Rng (src/engine/ops/dropout.ts): the same key gives the same mask on every backend, and
 * the backward regenerates it instead of storing it (one kernel each way on the native backend).
 * Identity when rate is 0 or there is no rng (evaluation).
 */
import type * as tf from '@tensorflow/tfjs';
import type { Rng } from '../engine/rng';
import { dropoutMask, seededDropout, type DropoutKey } from '../engine/ops/dropout';

export function dropout<T extends tf.Tensor>(x: T, rate: number, rng: Rng | null | undefined): T {
  if (!(rate >= 0 && rate < 1)) throw new Error(`dropout rate must be in [0, 1), got ${rate}`);
  if (!rng || rate === 0) return x;
  return seededDropout(x, rate, dropoutKey(rng));
}

/** The key of the next mask drawn from rng (advances it by two words). */
export function dropoutKey(rng: Rng): DropoutKey {
  return { k0: rng.nextUint32(), k1: rng.nextUint32() };
}

/**
 * Dropout on values held outside a tensor (e.g. the non-zeros of sparse features: dropout on the
 * dense matrix, since zeros stay zero), with the same mask as `dropout` on a tensor of them.
 */
export function dropoutArray(values: Float32Array, rate: number, rng: Rng | null | undefined): Float32Array {
  if (!(rate >= 0 && rate < 1)) throw new Error(`dropout rate must be in [0, 1), got ${rate}`);
  if (!rng || rate === 0) return values;
  const m = dropoutMask(values.length, rate, dropoutKey(rng));
  const out = new Float32Array(values.length);
  for (let i = 0; i < out.length; i++) out[i] = values[i]! * m[i]!;
  return out;
}
