/** Inverted dropout whose mask comes from a seeded Rng (identical masks for identical seeds and state). */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../engine/rng';

export function dropout(x: tf.Tensor, rate: number, rng: Rng): tf.Tensor {
  if (!(rate >= 0 && rate < 1)) throw new Error(`dropout rate must be in [0, 1), got ${rate}`);
  if (rate === 0) return x;
  const keep = 1 - rate;
  const u = rng.uniformArray(x.size);
  const m = new Float32Array(x.size);
  for (let i = 0; i < m.length; i++) m[i] = u[i]! < keep ? 1 / keep : 0;
  return tf.tidy(() => tf.mul(x, tf.tensor(m, x.shape)));
}
